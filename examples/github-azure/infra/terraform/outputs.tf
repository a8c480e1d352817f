# The cloud's own outputs (outputs_common.tf has those every cloud has), named like the CI
# variables the workflows read, so `terraform output` is what to set.
output "AZURE_CLIENT_ID" {
  description = "Client ID of the managed identity the CI jobs log in as through OIDC (no stored secrets)."
  value       = module.ci_identity.client_id
}

output "AZURE_PLAN_CLIENT_ID" {
  description = "Client ID of the read-only managed identity request pipelines log in as to plan."
  value       = module.ci_identity.plan_client_id
}

output "AZURE_TENANT_ID" {
  description = "Entra ID tenant of the managed identity."
  value       = module.ci_identity.tenant_id
}

output "AZURE_SUBSCRIPTION_ID" {
  description = "Subscription of the environment."
  value       = module.ci_identity.subscription_id
}

output "REGISTRY" {
  description = "Login server of the container registry the image job pushes to."
  value       = module.container_registry.login_server
}

output "STORAGE_ACCOUNT" {
  description = "Storage account of the DVC remote and the MLflow artifacts."
  value       = module.object_storage.storage_account_name
}
