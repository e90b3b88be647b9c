"""The rooms Lambda: the caller's rooms (a join) and room deletion (a cascade)."""
