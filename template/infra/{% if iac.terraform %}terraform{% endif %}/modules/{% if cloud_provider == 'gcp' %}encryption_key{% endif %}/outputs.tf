output "id" {
  description = "ID of the crypto key."
  # Reading through the grants makes stores that use the key wait until the agents may use it.
  value = google_kms_crypto_key.this.id

  depends_on = [google_kms_crypto_key_iam_member.service_agents]
}
