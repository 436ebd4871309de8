"""The JSON report: SHARING_MODEL.md section 6, schema_version 1, stable key order."""

from __future__ import annotations

import json

from audit.assessment import Report
from audit.pack import Pack
from audit.records import to_jsonable
from audit.render.base import RenderOptions


class JsonRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        del pack, options
        data = to_jsonable(report)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
