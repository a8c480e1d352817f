# The cloud's own outputs (outputs_common.tf has those every cloud has), named like the CI
# variables the workflows read, so `terraform output` is what to set.
output "AWS_ROLE_ARN" {
  description = "Role the CI jobs assume through OIDC (no stored keys)."
  value       = module.ci_identity.role_arn
}

output "AWS_PLAN_ROLE_ARN" {
  description = "Read-only role request pipelines assume through OIDC to plan."
  value       = module.ci_identity.plan_role_arn
}

output "REGISTRY" {
  description = "Container registry repository the image job pushes to."
  value       = module.container_registry.repository_url
}
