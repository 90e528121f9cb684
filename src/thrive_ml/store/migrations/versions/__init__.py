"""Migration scripts. Hand-written; a test checks they build exactly `store/tables.py`."""
