# The CI jobs' identity: an IAM role assumed with the CI service's OIDC token, so no access key
# is ever stored. It can use exactly the bucket, the registry and their keys.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

locals {
  issuer_host = trimprefix(var.oidc_issuer, "https://")
}

resource "aws_iam_openid_connect_provider" "ci" {
  url            = var.oidc_issuer
  client_id_list = [var.audience]
}

# One statement per kind of subject: exact claims, and claims that start with a prefix (a CI
# service that ends each claim with the job's own ID). Both check the audience.
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = {
      for test, values in {
        StringEquals = var.subjects
        StringLike   = [for prefix in var.subject_prefixes : "${prefix}*"]
      } : test => values if length(values) > 0
    }

    content {
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [aws_iam_openid_connect_provider.ci.arn]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.issuer_host}:aud"
        values   = [var.audience]
      }

      condition {
        test     = statement.key
        variable = "${local.issuer_host}:sub"
        values   = statement.value
      }
    }
  }
}

resource "aws_iam_role" "ci" {
  name                 = var.name
  description          = "Assumed by CI jobs through OIDC federation"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600

  lifecycle {
    precondition {
      condition     = length(var.subjects) + length(var.subject_prefixes) > 0
      error_message = "The CI role must trust at least one subject."
    }
  }
}

data "aws_iam_policy_document" "access" {
  statement {
    sid       = "ListTheBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.bucket_arn]
  }

  statement {
    sid       = "ReadAndWriteObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.bucket_arn}/*"]
  }

  statement {
    sid       = "UseTheEncryptionKeys"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = var.kms_key_arns
  }

  # ECR issues login tokens per account: this action has no resource to narrow it to.
  statement {
    sid       = "LogInToTheRegistry"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushAndPullTheImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImageScanFindings",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [var.repository_arn]
  }
}

resource "aws_iam_role_policy" "access" {
  name   = "ci-access"
  role   = aws_iam_role.ci.id
  policy = data.aws_iam_policy_document.access.json
}
