variable "name" {
  description = "Name of the repository (without its owner)."
  type        = string
}

variable "manage_settings" {
  description = "Whether to manage the repository's settings and branch protection (one environment does)."
  type        = bool
}

variable "protected_branches" {
  description = "Branches protected alike: main, which releases are made from, and any long-lived integration branch."
  type        = list(string)
  default     = ["main"]

  validation {
    condition     = contains(var.protected_branches, "main")
    error_message = "main is where releases are made from: it is always protected."
  }
}

variable "merge_commits" {
  description = "Whether merges keep both parents (GitFlow merges main back into develop); otherwise every merge is a squash onto a linear history."
  type        = bool
  default     = false
}

variable "required_checks" {
  description = "CI job names that must pass before a pull request merges."
  type        = list(string)

  validation {
    condition     = length(var.required_checks) > 0
    error_message = "Require at least one check: an unchecked main is not protected."
  }
}

variable "required_approvals" {
  description = "Approving reviews a pull request needs, code owners' among them."
  type        = number
  default     = 1

  validation {
    condition     = var.required_approvals >= 1
    error_message = "At least one other person reviews every change."
  }
}

variable "require_signed_commits" {
  description = "Whether main accepts signed commits only (every contributor then needs a signing key)."
  type        = bool
  default     = false
}

variable "ci_variables" {
  description = "Variables the CI workflows read (cloud identity, registry, DVC remote), by name."
  type        = map(string)
}

variable "ci_variables_environment" {
  description = "GitHub environment the variables belong to; empty for repository-wide variables."
  type        = string
}
