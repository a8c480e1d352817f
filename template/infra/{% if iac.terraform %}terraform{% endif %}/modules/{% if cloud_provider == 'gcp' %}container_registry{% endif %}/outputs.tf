output "repository_id" {
  description = "ID of the repository, for IAM bindings."
  value       = google_artifact_registry_repository.this.repository_id
}

output "registry" {
  description = "Registry host and repository path, e.g. europe-west1-docker.pkg.dev/project/name."
  value       = "${var.location}-docker.pkg.dev/${google_artifact_registry_repository.this.project}/${google_artifact_registry_repository.this.repository_id}"
}
