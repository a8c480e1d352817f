# Named like the CI variables the workflows read, so `terraform output` is what to set.
output "AWS_ROLE_ARN" {
  description = "Role the CI jobs assume through OIDC (no stored keys)."
  value       = module.ci_identity.role_arn
}

output "REGISTRY" {
  description = "Container registry repository the image job pushes to."
  value       = module.container_registry.repository_url
}

output "DVC_REMOTE_URL" {
  description = "URL of the DVC cloud remote (.dvc/config's `cloud` remote)."
  value       = module.object_storage.dvc_remote_url
}

output "MLFLOW_ARTIFACT_ROOT" {
  description = "Artifact root for an MLflow tracking server (`mlflow server --artifacts-destination`)."
  value       = module.object_storage.mlflow_artifact_root
}
