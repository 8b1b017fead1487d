"""The seal: a period's end, its markers, the next period."""
