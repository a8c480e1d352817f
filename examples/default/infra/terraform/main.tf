locals {
  # .dvc/config's cloud remote is built from the same rule; the template's tests compare them.
  storage_name = "${local.name}-ml"
  # Published as CI variables under these names (repository.tf); the workflows read them.
  ci_variables = {
    AWS_ROLE_ARN   = module.ci_identity.role_arn
    REGISTRY       = module.container_registry.repository_url
    DVC_REMOTE_URL = module.object_storage.dvc_remote_url
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
  audience         = local.ci_oidc_audience
  bucket_arn       = module.object_storage.bucket_arn
  repository_arn   = module.container_registry.repository_arn
  kms_key_arns     = [module.object_storage.kms_key_arn, module.container_registry.kms_key_arn]
}
