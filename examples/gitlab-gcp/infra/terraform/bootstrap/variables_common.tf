# The environment's terraform.tfvars sets these variables and more: Terraform ignores the values
# it has no variable for, with a warning.
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

variable "resource_prefix" {
  description = "Prefix of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,11}$", var.resource_prefix))
    error_message = "The resource prefix must be 3 to 12 lowercase letters and digits, starting with a letter."
  }
}
