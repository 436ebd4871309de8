"""The one clock: times in UTC, in whole seconds (the precision runs and reports show)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def in_utc(at: datetime) -> datetime:
    """`at` (timezone-aware) in UTC, whole seconds."""
    return at.astimezone(UTC).replace(microsecond=0)
