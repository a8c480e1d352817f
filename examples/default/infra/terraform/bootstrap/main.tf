# Run once per environment, before anything else, to make the bucket that holds its Terraform
# state (with the same hardening as the data bucket). Its own state is local: it manages a single
# bucket that `terraform import` can always recover.
#   terraform -chdir=bootstrap init
#   terraform -chdir=bootstrap apply -var-file=../environments/staging/terraform.tfvars
terraform {
  required_version = ">= 1.10, < 2.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = var.resource_prefix
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}

module "state" {
  source = "../modules/object_storage"

  # environments/<environment>/backend.tfbackend names the same bucket.
  name                    = "${var.resource_prefix}-${var.environment}-tfstate"
  noncurrent_version_days = 365
}

output "state_bucket" {
  description = "Bucket of the environment's Terraform state."
  value       = module.state.bucket_name
}
