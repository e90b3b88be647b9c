"""The Lambda artifact: one build of what is deployed, tested and run by the emulator."""

from artifact.build import Artifact, BuildError, deployed, ensure_built
from artifact.targets import LAMBDA, Target, host

__all__ = ["LAMBDA", "Artifact", "BuildError", "Target", "deployed", "ensure_built", "host"]
