output "ci_variable_names" {
  description = "Names of the CI variables this module publishes."
  value       = sort(keys(var.ci_variables))
}

output "required_checks" {
  description = "The steps a pull request's pipeline runs, each of which must pass."
  value       = var.required_checks
}
