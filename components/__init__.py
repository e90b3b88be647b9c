"""Pulumi ComponentResources of the chat backend and its typed stack settings (see settings.py)."""
