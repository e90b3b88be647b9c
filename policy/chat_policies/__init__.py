"""The realtime-chat policies: one per module, `<area>/<rule>.py`, each registering itself.

Importable without starting anything: `registry.discover()` imports every module of this
package, so `POLICIES` holds every policy defined here in module-path order, with no list
to keep. `policy/__main__.py` hands `POLICIES` to `PolicyPack` (which serves them to the
Pulumi CLI), and `policy.offline` runs them over the mocked stacks.
"""

from pulumi_policy import Policy

from .registry import discover

POLICIES: list[Policy] = [registered.policy for registered in discover()]
