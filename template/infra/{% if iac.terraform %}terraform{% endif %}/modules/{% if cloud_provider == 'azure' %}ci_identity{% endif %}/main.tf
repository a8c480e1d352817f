# The CI jobs' identity: a user-assigned managed identity that trusts the CI service's OIDC tokens
# for the listed subjects (federated credentials, so no client secret exists). It can use exactly
# the storage account's blobs and push to the registry.
terraform {
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
    }
  }
}

data "azurerm_client_config" "current" {}

resource "azurerm_user_assigned_identity" "ci" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

# Azure matches subjects exactly, one credential each.
resource "azurerm_federated_identity_credential" "ci" {
  for_each = toset(var.subjects)

  name                = "ci-${substr(sha1(each.value), 0, 12)}"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.ci.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = var.oidc_issuer
  subject             = each.value
}

resource "azurerm_role_assignment" "blobs" {
  scope                = var.storage_account_id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.ci.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "images" {
  scope                = var.registry_id
  role_definition_name = "AcrPush"
  principal_id         = azurerm_user_assigned_identity.ci.principal_id
  principal_type       = "ServicePrincipal"
}
