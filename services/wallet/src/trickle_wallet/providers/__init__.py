"""Payment providers: one interface, a sandbox adapter, and the signed callbacks they send us."""
