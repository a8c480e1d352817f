# The production environment: terraform plan -var-file=environments/production/terraform.tfvars
environment     = "production"
resource_prefix = "mymlproject"
region          = "westeurope"
repository      = "acme/my-ml-project"
ci_oidc_issuer  = "https://token.actions.githubusercontent.com"
ci_subjects     = ["repo:acme/my-ml-project:environment:production"]

# production's outputs override the repository-wide ones in jobs of the production environment.
manage_repository_settings = false
ci_variables_environment   = "production"
