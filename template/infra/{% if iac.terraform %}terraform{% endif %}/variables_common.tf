variable "environment" {
  description = "Environment these resources belong to; part of every resource name."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "The environment must be \"staging\" or \"production\"."
  }
}

variable "resource_prefix" {
  description = "Prefix of every resource name: 3 to 12 lowercase letters and digits, starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,11}$", var.resource_prefix))
    error_message = "The resource prefix must be 3 to 12 lowercase letters and digits, starting with a letter."
  }
}

variable "repository" {
  description = "The project's repository as owner/name (GitLab: group/project path); CI identities trust only it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+$", var.repository))
    error_message = "The repository must be written owner/name, e.g. \"acme/churn-model\"."
  }
}

variable "ci_oidc_issuer" {
  description = "OIDC issuer URL of the CI service whose tokens the CI role accepts."
  type        = string

  validation {
    condition     = startswith(var.ci_oidc_issuer, "https://")
    error_message = "The OIDC issuer must be an https:// URL."
  }
}

variable "ci_subjects" {
  description = "Exact `sub` claims of the CI jobs allowed to assume the CI role (branches, pull requests, environments)."
  type        = list(string)

  validation {
    condition     = alltrue([for subject in var.ci_subjects : !strcontains(subject, "*")])
    error_message = "Each subject must be exact: a wildcard would let other branches in."
  }
}

variable "ci_plan_subjects" {
  description = "Exact `sub` claims of the CI jobs allowed to assume the read-only plan identity (pull requests)."
  type        = list(string)

  validation {
    condition     = alltrue([for subject in var.ci_plan_subjects : !strcontains(subject, "*")])
    error_message = "Each plan subject must be exact; starts of claims go in ci_plan_subject_prefixes."
  }
}

variable "ci_plan_subject_prefixes" {
  description = "Starts of `sub` claims allowed to assume the read-only plan identity (a merge request's pipeline names its source branch)."
  type        = list(string)

  validation {
    condition     = alltrue([for prefix in var.ci_plan_subject_prefixes : strcontains(prefix, var.repository) && endswith(prefix, ":")])
    error_message = "Each plan prefix must name the repository and end with a colon, so no other repository's claims start with it."
  }
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted object version is kept before it expires."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_days >= 7
    error_message = "Keep old versions at least 7 days, long enough to notice a bad push."
  }
}

variable "manage_repository_settings" {
  description = "Whether this environment's state owns the repository settings and branch protection (exactly one environment does)."
  type        = bool
}

variable "ci_variables_environment" {
  description = "CI environment the outputs are published to as variables; empty for repository-wide variables."
  type        = string

  validation {
    condition     = contains(["", "production"], var.ci_variables_environment)
    error_message = "Publish to the repository (\"\") or to the \"production\" environment."
  }
}
