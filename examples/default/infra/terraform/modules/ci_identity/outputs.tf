output "role_arn" {
  description = "ARN of the role CI jobs assume."
  value       = aws_iam_role.ci.arn
}

output "plan_role_arn" {
  description = "ARN of the read-only role request pipelines assume to plan."
  value       = aws_iam_role.plan.arn
}
