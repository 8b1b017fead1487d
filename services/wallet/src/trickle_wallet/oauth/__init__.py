"""The OAuth 2.1 authorization server: client apps, the consent API, authorization codes with PKCE,
rotating refresh tokens in grant families, revocation and server metadata (Authlib underneath)."""
