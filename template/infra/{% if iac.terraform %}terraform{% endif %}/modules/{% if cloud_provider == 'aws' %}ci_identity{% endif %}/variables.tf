variable "name" {
  description = "Name of the IAM role."
  type        = string
}

variable "oidc_issuer" {
  description = "OIDC issuer URL of the CI service."
  type        = string
}

variable "audience" {
  description = "Audience (`aud`) of the CI jobs' tokens; null for AWS's own."
  type        = string
  default     = "sts.amazonaws.com"
  nullable    = false
}

variable "subjects" {
  description = "Exact `sub` claims allowed to assume the role."
  type        = list(string)
}

variable "subject_prefixes" {
  description = "Starts of `sub` claims allowed to assume the role, for a CI service that ends each claim with the job's own ID."
  type        = list(string)
  default     = []
}

variable "plan_name" {
  description = "Name of the read-only IAM role request pipelines assume to plan."
  type        = string
}

variable "plan_subjects" {
  description = "Exact `sub` claims allowed to assume the plan role."
  type        = list(string)
}

variable "plan_subject_prefixes" {
  description = "Starts of `sub` claims allowed to assume the plan role."
  type        = list(string)
}

variable "state_bucket_name" {
  description = "The bucket of the environment's Terraform state (bootstrap/), which the plan role reads."
  type        = string
}

variable "bucket_arn" {
  description = "The only bucket the role may read and write."
  type        = string
}

variable "repository_arn" {
  description = "The only ECR repository the role may push to and pull from."
  type        = string
}

variable "kms_key_arns" {
  description = "Keys that encrypt the bucket and the registry."
  type        = list(string)
}
