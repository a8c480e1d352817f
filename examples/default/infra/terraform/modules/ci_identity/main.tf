# The CI jobs' identities: IAM roles assumed with the CI service's OIDC token, so no access key
# is ever stored. The CI role can use exactly the bucket, the registry and their keys; the plan
# role, which request pipelines assume, can only read: the state and the settings Terraform
# refreshes.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

data "aws_region" "current" {}

locals {
  issuer_host = trimprefix(var.oidc_issuer, "https://")
  # Whom each role trusts: exact claims, and claims that start with a prefix.
  trusted = {
    ci   = { subjects = var.subjects, prefixes = var.subject_prefixes }
    plan = { subjects = var.plan_subjects, prefixes = var.plan_subject_prefixes }
  }
  state_bucket_arn = "arn:aws:s3:::${var.state_bucket_name}"
}

resource "aws_iam_openid_connect_provider" "ci" {
  url            = var.oidc_issuer
  client_id_list = [var.audience]
}

# One statement per kind of subject: exact claims, and claims that start with a prefix (a CI
# service that ends each claim with the job's own ID). Both check the audience.
data "aws_iam_policy_document" "trust" {
  for_each = local.trusted

  dynamic "statement" {
    for_each = {
      for test, values in {
        StringEquals = each.value.subjects
        StringLike   = [for prefix in each.value.prefixes : "${prefix}*"]
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
  assume_role_policy   = data.aws_iam_policy_document.trust["ci"].json
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

resource "aws_iam_role" "plan" {
  name                 = var.plan_name
  description          = "Assumed by request pipelines through OIDC federation to plan; reads only"
  assume_role_policy   = data.aws_iam_policy_document.trust["plan"].json
  max_session_duration = 3600

  lifecycle {
    precondition {
      condition     = length(var.plan_subjects) + length(var.plan_subject_prefixes) > 0
      error_message = "The plan role must trust at least one subject."
    }
  }
}

# What `terraform plan -lock=false` reads: the state, and the settings of every resource this root
# manages. No action writes; the plan takes no lock, so it needs no write to the state bucket.
data "aws_iam_policy_document" "plan" {
  statement {
    sid       = "ListTheStateAndTheBuckets"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn, var.bucket_arn]
  }

  statement {
    sid       = "ReadTheState"
    actions   = ["s3:GetObject"]
    resources = ["${local.state_bucket_arn}/*"]
  }

  # bootstrap/ made the state bucket's key, whose ARN this root does not know: the conditions
  # allow it only through S3, for objects of the state bucket (bucket keys: the bucket's ARN).
  statement {
    sid       = "DecryptTheState"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [local.state_bucket_arn]
    }
  }

  # Bucket-level reads only: an object's actions need an object ARN, which is not listed.
  statement {
    sid       = "ReadTheBucketSettings"
    actions   = ["s3:GetBucket*", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetAccelerateConfiguration"]
    resources = [var.bucket_arn]
  }

  statement {
    sid       = "ReadTheKeys"
    actions   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
    resources = var.kms_key_arns
  }

  statement {
    sid       = "ReadTheRegistry"
    actions   = ["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"]
    resources = [var.repository_arn]
  }

  statement {
    sid = "ReadTheIdentities"
    actions = [
      "iam:GetOpenIDConnectProvider",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies",
    ]
    resources = [aws_iam_openid_connect_provider.ci.arn, aws_iam_role.ci.arn, aws_iam_role.plan.arn]
  }
}

resource "aws_iam_role_policy" "plan" {
  name   = "plan-read-only"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan.json
}
