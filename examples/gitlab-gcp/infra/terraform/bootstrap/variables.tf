# Google Cloud's own; the variables every cloud shares are in variables_common.tf.
variable "project_id" {
  description = "Google Cloud project of the environment."
  type        = string
}
