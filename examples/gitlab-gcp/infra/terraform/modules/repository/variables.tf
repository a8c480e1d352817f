# GitLab's own; the variables every CI service's module takes are in variables_common.tf.
variable "path" {
  description = "Full path of the project, group/project."
  type        = string
}

variable "merge_commits" {
  description = "Whether merges keep both parents (GitFlow merges main back into develop); otherwise every merge is a squash onto a linear history."
  type        = bool
  default     = false
}
