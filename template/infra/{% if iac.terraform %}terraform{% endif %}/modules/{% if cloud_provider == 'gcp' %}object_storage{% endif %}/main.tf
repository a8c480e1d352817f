# A private, versioned bucket encrypted with its own key: DVC data under dvc/, MLflow artifacts
# under mlflow/.
terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

data "google_storage_project_service_account" "gcs" {}

module "key" {
  source = "../encryption_key"

  name           = var.name
  location       = var.location
  service_agents = { storage = data.google_storage_project_service_account.gcs.email_address }
}

resource "google_storage_bucket" "this" {
  #checkov:skip=CKV_GCP_62:Access logs need a second bucket per environment; Cloud Audit Logs (data access) are the audit trail for this one.
  name                        = var.name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = module.key.id
  }

  # Old versions are the undo history of `dvc push` and of re-logged artifacts: keep them a while.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 7
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  # DVC's content-addressed cache is rarely read after a month.
  lifecycle_rule {
    condition {
      age            = 30
      matches_prefix = ["dvc/"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }
}
