"""Where the bundled rule pack and report templates live: inside the wheel, or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # audit/, where the wheel puts _data/
_CHECKOUT = _PACKAGE.parent


def _locate(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _CHECKOUT / name


def rules_dir() -> Path:
    """The folder holding the bundled rule packs (one sub-folder per pack)."""
    return _locate("rules")


def default_pack_dir() -> Path:
    """The bundled WhatsApp pack."""
    return rules_dir() / "whatsapp"


def reports_dir() -> Path:
    """The folder holding the report templates."""
    return _locate("reports")


def examples_dir() -> Path:
    """The folder holding the example answers files (`wa-audit example` lists them)."""
    return _locate("examples")
