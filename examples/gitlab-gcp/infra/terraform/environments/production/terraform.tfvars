# The production environment: terraform plan -var-file=environments/production/terraform.tfvars
environment     = "production"
resource_prefix = "mymlproject"
region          = "europe-west1"
project_id      = "mymlproject-production"
repository      = "acme/my-ml-project"
ci_oidc_issuer  = "https://gitlab.com"
ci_subjects     = ["project_path:acme/my-ml-project:ref_type:branch:ref:main"]

# The read-only plan identity's (modules/ci_identity): exact claims and starts of claims.
ci_plan_subjects         = ["project_path:acme/my-ml-project:ref_type:branch:ref:main"]
ci_plan_subject_prefixes = []

# production's outputs override the repository-wide ones in jobs of the production environment.
manage_repository_settings = false
ci_variables_environment   = "production"
