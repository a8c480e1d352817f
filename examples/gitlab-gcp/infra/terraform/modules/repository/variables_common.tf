# What every CI service's repository module takes; variables.tf has the service's own.
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

variable "required_checks" {
  description = "CI jobs a merge request must pass before it merges."
  type        = list(string)

  validation {
    condition     = length(var.required_checks) > 0
    error_message = "Require at least one check: an unchecked main is not protected."
  }
}

variable "required_approvals" {
  description = "Approvals a merge request needs before it merges."
  type        = number
  default     = 1

  validation {
    condition     = var.required_approvals >= 1
    error_message = "At least one other person reviews every change."
  }
}

variable "ci_variables" {
  description = "Variables the CI pipeline reads (cloud identity, registry, DVC remote), by name."
  type        = map(string)
}

variable "ci_variables_environment" {
  description = "CI environment the variables belong to; empty for repository-wide variables."
  type        = string
}
