# The variables every cloud shares are in variables_common.tf.
variable "environment" {
  description = "Environment whose state bucket this is."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "The environment must be \"staging\" or \"production\"."
  }
}

variable "region" {
  description = "Google Cloud region of the state bucket."
  type        = string
}

variable "project_id" {
  description = "Google Cloud project of the environment."
  type        = string
}
