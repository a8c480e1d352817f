# The CI jobs' identities: service accounts that only tokens from the CI service's OIDC issuer,
# for the listed subjects, can act as, through workload identity federation. No key is created.
# The CI identity can use exactly the bucket and the registry repository; the plan identity,
# which request pipelines act as, can only read: the state and the project's settings.
terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

locals {
  # Each identity's pool and provider: the CI identity's, and the read-only plan identity's.
  trusted = {
    ci   = { name = var.name, subjects = var.subjects, prefixes = var.subject_prefixes }
    plan = { name = var.plan_name, subjects = var.plan_subjects, prefixes = var.plan_subject_prefixes }
  }
}

# The CI identity's pool and provider had no key before the plan identity came.
moved {
  from = google_iam_workload_identity_pool.ci
  to   = google_iam_workload_identity_pool.ci["ci"]
}

moved {
  from = google_iam_workload_identity_pool_provider.ci
  to   = google_iam_workload_identity_pool_provider.ci["ci"]
}

resource "google_iam_workload_identity_pool" "ci" {
  for_each = local.trusted

  workload_identity_pool_id = each.value.name
  display_name              = each.value.name
  description               = "CI jobs of the project's repository (${each.key})"
}

resource "google_iam_workload_identity_pool_provider" "ci" {
  for_each = local.trusted

  workload_identity_pool_id          = google_iam_workload_identity_pool.ci[each.key].workload_identity_pool_id
  workload_identity_pool_provider_id = "ci"
  display_name                       = "CI OIDC"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  # Tokens of any other repository or branch are refused before any binding is looked at.
  attribute_condition = join(" || ", concat(
    length(each.value.subjects) > 0 ? ["assertion.sub in ${jsonencode(each.value.subjects)}"] : [],
    [for prefix in each.value.prefixes : "assertion.sub.startsWith(${jsonencode(prefix)})"],
  ))

  oidc {
    issuer_uri = var.oidc_issuer
    # Empty: the provider's own resource name, which jobs request as their audience.
    allowed_audiences = var.audience == null ? [] : [var.audience]
  }

  lifecycle {
    precondition {
      condition     = length(each.value.subjects) + length(each.value.prefixes) > 0
      error_message = "Each CI identity must trust at least one subject."
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
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.ci["ci"].name}/subject/${each.value}"
}

resource "google_service_account_iam_member" "workload_identity_pool" {
  count = length(var.subject_prefixes) > 0 ? 1 : 0

  service_account_id = google_service_account.ci.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.ci["ci"].name}/*"
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

resource "google_service_account" "plan" {
  account_id   = var.plan_name
  display_name = "Terraform plans of request pipelines (${var.plan_name}), read-only"
}

# The plan pool's provider admits only the plan subjects, so the whole pool may act as it.
resource "google_service_account_iam_member" "plan_workload_identity" {
  service_account_id = google_service_account.plan.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.ci["plan"].name}/*"
}

# `terraform plan -lock=false` reads the state and writes no lock object.
resource "google_storage_bucket_iam_member" "plan_state" {
  bucket = var.state_bucket_name
  role   = "roles/storage.objectViewer"
  member = google_service_account.plan.member
}

# Refreshing reads every resource of the project and its IAM policies; neither role writes.
resource "google_project_iam_member" "plan_reads" {
  #checkov:skip=CKV_GCP_117:Viewer only reads, and a plan refreshes every kind of resource this project's root manages.
  for_each = toset(["roles/viewer", "roles/iam.securityReviewer"])

  project = var.project_id
  role    = each.value
  member  = google_service_account.plan.member
}
