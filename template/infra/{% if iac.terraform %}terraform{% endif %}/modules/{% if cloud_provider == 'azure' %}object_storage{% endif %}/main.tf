# A storage account reached with Entra ID only (account keys off), with versioned, soft-deleted
# blobs and every blob read, write and delete logged: DVC data in the dvc container, MLflow
# artifacts in the mlflow container.
terraform {
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
    }
  }
}

resource "azurerm_storage_account" "this" {
  #checkov:skip=CKV_AZURE_35:CI runners and laptops reach the account over the internet; Entra ID RBAC with keys disabled guards it. Add network rules once they run in a known network.
  #checkov:skip=CKV_AZURE_59:Same reason as CKV_AZURE_35: the public endpoint stays, authenticated by Entra ID only.
  #checkov:skip=CKV2_AZURE_33:A private endpoint needs a virtual network the CI runners join; see CKV_AZURE_35.
  #checkov:skip=CKV2_AZURE_1:Encrypted twice with platform keys (infrastructure encryption on); a customer key needs a Key Vault of its own to run.
  #checkov:skip=CKV_AZURE_33:The account has no queues; blob access is logged by the diagnostic setting below.
  name                              = var.name
  resource_group_name               = var.resource_group_name
  location                          = var.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = "GRS"
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  infrastructure_encryption_enabled = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  local_user_enabled                = false
  cross_tenant_replication_enabled  = false
  tags                              = var.tags

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = 30
    }

    container_delete_retention_policy {
      days = 30
    }
  }

  sas_policy {
    expiration_period = "01.00:00:00"
  }
}

resource "azurerm_storage_container" "this" {
  #checkov:skip=CKV2_AZURE_21:The diagnostic setting below logs every blob read; this check looks for storage insights, which need the account key (disabled).
  for_each = toset(var.containers)

  name                  = each.value
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

resource "azurerm_storage_management_policy" "this" {
  storage_account_id = azurerm_storage_account.this.id

  # Old versions are the undo history of `dvc push` and of re-logged artifacts: keep them a while.
  rule {
    name    = "expire-old-versions"
    enabled = true

    filters {
      blob_types = ["blockBlob"]
    }

    actions {
      version {
        delete_after_days_since_creation = var.noncurrent_version_days
      }
    }
  }

  # DVC's content-addressed cache is rarely read after a month.
  rule {
    name    = "cool-dvc-cache"
    enabled = true

    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["dvc/"]
    }

    actions {
      base_blob {
        tier_to_cool_after_days_since_modification_greater_than = 30
      }
    }
  }
}

resource "azurerm_log_analytics_workspace" "this" {
  name                = "${var.name}-logs"
  resource_group_name = var.resource_group_name
  location            = var.location
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = var.tags
}

resource "azurerm_monitor_diagnostic_setting" "blobs" {
  name                       = "blob-access"
  target_resource_id         = "${azurerm_storage_account.this.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  enabled_log {
    category = "StorageRead"
  }

  enabled_log {
    category = "StorageWrite"
  }

  enabled_log {
    category = "StorageDelete"
  }
}
