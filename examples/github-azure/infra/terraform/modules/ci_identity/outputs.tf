output "client_id" {
  description = "Client ID of the managed identity."
  value       = azurerm_user_assigned_identity.ci.client_id
}

output "tenant_id" {
  description = "Tenant of the managed identity."
  value       = azurerm_user_assigned_identity.ci.tenant_id
}

output "subscription_id" {
  description = "Subscription the identity and the resources live in."
  value       = data.azurerm_client_config.current.subscription_id
}

output "plan_client_id" {
  description = "Client ID of the read-only managed identity request pipelines log in as to plan."
  value       = azurerm_user_assigned_identity.plan.client_id
}
