"""The report templates' jinja2 environment, and their compiled code kept between runs.

`environment()` is the one place a jinja2 Environment is made (HTML and Markdown reports), each
once per process. Compiling the HTML report's templates (parse, generate Python, compile) costs
more than rendering them, so the compiled code is kept between processes, in `templates/` of the
cache folder (audit.load.cache).

jinja2's own file cache stores a pickled checksum; this one stores a plain text header and the
code object (`marshal`, as Python's own `__pycache__` does). The header is the SHA-256 of:
the template's name and source checksum (from jinja2), the source of the modules that configure the
Environment (this one and the renderer's: delimiters, whitespace, autoescape change the compiled
code), the jinja2 version and the Python bytecode magic. Any change gives another header, and an
entry whose header differs, or whose code cannot be read, is compiled again and rewritten: stale
code is never run. Entries are written with `atomic_write` (0600, in a 0700 folder); a cache that
cannot be written is no error.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from audit.errors import OutputError
from audit.load.cache import cache_dir, read_small
from audit.load.resources import reports_dir

FORMAT = b"wa-audit template cache 1"
MAX_ENTRY_BYTES = 16 * 1024 * 1024


class TemplateCache(BytecodeCache):
    """jinja2's BytecodeCache over one folder, keyed and checked as described above."""

    def __init__(self, folder: Path, configured_by: bytes) -> None:
        self.folder = folder
        self._salt = hashlib.sha256(
            b"\0".join((FORMAT, jinja2.__version__.encode(), importlib.util.MAGIC_NUMBER, configured_by))
        ).digest()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def _header(self, bucket: Bucket) -> bytes:
        digest = hashlib.sha256(self._salt)
        digest.update(f"{bucket.key}\0{bucket.checksum}".encode())
        return FORMAT + b" " + digest.hexdigest().encode() + b"\n"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = read_small(self._path(bucket), MAX_ENTRY_BYTES, own=True)
        header = self._header(bucket)
        if data is None or not data.startswith(header):
            return  # missing, or for another source or setup: jinja2 compiles it
        try:
            # Our own file (read_small checked owner and modes), compiled from our own template.
            code = marshal.loads(data[len(header) :])  # noqa: S302 - see above and the docstring
        except (EOFError, ValueError, TypeError):
            return  # damaged: compiled again, then rewritten by dump_bytecode
        if isinstance(code, CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        from audit.files import atomic_write, ensure_private_dir

        if bucket.code is None:
            return
        with contextlib.suppress(OutputError, OSError, ValueError):
            ensure_private_dir(self.folder)
            atomic_write(self._path(bucket), self._header(bucket) + marshal.dumps(bucket.code))


def for_module(module_file: str, *, folder: Path | None = None) -> TemplateCache | None:
    """The template cache for the Environment configured in `module_file` (pass `__file__`).

    None when that module's source cannot be read (an install without sources): then nothing
    proves the cached code matches the Environment, and templates are compiled every time.
    """
    source = read_small(Path(module_file), 1024 * 1024)
    own = read_small(Path(__file__), 1024 * 1024)
    if source is None or own is None:
        return None
    return TemplateCache((folder if folder is not None else cache_dir()) / "templates", source + own)


def environment(folder: str, configured_by: str, *, autoescape: bool, **options: Any) -> jinja2.Environment:
    """The Environment for the templates in `reports/<folder>/`, with the renderer's `options`.

    Undefined names are errors, block tags leave no blank lines, and the compiled code is cached
    for the module `configured_by` (the renderer's `__file__`).
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(reports_dir() / folder),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=for_module(configured_by),
        autoescape=autoescape,  # noqa: S701 - HTML turns it on; Markdown escapes in `finalize`
        **options,
    )
