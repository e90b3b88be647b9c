"""Operator commands that keep search equal to the messages table (README, "Runbook").

    python -m searchops.redrive  --outputs outputs.json   # replay parked stream batches
    python -m searchops.reindex  --outputs outputs.json   # rebuild the index from the table
    python -m searchops.check    --outputs outputs.json   # compare table and index

Each reads a stack's outputs (`pulumi stack output --json`) or the emulator's
(`.local/outputs.json`), and writes through `functions.indexer.batch.index_actions`, the
indexer Lambda's own code, so every writer sends the same versioned documents.
"""
