"""Public pages about an account: what the API shows to anybody, signed in or not."""
