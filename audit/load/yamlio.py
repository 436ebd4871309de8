"""Safe YAML reading that remembers where every value came from.

Rule packs and answers files are data written by people: they get `file:line: message` errors,
no YAML tags, no aliases (which also rules out "billion laughs" bombs), no duplicate keys (PyYAML
would silently keep the last one), and YAML 1.2 booleans only, so that answers such as `on`, `off`,
`yes` and `no` stay the words the person wrote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from audit.errors import UserError, show
from audit.files import FileTooLarge, NotRegularFile, read_bounded
from audit.lang import _, ngettext
from audit.model.pack import Problem

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
# Bidirectional overrides can make text read differently from what it is ("Trojan Source").
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

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
    text: str = field(default="", repr=False)

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
    """Read a small UTF-8 text file (fsutil.read_bounded), or raise a UserError saying what to do."""
    try:
        raw = read_bounded(path, MAX_BYTES)
    except FileNotFoundError as e:
        # Translators: {what} is one of "an answers file", "a draft", "a rule pack file" (translated too).
        raise UserError(_("no such file; check the path of {what}").format(what=what), where=str(path)) from e
    except PermissionError as e:
        raise UserError(
            _("permission denied; make {what} readable (chmod u+r)").format(what=what), where=str(path)
        ) from e
    except IsADirectoryError as e:
        raise UserError(
            _("is a folder, not {what}; give the path of the file").format(what=what), where=str(path)
        ) from e
    except NotRegularFile as e:
        raise UserError(
            _("is not a regular file; give the path of {what}").format(what=what), where=str(path)
        ) from e
    except FileTooLarge as e:
        if e.size is not None:
            large = _("{size} bytes is too large for {what} (limit 1 MiB); check the file")
        else:
            large = _("too large for {what} (limit 1 MiB); check the file")
        raise UserError(large.format(size=e.size, what=what), where=str(path)) from e
    except OSError as e:
        raise UserError(
            _("cannot open {what} ({reason}); check the path").format(what=what, reason=e.strerror),
            where=str(path),
        ) from e
    if _is_utf16(raw):
        # Windows Notepad's "Unicode" encoding; the bytes are fine, only the encoding is wrong.
        raise UserError(
            _('is saved as UTF-16 (Notepad\'s "Unicode"), not UTF-8; save it as UTF-8'), where=str(path)
        )
    if b"\x00" in raw:
        raise UserError(
            _("is a binary file, not {what}; give the path of a YAML text file").format(what=what),
            where=str(path),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise UserError(
            _("byte {offset} is not UTF-8; save {what} as UTF-8 text").format(offset=e.start, what=what),
            where=f"{path}:{line}",
        ) from e


def _is_utf16(raw: bytes) -> bool:
    """A UTF-16 byte order mark, or text whose every other byte is zero (UTF-16 without one)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = raw[:64]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (not any(even) and all(odd)) or (not any(odd) and all(even))


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
        if line is not None and _tab_indented(text, line):
            raise UserError(
                _("YAML indents with spaces, not tabs; replace the tabs on line {line} with spaces").format(
                    line=line
                ),
                where=at,
            ) from e
        # The problem itself is PyYAML's, in English.
        problem = e.problem or e.context or "syntax error"
        raise UserError(
            _("not valid YAML ({problem}); fix the syntax").format(problem=problem), where=at
        ) from e
    except yaml.reader.ReaderError as e:
        # Raw control characters; the reader knows the position but gives no line.
        line = text[: e.position].count("\n") + 1
        raise UserError(
            _("character {code} is not allowed in YAML; remove it").format(code=f"U+{e.character:04X}"),
            where=f"{path}:{line}",
        ) from e
    except yaml.YAMLError as e:
        problem = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise UserError(
            _("not valid YAML ({problem}); fix the syntax").format(problem=problem), where=str(path)
        ) from e
    finally:
        loader.dispose()
    located = Located(path=path, data=None, text=text)
    if node is None:
        return located
    located.data = _build(node, (), located, loader, set())
    return located


def _tab_indented(text: str, line: int) -> bool:
    """Whether a tab in the indentation of `line` (or of the line before) broke the parse."""
    lines = text.splitlines()
    for n in (line, line - 1):
        if 0 < n <= len(lines):
            body = lines[n - 1]
            if "\t" in body[: len(body) - len(body.lstrip(" \t"))]:
                return True
    return False


