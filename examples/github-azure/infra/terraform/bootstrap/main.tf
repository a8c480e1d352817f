# Run once per environment, before anything else, to make the resource group and storage account
# that hold its Terraform state (the same hardening as the data account). Its own state is local:
# it manages a few resources that `terraform import` can always recover.
#   terraform -chdir=bootstrap init
#   terraform -chdir=bootstrap apply -var-file=../environments/staging/terraform.tfvars
terraform {
  required_version = ">= 1.10, < 2.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.9"
    }
  }
}

provider "azurerm" {
  features {}
  storage_use_azuread = true
}

locals {
  # environments/<environment>/backend.tfbackend names the same group, account and container.
  name = "${var.resource_prefix}-${var.environment}-tfstate"
  tags = {
    project     = var.resource_prefix
    environment = var.environment
    managed-by  = "terraform"
  }
}

resource "azurerm_resource_group" "state" {
  name     = local.name
  location = var.region
  tags     = local.tags
}

module "state" {
  source = "../modules/object_storage"

  name                    = "${var.resource_prefix}${var.environment}tf"
  resource_group_name     = azurerm_resource_group.state.name
  location                = azurerm_resource_group.state.location
  containers              = ["tfstate"]
  noncurrent_version_days = 365
  tags                    = local.tags
}

output "state_storage_account" {
  description = "Storage account of the environment's Terraform state."
  value       = module.state.storage_account_name
}
