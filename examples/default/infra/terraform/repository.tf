# The repository's settings, branch protection and CI variables, as code. The GitHub provider
# reads a token that may administer the repository from GITHUB_TOKEN.
locals {
  repository_owner = split("/", var.repository)[0]
  repository_name  = split("/", var.repository)[1]
  # The CI jobs a pull request must pass: exactly the job names of the CI workflow.
  required_checks = ["check", "workflows", "pipeline", "image", "terraform", "docs"]
}

provider "github" {
  owner = local.repository_owner
}

module "repository" {
  source = "./modules/repository"

  name                     = local.repository_name
  manage_settings          = var.manage_repository_settings
  required_checks          = local.required_checks
  protected_branches       = ["main"]
  merge_commits            = false
  ci_variables             = local.ci_variables
  ci_variables_environment = var.ci_variables_environment
}
