"""Answers against the pack: flows, findings, the score and the plan."""
