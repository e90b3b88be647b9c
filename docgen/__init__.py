"""Tables in the docs that are generated from code, with a `--write`/`--check` command each."""
