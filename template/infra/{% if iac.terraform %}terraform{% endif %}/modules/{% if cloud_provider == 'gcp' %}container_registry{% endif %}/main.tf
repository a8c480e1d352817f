# One Artifact Registry Docker repository for the serving image: tags never move, and with the
# Container Scanning API on (root main.tf) every pushed image is scanned.
terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

data "google_project" "current" {}

module "key" {
  source = "../encryption_key"

  name     = "${var.name}-registry"
  location = var.location
  service_agents = {
    artifact-registry = "service-${data.google_project.current.number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
  }
}

resource "google_artifact_registry_repository" "this" {
  repository_id = var.name
  location      = var.location
  format        = "DOCKER"
  description   = "Serving images"
  kms_key_name  = module.key.id

  # A tag names one image forever: a deployment pinned to v1.2.0 cannot change under it.
  docker_config {
    immutable_tags = true
  }

  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "1209600s"
    }
  }

  cleanup_policies {
    id     = "keep-newest"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.images_to_keep
    }
  }
}
