# The variables every cloud shares are in variables_common.tf.
variable "region" {
  description = "Azure region (location) of every resource, e.g. westeurope."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+[0-9]?$", var.region))
    error_message = "The region must be an Azure location name such as \"westeurope\"."
  }
}
