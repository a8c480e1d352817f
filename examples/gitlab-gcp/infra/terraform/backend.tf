# Remote state in the environment's state bucket (made once by bootstrap/). The bucket and prefix
# come from environments/<environment>/backend.tfbackend:
#   terraform init -backend-config=environments/staging/backend.tfbackend
# GCS locks the state by itself and encrypts it at rest.
terraform {
  backend "gcs" {}
}
