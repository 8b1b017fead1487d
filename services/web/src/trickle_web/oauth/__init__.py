"""The OAuth consent page an app sends a person to (the wallet is the authorization server)."""
