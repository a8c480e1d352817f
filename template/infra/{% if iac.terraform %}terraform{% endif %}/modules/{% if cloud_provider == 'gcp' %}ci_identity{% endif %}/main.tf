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
  attribute_condition = join(" || ", concat(
    length(var.subjects) > 0 ? ["assertion.sub in ${jsonencode(var.subjects)}"] : [],
    [for prefix in var.subject_prefixes : "assertion.sub.startsWith(${jsonencode(prefix)})"],
  ))

  oidc {
    issuer_uri = var.oidc_issuer
    # Empty: the provider's own resource name, which jobs request as their audience.
    allowed_audiences = var.audience == null ? [] : [var.audience]
  }

  lifecycle {
    precondition {
      condition     = length(var.subjects) + length(var.subject_prefixes) > 0
      error_message = "The CI identity must trust at least one subject."
    }
  }
}

resource "google_service_account" "ci" {
  account_id   = var.name
  display_name = "CI jobs (${var.name})"
}

# Each exact subject may act as the service account; with prefixes, the pool's identities, which
# the provider's attribute condition already narrowed to those prefixes.
resource "google_service_account_iam_member" "workload_identity" {
  for_each = toset(var.subjects)

  service_account_id = google_service_account.ci.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.ci.name}/subject/${each.value}"
}

resource "google_service_account_iam_member" "workload_identity_pool" {
  count = length(var.subject_prefixes) > 0 ? 1 : 0

  service_account_id = google_service_account.ci.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.ci.name}/*"
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
