from __future__ import annotations

from pathlib import Path

import pytest

from audit.errors import UserError
from audit.load.yamlio import MAX_BYTES, load_yaml


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "doc.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_keeps_line_numbers_per_path(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "a: 1\nb:\n  - x: 2\n    y: 3\n"), what="t")
    assert doc.data == {"a": 1, "b": [{"x": 2, "y": 3}]}
    assert doc.line_of(("b", 0, "y")) == 4
    assert doc.line_of(("b", 0, "missing")) == 3  # nearest enclosing value
    assert doc.where(("a",)).endswith("doc.yaml:1")


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "On", "NO"])
def test_yaml_11_booleans_stay_words(tmp_path: Path, word: str) -> None:
    assert load_yaml(write(tmp_path, f"v: {word}\n"), what="t").data == {"v": word}


def test_true_false_are_booleans(tmp_path: Path) -> None:
    assert load_yaml(write(tmp_path, "a: true\nb: false\n"), what="t").data == {"a": True, "b": False}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "doc.yaml:2: duplicate key 'a'"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("a: !!python/object/apply:os.system [ls]\n", "tag"),
        ("a: [1\n", "not valid YAML"),
        ("<<: {a: 1}\n", "merge keys"),
        ("--- 1\n--- 2\n", "not valid YAML"),
    ],
)
def test_refuses_unsafe_or_ambiguous_yaml(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(UserError, match=expected) as info:
        load_yaml(write(tmp_path, text), what="t")
    assert "\n" not in info.value.message


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        lines.append(f"{chr(i)}: &{chr(i)} [{', '.join(['*' + prev] * 9)}]")
    with pytest.raises(UserError, match="aliases"):
        load_yaml(write(tmp_path, "\n".join(lines) + "\n"), what="t")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x00\x01\x02", "binary"),
        (b"a: caf\xe9\n", "not UTF-8"),
        (b"a: " + b"x" * (MAX_BYTES + 1), "too large"),
    ],
)
def test_refuses_bad_files(tmp_path: Path, content: bytes, expected: str) -> None:
    with pytest.raises(UserError, match=expected):
        load_yaml(write(tmp_path, content), what="t")


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        load_yaml(tmp_path / "nope.yaml", what="t")
    with pytest.raises(UserError, match="is a folder"):
        load_yaml(tmp_path, what="t")


def test_empty_file_has_no_data(tmp_path: Path) -> None:
    assert load_yaml(write(tmp_path, ""), what="t").data is None
