variable "name" {
  description = "Repository name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._/-]{1,254}$", var.name))
    error_message = "An ECR repository name is lowercase letters, digits, '.', '_', '-' and '/'."
  }
}

variable "images_to_keep" {
  description = "How many of the newest images stay; older ones expire."
  type        = number
  default     = 100

  validation {
    condition     = var.images_to_keep >= 10
    error_message = "Keep at least 10 images so a rollback has somewhere to go."
  }
}
