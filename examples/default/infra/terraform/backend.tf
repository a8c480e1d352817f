# Remote state in the environment's state bucket (made once by bootstrap/). The bucket, key and
# region come from environments/<environment>/backend.tfbackend:
#   terraform init -backend-config=environments/staging/backend.tfbackend
terraform {
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}
