# The CI service names each job's token by an exact subject (var.ci_subjects, per environment in
# its terraform.tfvars) and lets the jobs ask for the cloud's own audience.
locals {
  ci_subject_prefixes = []
  ci_oidc_audience    = null
}
