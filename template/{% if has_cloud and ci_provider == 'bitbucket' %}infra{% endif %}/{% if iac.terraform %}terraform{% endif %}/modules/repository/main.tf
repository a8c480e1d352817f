# Branch restrictions of an existing repository and the variables its pipelines read: every
# change to how main is protected goes through review like code.
terraform {
  required_providers {
    bitbucket = {
      source = "DrFaust92/bitbucket"
    }
  }
}

locals {
  workspace = split("/", var.path)[0]
  slug      = split("/", var.path)[1]
  # What every protected branch restricts (a value where the kind takes one): nobody pushes,
  # force-pushes or deletes it, so changes arrive by pull request; a merge needs approvals, a
  # passing build of its last commit and no open request for changes, and a new push resets the
  # approvals.
  kinds = {
    push                                  = null
    force                                 = null
    delete                                = null
    require_approvals_to_merge            = var.required_approvals
    require_passing_builds_to_merge       = 1
    require_no_changes_requested          = null
    reset_pullrequest_approvals_on_change = null
  }
  restrictions = merge([
    for branch in var.protected_branches : {
      for kind, value in local.kinds : "${branch}/${kind}" => { branch = branch, kind = kind, value = value }
    }
  ]...)
}

data "bitbucket_repository" "this" {
  workspace = local.workspace
  repo_slug = local.slug
}

resource "bitbucket_branch_restriction" "protected" {
  for_each = var.manage_settings ? local.restrictions : {}

  owner      = local.workspace
  repository = local.slug
  kind       = each.value.kind
  pattern    = each.value.branch
  value      = each.value.value
}

# Repository variables reach every step; a deployment environment's override them in the steps
# of that environment (the release).
resource "bitbucket_repository_variable" "ci" {
  for_each = var.ci_variables_environment == "" ? var.ci_variables : {}

  repository = data.bitbucket_repository.this.id
  key        = each.key
  value      = each.value
  secured    = false
}

resource "bitbucket_deployment_variable" "ci" {
  for_each = var.ci_variables_environment == "" ? {} : var.ci_variables

  deployment = "${data.bitbucket_repository.this.id}:${var.deployment_uuid}"
  key        = each.key
  value      = each.value
  secured    = false
}
