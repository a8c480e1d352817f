# The variables every cloud shares are in variables_common.tf.
variable "environment" {
  description = "Environment whose state storage this is."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "The environment must be \"staging\" or \"production\"."
  }
}

variable "region" {
  description = "Azure region of the state storage account."
  type        = string
}
