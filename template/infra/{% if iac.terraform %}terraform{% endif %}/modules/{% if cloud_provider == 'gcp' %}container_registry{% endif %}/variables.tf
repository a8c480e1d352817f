variable "name" {
  description = "Repository ID."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,61}[a-z0-9]$", var.name))
    error_message = "A repository ID is lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "location" {
  description = "Region of the repository."
  type        = string
}

variable "images_to_keep" {
  description = "How many of the newest image versions the cleanup policy always keeps."
  type        = number
  default     = 100

  validation {
    condition     = var.images_to_keep >= 10
    error_message = "Keep at least 10 images so a rollback has somewhere to go."
  }
}
