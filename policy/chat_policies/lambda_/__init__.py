"""Lambda functions: tracing and runtime; who may invoke them."""

FUNCTION = "aws:lambda/function:Function"
PERMISSION = "aws:lambda/permission:Permission"
