output "workload_identity_provider" {
  description = "Full name of the provider: projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ci."
  value       = google_iam_workload_identity_pool_provider.ci["ci"].name
}

output "service_account_email" {
  description = "E-mail of the service account CI jobs act as."
  value       = google_service_account.ci.email
}

output "plan_workload_identity_provider" {
  description = "Full name of the plan identity's provider, which request pipelines exchange their token with."
  value       = google_iam_workload_identity_pool_provider.ci["plan"].name
}

output "plan_service_account_email" {
  description = "E-mail of the read-only service account request pipelines act as to plan."
  value       = google_service_account.plan.email
}
