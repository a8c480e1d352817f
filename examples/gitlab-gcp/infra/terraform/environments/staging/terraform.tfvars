# The staging environment: terraform plan -var-file=environments/staging/terraform.tfvars
environment     = "staging"
resource_prefix = "mymlproject"
region          = "europe-west1"
project_id      = "mymlproject-staging"
repository      = "acme/my-ml-project"
ci_oidc_issuer  = "https://gitlab.com"
ci_subjects     = ["project_path:acme/my-ml-project:ref_type:branch:ref:main", "project_path:acme/my-ml-project:ref_type:branch:ref:develop"]

# The read-only plan identity's (modules/ci_identity): exact claims and starts of claims.
ci_plan_subjects         = []
ci_plan_subject_prefixes = ["project_path:acme/my-ml-project:ref_type:branch:ref:"]

# staging owns the repository settings; its outputs become repository-wide CI variables.
manage_repository_settings = true
ci_variables_environment   = ""
