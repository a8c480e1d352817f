# The staging environment: terraform plan -var-file=environments/staging/terraform.tfvars
environment     = "staging"
resource_prefix = "mymlproject"
region          = "eu-west-1"
repository      = "acme/my-ml-project"
ci_oidc_issuer  = "https://token.actions.githubusercontent.com"
ci_subjects     = ["repo:acme/my-ml-project:ref:refs/heads/main", "repo:acme/my-ml-project:pull_request", "repo:acme/my-ml-project:environment:staging"]

# The read-only plan identity's (modules/ci_identity): exact claims and starts of claims.
ci_plan_subjects         = ["repo:acme/my-ml-project:pull_request"]
ci_plan_subject_prefixes = []

# staging owns the repository settings; its outputs become repository-wide CI variables.
manage_repository_settings = true
ci_variables_environment   = ""
