# The production environment: terraform plan -var-file=environments/production/terraform.tfvars
environment     = "production"
resource_prefix = "mymlproject"
region          = "westeurope"
repository      = "acme/my-ml-project"
ci_oidc_issuer  = "https://token.actions.githubusercontent.com"
ci_subjects     = ["repo:acme/my-ml-project:environment:production"]

# The read-only plan identity's (modules/ci_identity): exact claims and starts of claims.
ci_plan_subjects         = ["repo:acme/my-ml-project:environment:production"]
ci_plan_subject_prefixes = []

# production's outputs override the repository-wide ones in jobs of the production environment.
manage_repository_settings = false
ci_variables_environment   = "production"
