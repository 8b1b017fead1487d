"""The period close: the gate (seal markers, starting), its repository, the resumable run, the runner and CLI."""
