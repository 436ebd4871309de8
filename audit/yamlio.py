"""Safe YAML reading that remembers where every value came from.

Rule packs and answers files are data written by people: they get `file:line: message` errors,
no YAML tags, no aliases (which also rules out "billion laughs" bombs), no duplicate keys (PyYAML
would silently keep the last one), and YAML 1.2 booleans only, so that answers such as `on`, `off`,
`yes` and `no` stay the words the person wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from audit.errors import UserError

MAX_BYTES = 1024 * 1024

# libyaml's parser is much faster; the pure-Python one behaves the same.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BOOL_TAG = "tag:yaml.org,2002:bool"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


class _Loader(_BaseLoader):  # type: ignore[misc]  # CSafeLoader or SafeLoader, chosen at import
    """SafeLoader whose implicit booleans are only true/false."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

Loc = tuple[str | int, ...]


@dataclass
class Located:
    """A parsed YAML document and the line (1-based) of each value, by path."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of the value at `loc`, or of its nearest enclosing value."""
        key = tuple(loc)
        while True:
            if key in self.lines:
                return self.lines[key]
            if not key:
                return None
            key = key[:-1]

    def where(self, loc: Sequence[str | int]) -> str:
        """`file:line` for the value at `loc`."""
        line = self.line_of(loc)
        return f"{self.path}:{line}" if line else str(self.path)


def read_text(path: Path, *, what: str) -> str:
    """Read a small UTF-8 text file, or raise a UserError saying what to do."""
    try:
        if path.is_dir():
            raise UserError(f"{path}: is a folder, not {what}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UserError(f"{path}: {size} bytes is too large for {what} (limit 1 MiB)")
        raw = path.read_bytes()
    except FileNotFoundError as e:
        raise UserError(f"{path}: no such file; check the path of {what}") from e
    except PermissionError as e:
        raise UserError(f"{path}: permission denied; make {what} readable") from e
    except OSError as e:
        raise UserError(f"{path}: cannot read {what} ({e.strerror})") from e
    if b"\x00" in raw:
        raise UserError(f"{path}: is a binary file, not {what}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: byte {e.start} is not UTF-8; save {what} as UTF-8 text") from e


def load_yaml(path: Path, *, what: str, text: str | None = None) -> Located:
    """Parse one YAML document safely, keeping line numbers; raise UserError on any problem."""
    if text is None:
        text = read_text(path, what=what)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        at = f"{path}:{line}" if line else str(path)
        raise UserError(f"{at}: not valid YAML ({e.problem}); fix the syntax") from e
    except yaml.YAMLError as e:
        raise UserError(f"{path}: not valid YAML ({e}); fix the syntax") from e
    finally:
        loader.dispose()
    located = Located(path=path, data=None)
    if node is None:
        return located
    located.data = _build(node, (), located, loader, set())
    return located


def _build(node: yaml.Node, loc: Loc, out: Located, loader: yaml.SafeLoader, seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    out.lines.setdefault(loc, line)
    if id(node) in seen:
        raise UserError(f"{out.path}:{line}: YAML aliases (*name) are not allowed; write the value out")
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        raise UserError(f"{out.path}:{line}: YAML tag '{node.tag}' is not allowed; remove it")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise UserError(f"{out.path}:{key_node.start_mark.line + 1}: keys must be plain words")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise UserError(f"{out.path}:{key_node.start_mark.line + 1}: '<<' merge keys are not allowed")
            key = _scalar(key_node, out, loader)
            if not isinstance(key, str | int):
                key = str(key)
            if key in result:
                raise UserError(
                    f"{out.path}:{key_node.start_mark.line + 1}: duplicate key '{key}'; keep only one"
                )
            out.lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*loc, key), out, loader, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), out, loader, seen) for i, item in enumerate(node.value)]
    return _scalar(node, out, loader)


def _scalar(node: yaml.Node, out: Located, loader: yaml.SafeLoader) -> Any:
    if node.tag not in _PLAIN_TAGS:
        raise UserError(f"{out.path}:{node.start_mark.line + 1}: YAML tag '{node.tag}' is not allowed")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as e:
        problem = str(e).splitlines()[0]
        raise UserError(f"{out.path}:{node.start_mark.line + 1}: bad value ({problem})") from e


def describe_validation_error(doc: Located, err: Any, *, prefix: Sequence[str | int] = ()) -> str:
    """Turn the first error of a pydantic ValidationError into `file:line: field: message`."""
    first = err.errors()[0]
    # Tagged unions put their tag ("~question") in the location; it is not a field.
    loc = tuple(p for p in (*prefix, *first["loc"]) if not (isinstance(p, str) and p.startswith("~")))
    field_name = ".".join(str(p) for p in loc)
    msg = first["msg"]
    if first["type"] == "extra_forbidden":
        msg = "unknown field; remove it or check its spelling"
    elif first["type"] == "missing":
        msg = "required field is missing"
    extra = f" (and {len(err.errors()) - 1} more problems)" if len(err.errors()) > 1 else ""
    return f"{doc.where(loc)}: {field_name}: {msg}{extra}"
