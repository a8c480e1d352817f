variable "path" {
  description = "The repository as workspace/slug."
  type        = string
}

variable "manage_settings" {
  description = "Whether to manage the branch restrictions (one environment does)."
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
  description = "Steps of a pull request's pipeline; Bitbucket requires the builds of its last commit to pass."
  type        = list(string)

  validation {
    condition     = length(var.required_checks) > 0
    error_message = "Require at least one check: an unchecked main is not protected."
  }
}

variable "required_approvals" {
  description = "Approvals a pull request needs before it merges."
  type        = number
  default     = 1

  validation {
    condition     = var.required_approvals >= 1
    error_message = "At least one other person reviews every change."
  }
}

variable "ci_variables" {
  description = "Variables the pipelines read (cloud identity, registry, DVC remote), by name."
  type        = map(string)
}

variable "ci_variables_environment" {
  description = "Deployment environment of the variables; empty for repository variables, which every step reads."
  type        = string
}

variable "deployment_uuid" {
  description = "UUID of that deployment environment, with its braces; empty for repository variables."
  type        = string
}
