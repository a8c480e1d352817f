# The variables every cloud shares are in variables_common.tf.
variable "region" {
  description = "Google Cloud region of every resource, e.g. europe-west1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "The region must be a Google Cloud region name such as \"europe-west1\"."
  }
}

variable "project_id" {
  description = "Google Cloud project of the environment (one project per environment keeps their permissions apart)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "A project ID is 6 to 30 lowercase letters, digits and hyphens, starting with a letter."
  }
}
