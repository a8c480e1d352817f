# The variables every cloud shares are in variables_common.tf.
variable "region" {
  description = "AWS region of every resource, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as \"eu-west-1\"."
  }
}
