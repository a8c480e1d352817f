# A customer-managed KMS key with yearly rotation, one per bucket or registry, so revoking one
# key affects one store.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

data "aws_caller_identity" "current" {}

# The AWS default key policy: the account administers the key, and IAM policies (the CI role's)
# grant its use. In a key policy, "*" as the resource means this key and nothing else.
data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:A key policy's "*" resource is the key itself; the principal is this account only.
  #checkov:skip=CKV_AWS_111:A key policy's "*" resource is the key itself; the principal is this account only.
  #checkov:skip=CKV_AWS_356:A key policy's "*" resource is the key itself; the principal is this account only.
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}
