# The outputs every cloud has; outputs.tf has the cloud's own. Named like the CI variables the
# workflows read, so `terraform output` is what to set.
output "DVC_REMOTE_URL" {
  description = "URL of the DVC cloud remote (.dvc/config's `cloud` remote)."
  value       = module.object_storage.dvc_remote_url
}

output "MLFLOW_ARTIFACT_ROOT" {
  description = "Artifact root for an MLflow tracking server (`mlflow server --artifacts-destination`)."
  value       = module.object_storage.mlflow_artifact_root
}
