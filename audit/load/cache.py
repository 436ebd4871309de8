"""A cache of validated rule packs, so a report does not parse and cross-check seven YAML files.

Loading the bundled pack from YAML (parse with line numbers, validate, cross-check, reachability)
costs more than everything else a report does. The result depends only on the pack files' bytes and
on the code that loads them, so it is kept as the pack's JSON (`model_dump_json`, read back with
`Pack.model_validate_json`: the cache is data, never pickle) under a name that is the
BLAKE2b (256-bit) digest of:

- this cache's format, the wa-audit version and the pydantic version;
- the source of every module of the audit package (each `*.py` under `audit/`), so a development
  checkout that changes a check without a new version still misses;
- each pack file's name, length and bytes;
- the names of the files in the pack's `captures/` (the pack lists its capture versions);
- the language, and the bytes of the pack's catalog for it (`i18n/<lang>.po`): each language is an
  entry of its own, translated once.

A stale entry can therefore never be found: any change to any of those gives another name. An entry
is only written after `load_pack` accepted the pack (every cross-check passed), written atomically
and private (0600 in a 0700 folder). An entry that cannot be read or decoded is ignored
and written again; a cache that cannot be written is no error: the pack was loaded all the same.

The cache folder is $WA_AUDIT_CACHE, else the platform's user cache folder (platformdirs); packs go
to its `packs/` (at most MAX_ENTRIES of them). It holds no answers, and deleting it at any time is safe.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.version import VERSION as PYDANTIC_VERSION

from audit import __version__
from audit.errors import OutputError
from audit.files import read_bounded

if TYPE_CHECKING:
    from audit.model.pack import Pack

CACHE_ENV = "WA_AUDIT_CACHE"
FORMAT = b"wa-audit pack cache 4"
MAX_ENTRIES = 16  # one per pack folder and version in use; tests and --rules trials come and go
# The same bound as a pack file (yamlio.MAX_BYTES); the JSON of a pack is smaller than its YAML.
MAX_FILE_BYTES = 1024 * 1024
MAX_ENTRY_BYTES = 16 * MAX_FILE_BYTES


def cache_dir() -> Path:
    """$WA_AUDIT_CACHE, else the platform's user cache folder for wa-audit."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    from audit.paths import APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def load(directory: Path, *, lang: str = "en", folder: Path | None = None) -> Pack:
    """The pack in `directory` in `lang`, from the cache when its files are unchanged, else via `load_pack`.

    Errors are `load_pack`'s: a pack that is missing or broken is never served from (or put in)
    the cache, so the person sees the same `file:line` message either way.
    """
    key = pack_key(directory, lang)
    if key is None:  # a file is missing, unreadable or not a regular file: load_pack says which
        return _load_files(directory, lang)
    where = (folder if folder is not None else cache_dir()) / "packs"
    entry = where / f"{key}.json"
    cached = _read_entry(entry)
    if cached is not None:
        return cached
    pack = _load_files(directory, lang)
    # The files may have changed while they were loaded: store only what was read under its key.
    if pack_key(directory, lang) == key:
        _store(where, entry, pack)
    return pack


def _load_files(directory: Path, lang: str) -> Pack:
    from audit.load.read import load_pack  # only on a miss: a hit needs no YAML nor cross-checks

    pack = load_pack(directory)
    if lang == "en":
        return pack
    from audit.load.translations import in_language

    return in_language(pack, directory, lang)


def pack_key(directory: Path, lang: str = "en") -> str | None:
    """The digest naming the cache entry of the pack in `directory`, or None if it cannot be read."""
    from audit.load.captures import CAPTURES_DIR
    from audit.model.pack import PACK_FILES

    digest = _blake2b()
    _feed(digest, b"format", FORMAT)
    _feed(digest, b"wa-audit", __version__.encode())
    _feed(digest, b"pydantic", PYDANTIC_VERSION.encode())
    code = Path(__file__).resolve().parents[1]  # every module of the audit package
    sources = sorted(code.rglob("*.py"))
    if not sources:  # an install without sources: nothing proves the code is the same
        return None
    for path in sources:
        source = read_small(path, MAX_FILE_BYTES)
        if source is None:
            return None
        _feed(digest, f"code/{path.relative_to(code).as_posix()}".encode(), source)
    for name in PACK_FILES:
        data = read_small(directory / name, MAX_FILE_BYTES)
        if data is None:
            return None
        _feed(digest, f"pack/{name}".encode(), data)
    # The captures' names are the pack's too (Pack.captures): a capture added is a new pack.
    try:
        names = sorted(entry.name for entry in os.scandir(directory / CAPTURES_DIR))
    except FileNotFoundError:
        names = []
    except OSError:
        return None
    _feed(digest, b"captures", "\n".join(names).encode())
    if lang != "en":
        from audit.load.translations import catalog_path

        catalog = catalog_path(directory, lang)
        data = read_small(catalog, MAX_FILE_BYTES) if catalog.exists() else b""
        if data is None:
            return None
        _feed(digest, f"lang/{lang}".encode(), data)
    key: str = digest.hexdigest()
    return key


def _blake2b() -> Any:
    # BLAKE2b hashes the ~550 KB of sources and pack files about three times faster than SHA-256
    # (which was most of a report's cache lookup), and CPython's own module loads without OpenSSL.
    try:
        from _blake2 import blake2b
    except ImportError:  # a Python without it: hashlib's is the same function
        from hashlib import blake2b
    return blake2b(digest_size=32)


def _feed(digest: Any, label: bytes, data: bytes) -> None:
    # Length-prefixed, so that no two different inputs give the same byte stream.
    digest.update(b"%d:%b%d:%b" % (len(label), label, len(data), data))


def read_small(path: Path, limit: int, *, own: bool = False) -> bytes | None:
    """`fsutil.read_bounded`, with None for a file that cannot be read: the cache then misses."""
    try:
        return read_bounded(path, limit, own=own)
    except OSError:
        return None


def _read_entry(entry: Path) -> Pack | None:
    from pydantic import ValidationError

    from audit.model.pack import Pack

    data = read_small(entry, MAX_ENTRY_BYTES, own=True)
    if data is None:
        return None
    try:
        return Pack.model_validate_json(data)
    except ValidationError:
        return None  # damaged (a disk error, a half-copied folder): loaded again and rewritten


def _store(folder: Path, entry: Path, pack: Pack) -> None:
    from audit.files import atomic_write, ensure_private_dir

    with contextlib.suppress(OutputError, OSError):
        ensure_private_dir(folder)
        atomic_write(entry, pack.model_dump_json())
        _trim(folder, keep=entry)


def _trim(folder: Path, *, keep: Path) -> None:
    """Remove the oldest entries beyond MAX_ENTRIES (never `keep`, the one just written)."""
    entries = []
    for name in os.listdir(folder):
        if len(name) == 69 and name.endswith(".json") and name != keep.name:
            with contextlib.suppress(OSError):
                entries.append((os.lstat(folder / name).st_mtime_ns, folder / name))
    entries.sort()
    for _, old in entries[: max(0, len(entries) - (MAX_ENTRIES - 1))]:
        with contextlib.suppress(OSError):
            old.unlink()