def _first_alias_line(text: str) -> int | None:
    # The composed graph shares the anchored node, so only the events know where *name was written.
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                return int(event.start_mark.line) + 1
    except yaml.YAMLError:
        return None
    return None


def _build(node: yaml.Node, loc: Loc, out: Located, loader: yaml.SafeLoader, seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    out.lines.setdefault(loc, line)
    if id(node) in seen:
        line = _first_alias_line(out.text) or line
        raise UserError(
            _("YAML aliases (*name) are not allowed; write the value out"), where=f"{out.path}:{line}"
        )
    seen.add(id(node))
    if len(loc) >= MAX_DEPTH:
        # Our packs nest 7 deep; this keeps a hostile file from exhausting Python's stack.
        raise UserError(
            _("nested more than {depth} levels deep; flatten it").format(depth=MAX_DEPTH),
            where=f"{out.path}:{line}",
        )
    if node.tag not in _PLAIN_TAGS:
        raise UserError(
            _("YAML tag '{tag}' is not allowed; remove it").format(tag=show(node.tag)),
            where=f"{out.path}:{line}",
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise UserError(_("keys must be plain words; fix this key"), where=f"{out.path}:{key_line}")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise UserError(
                    _("'<<' merge keys are not allowed; write the keys out"), where=f"{out.path}:{key_line}"
                )
            key = _scalar(key_node, out, loader)
            if not isinstance(key, str | int):
                key = str(key)
            if key in result:
                raise UserError(
                    _("duplicate key '{key}'; keep only one").format(key=show(key)),
                    where=f"{out.path}:{key_line}",
                )
            out.lines[(*loc, key)] = key_line
            result[key] = _build(value_node, (*loc, key), out, loader, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), out, loader, seen) for i, item in enumerate(node.value)]
    return _scalar(node, out, loader)


def _scalar(node: yaml.Node, out: Located, loader: yaml.SafeLoader) -> Any:
    line = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        raise UserError(
            _("YAML tag '{tag}' is not allowed; remove it").format(tag=show(node.tag)),
            where=f"{out.path}:{line}",
        )
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as e:
        problem = show(str(e).splitlines()[0] if str(e) else type(e).__name__, 80)
        raise UserError(
            _("bad value ({problem}); fix or quote it").format(problem=problem), where=f"{out.path}:{line}"
        ) from e
    if isinstance(value, str):
        bad = next((ch for ch in value if _is_forbidden(ch)), None)
        if bad is not None:
            # Escapes such as "\e[31m" would reach terminals and reports as live control codes.
            raise UserError(
                _("control character {code} is not allowed in text; remove it").format(
                    code=f"U+{ord(bad):04X}"
                ),
                where=f"{out.path}:{line}",
            )
    return value


def _is_forbidden(ch: str) -> bool:
    if ch in "\n\t":
        return False
    return unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS


def validation_problem(
    doc: Located, error: ErrorDetails, *, others: int = 0, hint: str | None = None
) -> Problem:
    """One error of a pydantic ValidationError as `file:line` and `field: message; hint`."""
    # Tagged unions put their tag ("~question") in the location; it is not a field.
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("~")))
    msg = show(error["msg"], 200)  # pydantic's own words, in English
    if hint is None:
        hint = _("fix this value")
    if error["type"] == "extra_forbidden":
        msg, hint = _("unknown field"), _("remove it or check its spelling")
    elif error["type"] == "missing":
        msg, hint = _("required field is missing"), _("add it")
    field = ".".join(show(p) for p in loc)
    if others:
        said = ngettext(
            "{field}: {problem}; {fix} (and {count} more problems)",
            "{field}: {problem}; {fix} (and {count} more problems)",
            others,
        )
    else:
        said = _("{field}: {problem}; {fix}")
    return Problem(doc.where(loc), said.format(field=field, problem=msg, fix=hint, count=others))


def first_problem(doc: Located, err: ValidationError, *, hint: str | None = None) -> Problem:
    """The first error of `err`, saying how many more there are."""
    return validation_problem(doc, err.errors()[0], others=err.error_count() - 1, hint=hint)
