"""A table with a stream sends the new image, which is what the search indexer reads."""

from pulumi_policy import Severity

from .._support import dig, is_true, resource_policy

_WITH_NEW_IMAGE = {"NEW_IMAGE", "NEW_AND_OLD_IMAGES"}


def _check(args):
    if not is_true(dig(args.props, "streamEnabled")):
        return
    view = dig(args.props, "streamViewType")
    if view not in _WITH_NEW_IMAGE:
        yield f"streamViewType is {view!r}; the indexer needs the new image of each item."


POLICY = resource_policy(
    name="dynamodb-stream-new-image",
    description=(
        "The search indexer rebuilds documents from stream records; a stream without the "
        "new image (KEYS_ONLY, OLD_IMAGE) silently indexes nothing."
    ),
    resource_types=["aws:dynamodb/table:Table"],
    checks="a table's stream carries the new image",
    remediation='set stream_view_type="NEW_AND_OLD_IMAGES" (or "NEW_IMAGE").',
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html",
)
