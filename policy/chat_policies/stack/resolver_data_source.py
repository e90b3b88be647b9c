"""Every resolver and pipeline function reaches a data source (or function) that exists."""

from pulumi_policy import Severity

from .._support import as_list, dig, stack_policy
from . import known_strings, of_type


def _check(args):
    data_sources = known_strings(of_type(args, "aws:appsync/dataSource:DataSource"), "name")
    functions = list(of_type(args, "aws:appsync/function:Function"))
    function_ids = known_strings(functions, "functionId")
    for function in functions:
        source = function.props.get("dataSource")
        if source not in data_sources:
            yield (
                f"pipeline function {function.name!r} uses missing data source {source!r}.",
                function.urn,
            )
    for resolver in of_type(args, "aws:appsync/resolver:Resolver"):
        field = f"{resolver.props.get('type')}.{resolver.props.get('field')}"
        if resolver.props.get("kind") == "PIPELINE":
            wanted = as_list(dig(resolver.props, "pipelineConfig.functions"))
            if not wanted:
                yield f"pipeline resolver {field} runs no function.", resolver.urn
            for function_id in wanted:
                if function_id not in function_ids:
                    yield f"resolver {field} runs missing function {function_id!r}.", resolver.urn
        else:
            source = resolver.props.get("dataSource")
            if source not in data_sources:
                yield f"resolver {field} uses missing data source {source!r}.", resolver.urn


POLICY = stack_policy(
    name="appsync-resolver-data-source-exists",
    description=(
        'AppSync rejects a resolver whose data source is absent ("No data source found") '
        "halfway through an update; catch it before the deploy starts."
    ),
    checks="every resolver's data source exists",
    remediation=(
        "create the DataSource (from chatspec.datasources) and pass depends_on=[data source, "
        "schema] to the resolver."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("deployment",),
    link="https://docs.aws.amazon.com/appsync/latest/APIReference/API_CreateResolver.html",
)
