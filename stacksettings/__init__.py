"""Typed, validated stack settings, read by the Pulumi program, the emulator and the tests.

A package of its own (not under `components/`) because the emulator and the tools read the
settings without importing any Pulumi component.
"""
