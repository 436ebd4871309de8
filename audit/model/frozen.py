"""The one base of wa-audit's data (pack, conditions, answers, assessment, report, history rows)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """A frozen pydantic model that refuses unknown fields.

    Fields are given by name or by alias (`from_` or `from`) and written by alias, as files spell them.
    A model's validator is built when it is first used: a report uses a fraction of the fifty models.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True, defer_build=True
    )
