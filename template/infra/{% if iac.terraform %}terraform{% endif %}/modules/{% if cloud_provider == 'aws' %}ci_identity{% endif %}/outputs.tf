output "role_arn" {
  description = "ARN of the role CI jobs assume."
  value       = aws_iam_role.ci.arn
}
