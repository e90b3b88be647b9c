"""Full-text message search limited to the caller's rooms."""
