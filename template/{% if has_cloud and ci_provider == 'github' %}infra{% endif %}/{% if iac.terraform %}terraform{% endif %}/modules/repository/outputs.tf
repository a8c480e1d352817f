output "ci_variable_names" {
  description = "Names of the CI variables this module publishes."
  value       = sort(keys(var.ci_variables))
}
