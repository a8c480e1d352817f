# Bitbucket Pipelines signs each step's token for its workspace (the audience) and names it
# `{repository UUID}{deployment environment UUID}:{step UUID}`: no branch, and a UUID of its own
# per step. So staging trusts every step of this repository and production only the steps of
# its `production` deployment environment (the release), each by the start of the subject.
variable "bitbucket_workspace_uuid" {
  description = "UUID of the Bitbucket workspace, with its braces (Repository settings > Pipelines > OpenID Connect)."
  type        = string

  validation {
    condition     = can(regex("^\\{[0-9a-f-]{36}\\}$", var.bitbucket_workspace_uuid))
    error_message = "Copy the workspace UUID, with its braces, from Repository settings > Pipelines > OpenID Connect into terraform.tfvars."
  }
}

variable "bitbucket_repository_uuid" {
  description = "UUID of the repository, with its braces (Repository settings > Pipelines > OpenID Connect)."
  type        = string

  validation {
    condition     = can(regex("^\\{[0-9a-f-]{36}\\}$", var.bitbucket_repository_uuid))
    error_message = "Copy the repository UUID, with its braces, from Repository settings > Pipelines > OpenID Connect into terraform.tfvars."
  }
}

variable "bitbucket_deployment_uuid" {
  description = "Production only: UUID of the `production` deployment environment, with its braces; empty in staging."
  type        = string

  validation {
    condition     = (var.environment == "production") == can(regex("^\\{[0-9a-f-]{36}\\}$", var.bitbucket_deployment_uuid)) && (var.environment == "production" || var.bitbucket_deployment_uuid == "")
    error_message = "Production needs the production deployment environment's UUID (Repository settings > Pipelines > OpenID Connect); staging leaves it empty."
  }
}

locals {
  ci_subject_prefixes = [
    var.environment == "production" ? "${var.bitbucket_repository_uuid}${var.bitbucket_deployment_uuid}:" : var.bitbucket_repository_uuid
  ]
  ci_oidc_audience = "ari:cloud:bitbucket::workspace/${trim(var.bitbucket_workspace_uuid, "{}")}"
}
