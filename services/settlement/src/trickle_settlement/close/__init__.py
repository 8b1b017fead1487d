"""The period close: click projection, seal markers, the resumable close run, escrow."""
