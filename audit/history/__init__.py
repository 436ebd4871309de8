"""Recorded runs (SQLite) and what changed between two."""
