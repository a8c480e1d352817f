data "azurerm_client_config" "current" {}

locals {
  # Storage account and registry names allow letters and digits only. .dvc/config's cloud remote
  # is built from the same rule; the template's tests compare them.
  storage_name  = "${var.resource_prefix}${var.environment}ml"
  registry_name = "${var.resource_prefix}${var.environment}"
  # Published as CI variables under these names (repository.tf); the workflows read them.
  ci_variables = {
    AZURE_CLIENT_ID       = module.ci_identity.client_id
    AZURE_PLAN_CLIENT_ID  = module.ci_identity.plan_client_id
    AZURE_TENANT_ID       = module.ci_identity.tenant_id
    AZURE_SUBSCRIPTION_ID = module.ci_identity.subscription_id
    REGISTRY              = module.container_registry.login_server
    DVC_REMOTE_URL        = module.object_storage.dvc_remote_url
  }
}

resource "azurerm_resource_group" "this" {
  name     = local.name
  location = var.region
  tags     = local.tags
}

module "object_storage" {
  source = "./modules/object_storage"

  name                    = local.storage_name
  resource_group_name     = azurerm_resource_group.this.name
  location                = azurerm_resource_group.this.location
  noncurrent_version_days = var.noncurrent_version_days
  tags                    = local.tags
}

module "container_registry" {
  source = "./modules/container_registry"

  name                = local.registry_name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

module "ci_identity" {
  source = "./modules/ci_identity"

  name                  = "${local.name}-ci"
  resource_group_name   = azurerm_resource_group.this.name
  location              = azurerm_resource_group.this.location
  oidc_issuer           = var.ci_oidc_issuer
  subjects              = var.ci_subjects
  plan_name             = "${local.name}-plan"
  plan_subjects         = var.ci_plan_subjects
  plan_subject_prefixes = var.ci_plan_subject_prefixes
  # bootstrap/main.tf names the state's group and account by the same rule.
  state_storage_account_id = "/subscriptions/${data.azurerm_client_config.current.subscription_id}/resourceGroups/${local.name}-tfstate/providers/Microsoft.Storage/storageAccounts/${var.resource_prefix}${var.environment}tf"
  storage_account_id       = module.object_storage.storage_account_id
  registry_id              = module.container_registry.registry_id
  tags                     = local.tags
}
