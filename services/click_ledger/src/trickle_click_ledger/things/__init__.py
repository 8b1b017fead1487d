"""Things."""
