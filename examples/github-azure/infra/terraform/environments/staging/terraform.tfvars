# The staging environment: terraform plan -var-file=environments/staging/terraform.tfvars
environment     = "staging"
resource_prefix = "mymlproject"
region          = "westeurope"
repository      = "acme/my-ml-project"
ci_oidc_issuer  = "https://token.actions.githubusercontent.com"
ci_subjects     = ["repo:acme/my-ml-project:ref:refs/heads/main", "repo:acme/my-ml-project:pull_request", "repo:acme/my-ml-project:environment:staging"]

# staging owns the repository settings; its outputs become repository-wide CI variables.
manage_repository_settings = true
ci_variables_environment   = ""
