output "workload_identity_provider" {
  description = "Full name of the provider: projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ci."
  value       = google_iam_workload_identity_pool_provider.ci.name
}

output "service_account_email" {
  description = "E-mail of the service account CI jobs act as."
  value       = google_service_account.ci.email
}
