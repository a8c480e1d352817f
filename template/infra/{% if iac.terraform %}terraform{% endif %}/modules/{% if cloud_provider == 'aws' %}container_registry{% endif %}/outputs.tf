output "repository_url" {
  description = "Registry host and repository path, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/name."
  value       = aws_ecr_repository.this.repository_url
}

output "repository_arn" {
  description = "ARN of the repository, for IAM policies."
  value       = aws_ecr_repository.this.arn
}

output "kms_key_arn" {
  description = "Key that encrypts the images."
  value       = module.key.arn
}
