"""trickle: the operator's command line, talking to the gateway (never to the databases)."""
