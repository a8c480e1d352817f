# Remote state in the environment's state storage account (made once by bootstrap/). Its names
# come from environments/<environment>/backend.tfbackend:
#   terraform init -backend-config=environments/staging/backend.tfbackend
# Blob leases lock the state; Entra ID authenticates, as account keys are disabled.
terraform {
  backend "azurerm" {
    use_azuread_auth = true
  }
}
