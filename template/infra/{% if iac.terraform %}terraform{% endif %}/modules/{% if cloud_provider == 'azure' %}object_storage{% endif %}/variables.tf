variable "name" {
  description = "Globally unique storage account name: 3 to 24 lowercase letters and digits."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.name))
    error_message = "A storage account name is 3 to 24 lowercase letters and digits."
  }
}

variable "resource_group_name" {
  description = "Resource group of the account."
  type        = string
}

variable "location" {
  description = "Region of the account."
  type        = string
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted blob version is kept."
  type        = number
}

variable "tags" {
  description = "Tags of the account."
  type        = map(string)
}

variable "containers" {
  description = "Private blob containers to create in the account."
  type        = list(string)
  default     = ["dvc", "mlflow"]
}

variable "log_retention_days" {
  description = "Days the blob access logs are kept."
  type        = number
  default     = 90
}
