"""What a chat Lambda runs: its code archive and the shared dependency layer, both taken
from the one artifact build (`artifact.deployed()`, Linux arm64, `artifact.targets.LAMBDA_RUNTIME`).

Nothing here packs files: the program deploys exactly the archives that `make test`
built, imported and invoked (for this machine) and whose distributions it compared with
the Lambda build. Building is incremental, so a `pulumi preview` with unchanged sources
rebuilds nothing and the code hashes do not change.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from artifact import Artifact, deployed
from artifact.targets import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME
from stacksettings.view import View

RUNTIME = LAMBDA_RUNTIME
ARCHITECTURE = LAMBDA_ARCHITECTURE


def handler_path(name: str) -> str:
    return f"functions.{name}.handler.handler"


def lambda_artifact() -> Artifact:
    return deployed()


def code_archive(name: str) -> pulumi.FileArchive:
    return pulumi.FileArchive(str(lambda_artifact().function_zip(name)))


@dataclass(frozen=True)
class LayerSettings(View):
    """The stack settings that shape the dependency layer."""

    prefix: str


@dataclass
class DependencyLayerArgs:
    settings: LayerSettings


class DependencyLayer(pulumi.ComponentResource):
    """The third-party libraries of `functions/requirements.txt`, pinned, for every Lambda."""

    arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: DependencyLayerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:compute:DependencyLayer", name, None, opts)
        built = lambda_artifact()
        distributions = ", ".join(f"{n} {v}" for n, v in sorted(built.distributions.items()))
        layer = aws.lambda_.LayerVersion(
            f"{name}-layer",
            layer_name=f"{args.settings.prefix}-dependencies",
            description=f"pinned: {distributions}"[:256],
            code=pulumi.FileArchive(str(built.layer_zip)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = layer.arn
        self.register_outputs({"arn": self.arn})
