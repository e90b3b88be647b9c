"""The real Pulumi program under mocks: what a stack declares, recorded without an account.

A package of its own (not under `tests/`) because the offline policy run (`policy.offline`)
and the benches use it as much as the unit tests do.
"""
