"""`wa-audit schema KIND`: valid JSON Schemas that accept what wa-audit reads and writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from audit.app.cli import main
from audit.load.resources import default_pack_dir
from audit.load.yamlio import load_yaml
from tests.conftest import EXAMPLES


def schema_of(kind: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["schema", kind]) == 0
    schema: dict[str, Any] = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return schema


def errors(schema: dict[str, Any], document: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [e.message for e in validator.iter_errors(document)]


def as_json(document: object) -> object:
    """What a JSON tool sees of a YAML document (dates become strings)."""
    return json.loads(json.dumps(document, default=str))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_answers_schema_accepts_the_examples(
    home: Path, capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    schema = schema_of("answers", capsys)
    assert errors(schema, as_json(load_yaml(example, what="an answers file").data)) == []


@pytest.mark.parametrize(
    "broken",
    [
        {"pack": "whatsapp", "answers": {}},  # no schema_version
        {"schema_version": 2, "pack": "whatsapp"},
        {"schema_version": 1, "pack": "whatsapp", "answer": {}},  # a misspelt key
        {"schema_version": 1, "pack": "whatsapp", "answers": {"region": 3}},
    ],
)
def test_the_answers_schema_refuses_what_the_reader_refuses(
    home: Path, capsys: pytest.CaptureFixture[str], broken: dict[str, object]
) -> None:
    assert errors(schema_of("answers", capsys), broken)


def test_the_report_schema_accepts_a_report(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = schema_of("report", capsys)
    for example in sorted(EXAMPLES.glob("*.yaml")):
        main(["report", "--answers", str(example), "--format", "json"])
        report = json.loads(capsys.readouterr().out)
        assert errors(schema, report) == [], example.name
    # The keys scripts rely on (SHARING_MODEL.md section 6) are described, by their JSON names.
    assert {"schema_version", "generated_at", "pack", "score", "flows", "findings", "recommendations"} <= set(
        schema["properties"]
    )
    assert "from" in schema["$defs"]["Recommendation"]["properties"]
    # v2 keys (additive: schema_version stays 1).
    assert "rights" in schema["properties"]
    assert {"holds", "except"} <= set(schema["$defs"]["ProtectionOut"]["properties"])
    assert "disputed" in schema["$defs"]["FindingOut"]["properties"]["certainty"]["enum"]
    assert "dispute" in schema["$defs"]["FindingOut"]["properties"]


def test_the_pack_schema_accepts_the_bundled_pack(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = schema_of("pack", capsys)
    folder = default_pack_dir()

    def load(name: str) -> Any:
        # wa-audit's own reader: YAML 1.2 booleans, so an unquoted `on` stays a word.
        return load_yaml(folder / name, what="a rule pack file").data

    pack = {
        "meta": load("pack.yaml"),
        "vocabulary": load("vocabulary.yaml"),
        "sources": load("sources.yaml")["sources"],
        "questions": load("questions.yaml")["questions"],
        "rules": load("flows.yaml")["rules"],
        "findings": load("findings.yaml")["findings"],
        "protections": load("protections.yaml")["protections"],
    }
    assert errors(schema, as_json(pack)) == []
    pack["rules"][0]["when"] = {"question": "region"}  # no `in`: not a condition
    assert errors(schema, as_json(pack))


@pytest.mark.parametrize("kind", ["history", "diff"])
def test_the_history_and_diff_schemas_accept_their_json(
    kind: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = schema_of(kind, capsys)
    written = json.loads((Path(__file__).parent / "render" / "golden" / f"{kind}.json").read_text())
    assert errors(schema, written) == []
    assert errors(schema, {**written, "surprise": 1})  # no key beyond those described


def test_an_unknown_kind_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["schema", "runs"])
    assert exit_.value.code == 2
