# The project's settings, branch protection, approval rules and CI variables, as code. The GitLab
# provider reads a token with the api scope (Maintainer or Owner) from GITLAB_TOKEN; set
# GITLAB_BASE_URL for a self-managed instance.
locals {
  # The CI jobs of a merge request pipeline; GitLab requires the pipeline as a whole to succeed.
  required_checks = ["check", "pipeline", "model", "build-image", "terraform", "docs"]
}

provider "gitlab" {}

module "repository" {
  source = "./modules/repository"

  path                     = var.repository
  manage_settings          = var.manage_repository_settings
  required_checks          = local.required_checks
  protected_branches       = ["main", "develop"]
  merge_commits            = true
  ci_variables             = local.ci_variables
  ci_variables_environment = var.ci_variables_environment
}
