# Named like the CI variables the workflows read, so `terraform output` is what to set.
output "GCP_WORKLOAD_IDENTITY_PROVIDER" {
  description = "Workload identity provider the CI jobs exchange their OIDC token with (no stored keys)."
  value       = module.ci_identity.workload_identity_provider
}

output "GCP_SERVICE_ACCOUNT" {
  description = "Service account the CI jobs act as."
  value       = module.ci_identity.service_account_email
}

output "REGISTRY" {
  description = "Artifact Registry host and repository path the image job pushes to."
  value       = module.container_registry.registry
}

output "DVC_REMOTE_URL" {
  description = "URL of the DVC cloud remote (.dvc/config's `cloud` remote)."
  value       = module.object_storage.dvc_remote_url
}

output "MLFLOW_ARTIFACT_ROOT" {
  description = "Artifact root for an MLflow tracking server (`mlflow server --artifacts-destination`)."
  value       = module.object_storage.mlflow_artifact_root
}
