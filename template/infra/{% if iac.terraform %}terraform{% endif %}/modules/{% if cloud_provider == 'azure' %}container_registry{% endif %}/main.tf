# A Premium container registry for the serving image: no admin user, no anonymous pulls, content
# trust and quarantine on, untagged manifests purged. Microsoft Defender for Containers scans
# every pushed image (subscription-wide, one subscription per environment).
terraform {
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
    }
  }
}

resource "azurerm_container_registry" "this" {
  #checkov:skip=CKV_AZURE_139:CI runners push over the internet; the registry accepts Entra ID tokens only (no admin user, no anonymous pull).
  #checkov:skip=CKV_AZURE_165:Geo-replication copies every image to a second region at Premium prices; one region serves one environment.
  name                          = var.name
  resource_group_name           = var.resource_group_name
  location                      = var.location
  sku                           = "Premium"
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  public_network_access_enabled = true
  quarantine_policy_enabled     = true
  trust_policy_enabled          = true
  retention_policy_in_days      = 14
  zone_redundancy_enabled       = true
  data_endpoint_enabled         = true
  export_policy_enabled         = true
  tags                          = var.tags
}

resource "azurerm_security_center_subscription_pricing" "containers" {
  tier          = "Standard"
  resource_type = "Containers"
}
