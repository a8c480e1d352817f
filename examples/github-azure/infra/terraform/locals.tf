# The name and the tags (Google Cloud: labels) every cloud's resources share; main.tf adds its own.
locals {
  name = "${var.resource_prefix}-${var.environment}"
  tags = {
    project     = var.resource_prefix
    environment = var.environment
    managed-by  = "terraform"
  }
}
