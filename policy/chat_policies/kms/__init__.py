"""KMS keys: rotation and description."""

KEY = "aws:kms/key:Key"
