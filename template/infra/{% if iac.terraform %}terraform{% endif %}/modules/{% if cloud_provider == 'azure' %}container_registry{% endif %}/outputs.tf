output "registry_id" {
  description = "ID of the registry, for role assignments."
  value       = azurerm_container_registry.this.id
}

output "login_server" {
  description = "Registry host, e.g. name.azurecr.io."
  value       = azurerm_container_registry.this.login_server
}
