variable "path" {
  description = "Full path of the project, group/project."
  type        = string
}

variable "manage_settings" {
  description = "Whether to manage the project's settings, branch protection and approval rules (one environment does)."
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
  description = "CI job names a merge request pipeline runs; the pipeline must succeed as a whole."
  type        = list(string)

  validation {
    condition     = length(var.required_checks) > 0
    error_message = "Require at least one check: an unchecked main is not protected."
  }
}

variable "required_approvals" {
  description = "Approvals a merge request needs, by someone other than its author and committers."
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
  description = "Environment scope of the variables; empty for every environment (\"*\")."
  type        = string
}
