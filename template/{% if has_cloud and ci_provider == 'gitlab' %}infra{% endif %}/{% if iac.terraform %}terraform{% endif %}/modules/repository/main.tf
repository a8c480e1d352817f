# Settings and protection of an existing project: import it once (see the README), then every
# change to how main is protected goes through review like code. Code-owner approval and approval
# rules need GitLab Premium or Ultimate.
terraform {
  required_providers {
    gitlab = {
      source = "gitlabhq/gitlab"
    }
  }
}

data "gitlab_project" "this" {
  path_with_namespace = var.path
}

resource "gitlab_project" "this" {
  #checkov:skip=CKV_GLB_1:Approvals are set by the approval rule below: one, by someone other than the author, fits a small team.
  #checkov:skip=CKV_GLB_4:Signed commits need a signing key on every contributor's machine; turn on push_rules.reject_unsigned_commits when all have one.
  count = var.manage_settings ? 1 : 0

  name             = data.gitlab_project.this.name
  path             = data.gitlab_project.this.path
  namespace_id     = data.gitlab_project.this.namespace_id
  visibility_level = "private"
  # Every job of the pipeline (the required checks) must pass before a merge.
  only_allow_merge_if_pipeline_succeeds            = true
  allow_merge_on_skipped_pipeline                  = false
  only_allow_merge_if_all_discussions_are_resolved = true
  remove_source_branch_after_merge                 = true
  merge_method                                     = var.merge_commits ? "merge" : "ff"
  squash_option                                    = var.merge_commits ? "default_off" : "default_on"

  # Pushes that contain files known to hold secrets (keys, .env, credentials) are refused.
  push_rules {
    prevent_secrets = true
  }

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [description, topics]
  }
}

# Template 0.1.0 protected main alone, as `default[0]`: keep that state, do not recreate it.
moved {
  from = gitlab_branch_protection.default[0]
  to   = gitlab_branch_protection.default["main"]
}

resource "gitlab_branch_protection" "default" {
  for_each = var.manage_settings ? toset(var.protected_branches) : toset([])

  project            = data.gitlab_project.this.id
  branch             = each.value
  push_access_level  = "no one"
  merge_access_level = "maintainer"
  allow_force_push   = false
  # Changes to files with a CODEOWNERS entry need their owners' approval.
  code_owner_approval_required = true
}

resource "gitlab_project_level_mr_approvals" "this" {
  count = var.manage_settings ? 1 : 0

  project                                        = data.gitlab_project.this.id
  reset_approvals_on_push                        = true
  disable_overriding_approvers_per_merge_request = true
  merge_requests_author_approval                 = false
  merge_requests_disable_committers_approval     = true
}

resource "gitlab_project_approval_rule" "reviewers" {
  count = var.manage_settings ? 1 : 0

  project            = data.gitlab_project.this.id
  name               = "Reviewers"
  rule_type          = "any_approver"
  approvals_required = var.required_approvals
}

# Repository-wide variables have the scope "*"; an environment's override them in its jobs and
# are protected, so only pipelines on protected branches see them.
resource "gitlab_project_variable" "ci" {
  for_each = var.ci_variables

  project           = data.gitlab_project.this.id
  key               = each.key
  value             = each.value
  environment_scope = var.ci_variables_environment == "" ? "*" : var.ci_variables_environment
  protected         = var.ci_variables_environment != ""
  masked            = false
  raw               = true
}
