"""A person's data: the export of everything the wallet holds about an account, and the account's deletion."""
