"""Resources whose loss cannot be redeployed: data stores, keys, identities."""
