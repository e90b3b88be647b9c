"""What a chat Lambda runs: its code archive and the shared third-party dependency layer.

The archive holds only `functions/__init__.py`, `functions/common/` and `functions/<name>/`,
so the handler is `functions.<name>.handler.handler` and functions do not ship each other.
The layer is the directory `build/lambda-layer` (its `python/` subfolder is on the Lambda
path) made by `scripts/package_lambdas.py`; Pulumi reads it only when deploying, so under
mocks it need not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.settings import PROJECT_DIR, StackSettings

FUNCTIONS_DIR = PROJECT_DIR / "functions"
LAYER_DIR = PROJECT_DIR / "build" / "lambda-layer"
RUNTIME = "python3.12"
ARCHITECTURE = "arm64"


def handler_path(name: str) -> str:
    return f"functions.{name}.handler.handler"


def code_archive(name: str) -> pulumi.AssetArchive:
    return pulumi.AssetArchive(
        {
            "functions/__init__.py": pulumi.FileAsset(str(FUNCTIONS_DIR / "__init__.py")),
            "functions/common": pulumi.FileArchive(str(FUNCTIONS_DIR / "common")),
            f"functions/{name}": pulumi.FileArchive(str(FUNCTIONS_DIR / name)),
        }
    )


@dataclass
class DependencyLayerArgs:
    settings: StackSettings


class DependencyLayer(pulumi.ComponentResource):
    """Powertools, opensearch-py and requests-aws4auth for every chat Lambda."""

    arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: DependencyLayerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:compute:DependencyLayer", name, None, opts)
        layer = aws.lambda_.LayerVersion(
            f"{name}-layer",
            layer_name=f"{args.settings.prefix}-dependencies",
            description="aws-lambda-powertools, opensearch-py, requests-aws4auth (pinned)",
            code=pulumi.FileArchive(str(LAYER_DIR)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = layer.arn
        self.register_outputs({"arn": self.arn})
