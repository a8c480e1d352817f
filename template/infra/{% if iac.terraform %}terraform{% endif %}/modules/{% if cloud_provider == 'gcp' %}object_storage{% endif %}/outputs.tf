output "bucket_name" {
  description = "Name of the bucket."
  value       = google_storage_bucket.this.name
}

output "dvc_remote_url" {
  description = "URL of the DVC remote in this bucket."
  value       = "gs://${google_storage_bucket.this.name}/dvc"
}

output "mlflow_artifact_root" {
  description = "Where an MLflow server stores artifacts in this bucket."
  value       = "gs://${google_storage_bucket.this.name}/mlflow"
}
