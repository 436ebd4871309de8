"""Every quote that cites a captured source must occur verbatim in that capture.

The bundled rule pack (rules/whatsapp/*.yaml) cites sources by id; sources with a `capture` name a
file in ../shared/sources/ (or $WA_AUDIT_CAPTURES) that holds the official text word for word. Only
runs of whitespace are collapsed before comparing: quotes, dashes and apostrophes must match
character for character. Without the captures folder these tests skip, and fail in CI (tests/ci.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from tests.ci import missing as absent

REPO = Path(__file__).resolve().parents[1]
PACK = REPO / "rules" / "whatsapp"
CAPTURES = Path(
    os.environ.get("WA_AUDIT_CAPTURES") or Path(__file__).resolve().parents[2] / "shared" / "sources"
)


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _load(name: str) -> dict:
    with open(PACK / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _citations():
    """Yield (where, source_id, quote) for every citation in the pack.

    That is sources, both sides of a dispute, protection exceptions and rights.
    """
    for fname, key in (
        ("flows.yaml", "rules"),
        ("findings.yaml", "findings"),
        ("protections.yaml", "protections"),
        ("protections.yaml", "rights"),
    ):
        for item in _load(fname).get(key) or []:
            lists = {"sources": item.get("sources") or []}
            dispute = item.get("dispute") or {}
            lists["dispute.says"] = dispute.get("says") or []
            lists["dispute.denies"] = dispute.get("denies") or []
            for j, exc in enumerate(item.get("except") or []):
                lists[f"except[{j}].sources"] = exc.get("sources") or []
            for name, cites in lists.items():
                for i, cite in enumerate(cites):
                    yield f"{fname}:{item['id']}:{name}[{i}]", cite["id"], cite.get("quote")


def _sources() -> dict:
    return {s["id"]: s for s in _load("sources.yaml")["sources"]}


def test_every_citation_names_a_known_source():
    sources = _sources()
    unknown = [(where, sid) for where, sid, _ in _citations() if sid not in sources]
    assert not unknown, f"citations of undefined sources: {unknown}"


def test_captures_named_by_sources_exist():
    if not CAPTURES.is_dir():
        absent(f"the captures folder {CAPTURES}", "put the shared sources there or set WA_AUDIT_CAPTURES")
    missing = [
        (s["id"], s["capture"])
        for s in _sources().values()
        if s.get("capture") and not (CAPTURES / s["capture"]).is_file()
    ]
    assert not missing, f"sources naming a missing capture: {missing}"


def test_quotes_of_captured_sources_are_verbatim():
    if not CAPTURES.is_dir():
        absent(f"the captures folder {CAPTURES}", "put the shared sources there or set WA_AUDIT_CAPTURES")
    sources = _sources()
    texts: dict[str, str] = {}
    checked = 0
    failures = []
    for where, sid, quote in _citations():
        capture = sources.get(sid, {}).get("capture")
        if not capture or not quote:
            continue
        if capture not in texts:
            texts[capture] = _ws((CAPTURES / capture).read_text(encoding="utf-8"))
        checked += 1
        if _ws(quote) not in texts[capture]:
            failures.append(f"{where} ({sid}, {capture}): {quote!r}")
    assert checked > 0, "no quote of a captured source was checked"
    # The European and UK policies are quoted too (an EEA person's findings cite S2, a UK person's S3).
    for policy in ("S2", "S3"):
        assert any(sid == policy and quote for _, sid, quote in _citations()), f"no quote of {policy}"
    assert not failures, "quotes not found verbatim:\n" + "\n".join(failures)
