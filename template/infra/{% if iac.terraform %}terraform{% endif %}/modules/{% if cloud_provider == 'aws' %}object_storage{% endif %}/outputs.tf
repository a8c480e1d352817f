output "bucket_name" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the bucket, for IAM policies."
  value       = aws_s3_bucket.this.arn
}

output "kms_key_arn" {
  description = "Key that encrypts the bucket's objects; readers and writers need to use it."
  value       = module.key.arn
}

output "dvc_remote_url" {
  description = "URL of the DVC remote in this bucket."
  value       = "s3://${aws_s3_bucket.this.bucket}/dvc"
}

output "mlflow_artifact_root" {
  description = "Where an MLflow server stores artifacts in this bucket."
  value       = "s3://${aws_s3_bucket.this.bucket}/mlflow"
}
