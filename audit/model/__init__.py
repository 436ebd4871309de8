"""The data: pydantic models of the pack, answers, assessment and report; the severity order."""
