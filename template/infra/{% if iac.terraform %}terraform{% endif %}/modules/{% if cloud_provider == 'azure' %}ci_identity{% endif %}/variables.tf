variable "name" {
  description = "Name of the managed identity."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the identity."
  type        = string
}

variable "location" {
  description = "Region of the identity."
  type        = string
}

variable "oidc_issuer" {
  description = "OIDC issuer URL of the CI service."
  type        = string
}

variable "subjects" {
  description = "Exact `sub` claims allowed to log in as the identity."
  type        = list(string)
}

variable "plan_name" {
  description = "Name of the read-only managed identity request pipelines log in as to plan."
  type        = string
}

variable "plan_subjects" {
  description = "Exact `sub` claims allowed to log in as the plan identity."
  type        = list(string)
}

variable "plan_subject_prefixes" {
  description = "Starts of `sub` claims allowed to log in as the plan identity (claims matching expressions)."
  type        = list(string)
}

variable "state_storage_account_id" {
  description = "The storage account of the environment's Terraform state (bootstrap/), whose blobs the plan identity reads."
  type        = string
}

variable "storage_account_id" {
  description = "The only storage account whose blobs the identity may read and write."
  type        = string
}

variable "registry_id" {
  description = "The only registry the identity may push to."
  type        = string
}

variable "tags" {
  description = "Tags of the identity."
  type        = map(string)
}
