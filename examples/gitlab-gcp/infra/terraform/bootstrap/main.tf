# Run once per environment, before anything else, to make the bucket that holds its Terraform
# state (with the same hardening as the data bucket). Its own state is local: it manages a single
# bucket that `terraform import` can always recover.
#   terraform -chdir=bootstrap init
#   terraform -chdir=bootstrap apply -var-file=../environments/staging/terraform.tfvars
terraform {
  required_version = ">= 1.10, < 2.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
  default_labels = {
    project     = var.resource_prefix
    environment = var.environment
    managed-by  = "terraform"
  }
}

resource "google_project_service" "apis" {
  for_each = toset(["cloudkms.googleapis.com", "storage.googleapis.com"])

  service            = each.value
  disable_on_destroy = false
}

module "state" {
  source = "../modules/object_storage"

  # environments/<environment>/backend.tfbackend names the same bucket.
  name                    = "${var.resource_prefix}-${var.environment}-tfstate"
  location                = var.region
  noncurrent_version_days = 365

  depends_on = [google_project_service.apis]
}

output "state_bucket" {
  description = "Bucket of the environment's Terraform state."
  value       = module.state.bucket_name
}
