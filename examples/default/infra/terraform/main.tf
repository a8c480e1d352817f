locals {
  # .dvc/config's cloud remote is built from the same rule; the template's tests compare them.
  storage_name = "${local.name}-ml"
  # Published as CI variables under these names (repository.tf); the workflows read them.
  ci_variables = {
    AWS_ROLE_ARN      = module.ci_identity.role_arn
    AWS_PLAN_ROLE_ARN = module.ci_identity.plan_role_arn
    REGISTRY          = module.container_registry.repository_url
    DVC_REMOTE_URL    = module.object_storage.dvc_remote_url
  }
}

module "object_storage" {
  source = "./modules/object_storage"

  name                    = local.storage_name
  noncurrent_version_days = var.noncurrent_version_days
}

module "container_registry" {
  source = "./modules/container_registry"

  name = local.name
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
  audience          = local.ci_oidc_audience
  bucket_arn        = module.object_storage.bucket_arn
  repository_arn    = module.container_registry.repository_arn
  kms_key_arns      = [module.object_storage.kms_key_arn, module.container_registry.kms_key_arn]
}
