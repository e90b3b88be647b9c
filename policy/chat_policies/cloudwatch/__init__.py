"""CloudWatch log groups."""

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
