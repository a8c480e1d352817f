variable "name" {
  description = "Name of the key ring and the key."
  type        = string
}

variable "location" {
  description = "Region of the key; it must match the store it encrypts."
  type        = string
}

variable "service_agents" {
  description = "E-mails of the Google service agents that encrypt and decrypt with the key, by a name."
  type        = map(string)
}
