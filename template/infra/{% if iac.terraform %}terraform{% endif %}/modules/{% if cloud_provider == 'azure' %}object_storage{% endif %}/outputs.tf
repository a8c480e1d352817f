output "storage_account_id" {
  description = "ID of the storage account, for role assignments."
  value       = azurerm_storage_account.this.id
}

output "storage_account_name" {
  description = "Name of the storage account (DVC's account_name)."
  value       = azurerm_storage_account.this.name
}

output "dvc_remote_url" {
  description = "URL of the DVC remote: the dvc container (DVC reads the account from account_name)."
  value       = try("azure://${azurerm_storage_container.this["dvc"].name}", null)
}

output "mlflow_artifact_root" {
  description = "Where an MLflow server stores artifacts in this account."
  value       = try("wasbs://${azurerm_storage_container.this["mlflow"].name}@${azurerm_storage_account.this.name}.blob.core.windows.net/", null)
}
