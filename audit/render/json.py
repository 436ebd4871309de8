"""The JSON report: SHARING_MODEL.md section 6, schema_version 1, stable key order."""

from __future__ import annotations

import json

from audit.assessment import Report
from audit.pack import Pack
from audit.render.base import RenderOptions


class JsonRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        del pack, options
        data = report.model_dump(mode="json", by_alias=True)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
