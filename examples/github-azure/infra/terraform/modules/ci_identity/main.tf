# The CI jobs' identities: user-assigned managed identities that trust the CI service's OIDC
# tokens for the listed subjects (federated credentials, so no client secret exists). The CI
# identity can use exactly the storage account's blobs and push to the registry; the plan
# identity, which request pipelines log in as, can only read: the state and the subscription.
terraform {
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
    }
    azapi = {
      source = "azure/azapi"
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

resource "azurerm_user_assigned_identity" "plan" {
  name                = var.plan_name
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

resource "azurerm_federated_identity_credential" "plan" {
  for_each = toset(var.plan_subjects)

  name                = "plan-${substr(sha1(each.value), 0, 12)}"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.plan.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = var.oidc_issuer
  subject             = each.value
}

# A claim that starts with a prefix (a merge request's source branch varies) needs a claims
# matching expression, which only this preview API of Azure Resource Manager takes.
resource "azapi_resource" "plan_prefix" {
  for_each = toset(var.plan_subject_prefixes)

  type      = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2025-01-31-preview"
  name      = "plan-${substr(sha1(each.value), 0, 12)}"
  parent_id = azurerm_user_assigned_identity.plan.id
  body = {
    properties = {
      issuer    = var.oidc_issuer
      audiences = ["api://AzureADTokenExchange"]
      claimsMatchingExpression = {
        languageVersion = 1
        value           = "claims['sub'] matches '${each.value}*'"
      }
    }
  }
}

# Refreshing reads the environment's subscription (one per environment); Reader reads no blob.
resource "azurerm_role_assignment" "plan_reads" {
  scope                = "/subscriptions/${data.azurerm_client_config.current.subscription_id}"
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.plan.principal_id
  principal_type       = "ServicePrincipal"
}

# `terraform plan -lock=false` reads the state blob and takes no lease on it.
resource "azurerm_role_assignment" "plan_state" {
  scope                = var.state_storage_account_id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.plan.principal_id
  principal_type       = "ServicePrincipal"
}
