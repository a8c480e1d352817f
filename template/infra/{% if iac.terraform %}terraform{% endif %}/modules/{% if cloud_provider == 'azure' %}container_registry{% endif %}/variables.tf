variable "name" {
  description = "Globally unique registry name: 5 to 50 letters and digits."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9]{5,50}$", var.name))
    error_message = "A registry name is 5 to 50 letters and digits."
  }
}

variable "resource_group_name" {
  description = "Resource group of the registry."
  type        = string
}

variable "location" {
  description = "Region of the registry."
  type        = string
}

variable "tags" {
  description = "Tags of the registry."
  type        = map(string)
}
