# Settings and protection of an existing repository: import it once (see the README), then every
# change to how main is protected goes through review like code.
terraform {
  required_providers {
    github = {
      source = "integrations/github"
    }
  }
}

resource "github_repository" "this" {
  count = var.manage_settings ? 1 : 0

  name                   = var.name
  visibility             = "private"
  vulnerability_alerts   = true
  has_issues             = true
  allow_merge_commit     = var.merge_commits
  allow_rebase_merge     = false
  allow_squash_merge     = true
  delete_branch_on_merge = true
  # A `terraform destroy` must not delete the code and its history.
  archive_on_destroy = true

  lifecycle {
    prevent_destroy = true
    # Teams edit these in the web page; Terraform keeps out of the way.
    ignore_changes = [description, homepage_url, topics]
  }
}

# Template 0.1.0 protected main alone, as `default[0]`: keep that state, do not recreate it.
moved {
  from = github_branch_protection.default[0]
  to   = github_branch_protection.default["main"]
}

resource "github_branch_protection" "default" {
  #checkov:skip=CKV_GIT_5:One approval, from a code owner, fits a small team; raise var.required_approvals as it grows.
  #checkov:skip=CKV_GIT_6:Signed commits need a signing key on every contributor's machine; var.require_signed_commits turns them on.
  for_each = var.manage_settings ? toset(var.protected_branches) : toset([])

  repository_id                   = github_repository.this[0].node_id
  pattern                         = each.value
  enforce_admins                  = true
  allows_force_pushes             = false
  allows_deletions                = false
  required_linear_history         = !var.merge_commits
  require_conversation_resolution = true
  require_signed_commits          = var.require_signed_commits

  required_status_checks {
    # The branch must be up to date with main, so the checks ran on what will be merged.
    strict   = true
    contexts = var.required_checks
  }

  required_pull_request_reviews {
    required_approving_review_count = var.required_approvals
    require_code_owner_reviews      = true
    dismiss_stale_reviews           = true
    require_last_push_approval      = true
  }
}

# Deployments to this environment run from protected branches only; its variables override the
# repository-wide ones of the same name in those jobs.
resource "github_repository_environment" "ci" {
  count = var.ci_variables_environment == "" ? 0 : 1

  repository  = var.name
  environment = var.ci_variables_environment

  deployment_branch_policy {
    protected_branches     = true
    custom_branch_policies = false
  }
}

resource "github_actions_variable" "ci" {
  for_each = var.ci_variables_environment == "" ? var.ci_variables : {}

  repository    = var.name
  variable_name = each.key
  value         = each.value
}

resource "github_actions_environment_variable" "ci" {
  for_each = var.ci_variables_environment == "" ? {} : var.ci_variables

  repository    = var.name
  environment   = github_repository_environment.ci[0].environment
  variable_name = each.key
  value         = each.value
}
