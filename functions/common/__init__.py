"""Helpers shared by every Lambda: error types and pagination tokens."""
