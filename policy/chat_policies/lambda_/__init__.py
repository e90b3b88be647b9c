"""Lambda functions: tracing and runtime."""

FUNCTION = "aws:lambda/function:Function"
