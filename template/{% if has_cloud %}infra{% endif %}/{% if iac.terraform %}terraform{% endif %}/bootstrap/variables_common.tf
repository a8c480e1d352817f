# The environment's terraform.tfvars sets these variables (here and in variables.tf) and more:
# Terraform ignores the values it has no variable for, with a warning.
variable "resource_prefix" {
  description = "Prefix of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,11}$", var.resource_prefix))
    error_message = "The resource prefix must be 3 to 12 lowercase letters and digits, starting with a letter."
  }
}
