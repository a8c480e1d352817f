# One ECR repository for the serving image: tags never move, every push is scanned.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

module "key" {
  source = "../encryption_key"

  description = "Encrypts the images of ${var.name}"
}

resource "aws_ecr_repository" "this" {
  name = var.name
  # A tag names one image forever: a deployment pinned to v1.2.0 cannot change under it.
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.key.arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged layers left by rebuilt images"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 14
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the newest tagged images only"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.images_to_keep
        }
        action = { type = "expire" }
      },
    ]
  })
}
