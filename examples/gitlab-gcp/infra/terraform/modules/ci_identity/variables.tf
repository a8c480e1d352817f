variable "name" {
  description = "ID of the workload identity pool and the service account (6 to 30 characters)."
  type        = string
}

variable "oidc_issuer" {
  description = "OIDC issuer URL of the CI service."
  type        = string
}

variable "subjects" {
  description = "Exact `sub` claims allowed to act as the service account."
  type        = list(string)
}

variable "subject_prefixes" {
  description = "Starts of `sub` claims allowed to act as the service account, for a CI service that ends each claim with the job's own ID."
  type        = list(string)
  default     = []
}

variable "audience" {
  description = "Audience (`aud`) of the CI jobs' tokens; null for the provider's own resource name."
  type        = string
  default     = null
}

variable "plan_name" {
  description = "ID of the plan identity's workload identity pool and read-only service account (6 to 30 characters)."
  type        = string
}

variable "plan_subjects" {
  description = "Exact `sub` claims allowed to act as the plan service account."
  type        = list(string)
}

variable "plan_subject_prefixes" {
  description = "Starts of `sub` claims allowed to act as the plan service account."
  type        = list(string)
}

variable "state_bucket_name" {
  description = "The bucket of the environment's Terraform state (bootstrap/), which the plan identity reads."
  type        = string
}

variable "project_id" {
  description = "The environment's project, which the plan identity reads."
  type        = string
}

variable "bucket_name" {
  description = "The only bucket the service account may read and write."
  type        = string
}

variable "repository_id" {
  description = "The only Artifact Registry repository the service account may push to."
  type        = string
}

variable "location" {
  description = "Region of the repository."
  type        = string
}
