# The CI jobs' identity: a service account that only tokens from the CI service's OIDC issuer,
# for the listed subjects, can act as, through workload identity federation. No key is created.
# It can use exactly the bucket and the registry repository.
terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

resource "google_iam_workload_identity_pool" "ci" {
  workload_identity_pool_id = var.name
  display_name              = var.name
  description               = "CI jobs of the project's repository"
}

resource "google_iam_workload_identity_pool_provider" "ci" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.ci.workload_identity_pool_id
  workload_identity_pool_provider_id = "ci"
  display_name                       = "CI OIDC"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  # Tokens of any other repository or branch are refused before any binding is looked at.
  attribute_condition = "assertion.sub in ${jsonencode(var.subjects)}"

  oidc {
    issuer_uri = var.oidc_issuer
  }
}

resource "google_service_account" "ci" {
  account_id   = var.name
  display_name = "CI jobs (${var.name})"
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each = toset(var.subjects)

  service_account_id = google_service_account.ci.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.ci.name}/subject/${each.value}"
}

resource "google_storage_bucket_iam_member" "objects" {
  bucket = var.bucket_name
  role   = "roles/storage.objectUser"
  member = google_service_account.ci.member
}

resource "google_artifact_registry_repository_iam_member" "images" {
  repository = var.repository_id
  location   = var.location
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.ci.member
}
