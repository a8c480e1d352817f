locals {
  # .dvc/config's cloud remote is built from the same rule; the template's tests compare them.
  storage_name = "${local.name}-ml"
  # Published as CI variables under these names (repository.tf); the workflows read them.
  ci_variables = {
    GCP_WORKLOAD_IDENTITY_PROVIDER      = module.ci_identity.workload_identity_provider
    GCP_SERVICE_ACCOUNT                 = module.ci_identity.service_account_email
    GCP_PLAN_WORKLOAD_IDENTITY_PROVIDER = module.ci_identity.plan_workload_identity_provider
    GCP_PLAN_SERVICE_ACCOUNT            = module.ci_identity.plan_service_account_email
    REGISTRY                            = module.container_registry.registry
    DVC_REMOTE_URL                      = module.object_storage.dvc_remote_url
  }
}

# The APIs the modules use; left enabled on destroy, as other resources may rely on them.
resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "cloudkms.googleapis.com",
    "containerscanning.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "storage.googleapis.com",
    "sts.googleapis.com",
  ])

  service            = each.value
  disable_on_destroy = false
}

module "object_storage" {
  source = "./modules/object_storage"

  name                    = local.storage_name
  location                = var.region
  noncurrent_version_days = var.noncurrent_version_days

  depends_on = [google_project_service.apis]
}

module "container_registry" {
  source = "./modules/container_registry"

  name     = local.name
  location = var.region

  depends_on = [google_project_service.apis]
}

module "ci_identity" {
  source = "./modules/ci_identity"

  name             = "${local.name}-ci"
  oidc_issuer      = var.ci_oidc_issuer
  subjects         = var.ci_subjects
  subject_prefixes = local.ci_subject_prefixes
  # The plan identity also trusts what the CI identity trusts by prefix (a CI service whose
  # claims end with the job's own ID trusts no request pipeline exactly).
  plan_name             = "${local.name}-plan"
  plan_subjects         = var.ci_plan_subjects
  plan_subject_prefixes = concat(var.ci_plan_subject_prefixes, local.ci_subject_prefixes)
  # bootstrap/main.tf names the state bucket by the same rule.
  state_bucket_name = "${local.name}-tfstate"
  project_id        = var.project_id
  audience          = local.ci_oidc_audience
  bucket_name       = module.object_storage.bucket_name
  repository_id     = module.container_registry.repository_id
  location          = var.region

  depends_on = [google_project_service.apis]
}
