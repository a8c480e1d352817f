terraform {
  required_version = ">= 1.10, < 2.0"

  required_providers {
    # 4.9 is the first azurerm that creates blob containers through Azure Resource Manager.
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.9"
    }
    # The plan identity's federated credentials that match a claim's start (modules/ci_identity).
    azapi = {
      source  = "azure/azapi"
      version = "~> 2.0"
    }
    github = {
      source  = "integrations/github"
      version = "~> 6.0"
    }
  }
}

# The subscription comes from ARM_SUBSCRIPTION_ID (one subscription per environment). Storage is
# reached with Entra ID, never with account keys, which are disabled.
provider "azurerm" {
  features {}
  storage_use_azuread = true
}
