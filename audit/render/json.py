"""The JSON report: schema_version 1, keys in field order (`wa-audit schema report` describes it)."""

from __future__ import annotations

from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.base import RenderOptions


class JsonRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        del pack, options
        return report.model_dump_json(indent=2) + "\n"
