"""AppSync GraphQL APIs: authentication, logs, tracing."""

API = "aws:appsync/graphQLApi:GraphQLApi"
