"""Compiles the code's translation catalogs into the `.mo` files gettext reads.

Each `audit/locale/*/LC_MESSAGES/wa_audit.po`, for every wheel, editable ones included (`make` keeps
them fresh while working).
The `.mo` files are build products: ignored by git, added to the wheel here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted((root / "audit" / "locale").glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                with po.open("rb") as source:
                    catalog = read_po(source, locale=po.parent.parent.name)
                tmp = mo.with_suffix(".mo.tmp")
                with tmp.open("wb") as target:
                    write_mo(target, catalog)  # fuzzy entries left out, as `pybabel compile` does
                tmp.replace(mo)
            build_data["artifacts"].append(mo.relative_to(root).as_posix())
