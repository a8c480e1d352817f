# The staging environment: terraform plan -var-file=environments/staging/terraform.tfvars
environment     = "staging"
resource_prefix = "mymlproject"
region          = "europe-west1"
project_id      = "mymlproject-staging"
repository      = "acme/my-ml-project"
ci_oidc_issuer  = "https://gitlab.com"
ci_subjects     = ["project_path:acme/my-ml-project:ref_type:branch:ref:main", "project_path:acme/my-ml-project:ref_type:branch:ref:develop"]

# staging owns the repository settings; its outputs become repository-wide CI variables.
manage_repository_settings = true
ci_variables_environment   = ""
