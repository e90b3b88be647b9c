"""The offline AppSync: the same schema, templates, Lambdas and tables, on one machine.

`emulator.core.AppSyncEngine` executes GraphQL like AppSync; `emulator.testing.LocalApi`
runs it in-process over moto for tests; the server shell (`python -m emulator`) serves it
over HTTP and the AppSync real-time WebSocket protocol.
"""
