# GitHub's own; the variables every CI service's module takes are in variables_common.tf.
variable "name" {
  description = "Name of the repository (without its owner)."
  type        = string
}

variable "merge_commits" {
  description = "Whether merges keep both parents (GitFlow merges main back into develop); otherwise every merge is a squash onto a linear history."
  type        = bool
  default     = false
}

variable "require_signed_commits" {
  description = "Whether main accepts signed commits only (every contributor then needs a signing key)."
  type        = bool
  default     = false
}
