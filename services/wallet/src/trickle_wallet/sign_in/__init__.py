"""Sign-in for people: email + password credentials, email verification, password resets, rate-limited attempts."""
