# The cloud's own outputs (outputs_common.tf has those every cloud has), named like the CI
# variables the workflows read, so `terraform output` is what to set.
output "GCP_WORKLOAD_IDENTITY_PROVIDER" {
  description = "Workload identity provider the CI jobs exchange their OIDC token with (no stored keys)."
  value       = module.ci_identity.workload_identity_provider
}

output "GCP_SERVICE_ACCOUNT" {
  description = "Service account the CI jobs act as."
  value       = module.ci_identity.service_account_email
}

output "GCP_PLAN_WORKLOAD_IDENTITY_PROVIDER" {
  description = "Workload identity provider request pipelines exchange their OIDC token with to plan."
  value       = module.ci_identity.plan_workload_identity_provider
}

output "GCP_PLAN_SERVICE_ACCOUNT" {
  description = "Read-only service account request pipelines act as to plan."
  value       = module.ci_identity.plan_service_account_email
}

output "REGISTRY" {
  description = "Artifact Registry host and repository path the image job pushes to."
  value       = module.container_registry.registry
}
