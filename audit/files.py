"""Files on disk: bounded reads, and atomic, private writes (a reader sees the old file or the new).

Every file wa-audit reads goes through `read_bounded`: only a regular file, and no more than a limit.

Every file wa-audit writes goes through `atomic_write`: the bytes go to a temp file in the same
folder (`.NAME.XXXX.tmp`, mode 0600), are fsynced, and the temp file is renamed over the target;
the folder is fsynced so the rename itself survives a power cut. A process killed part-way leaves
the old file intact and at most a stray temp file, which the next write to the same name removes
once it is clearly abandoned (older than STALE_TEMP_SECONDS).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from audit.errors import OutputError, UserError
from audit.lang import _

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
# A temp file this old belongs to a writer that died: a live write takes milliseconds.
STALE_TEMP_SECONDS = 600


class NotRegularFile(OSError):
    """Something other than a regular file or folder (a FIFO, a device) where a file belongs."""


class FileTooLarge(OSError):
    """A file over the limit; `size` is its size when it was over before reading."""

    def __init__(self, size: int | None) -> None:
        super().__init__(errno.EFBIG, "file too large")
        self.size = size


def read_bounded(path: Path, limit: int, *, own: bool = False) -> bytes:
    """The bytes of the regular file at `path`, of at most `limit` bytes; OSError otherwise.

    Only regular files are read: a FIFO would block forever and a link to /dev/zero would never end,
    whatever their reported size. A folder raises IsADirectoryError, anything else NotRegularFile,
    and a file over the limit (before reading, or grown since) FileTooLarge. With `own`, only a file
    that is this user's and that no one else may write, in a folder no one else may write, is read
    (PermissionError otherwise): what a cache holds must be what wa-audit wrote there.
    """
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for files.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > limit:
            raise FileTooLarge(info.st_size)
        if own and not (_private(info) and _private(os.stat(path.parent))):
            raise PermissionError(errno.EPERM, "not private to this user", str(path))
        chunks: list[bytes] = []
        left = limit + 1  # one byte more: a file that grew after fstat is refused too
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileTooLarge(None)
    return data


def _private(info: os.stat_result) -> bool:
    uid = os.geteuid() if hasattr(os, "geteuid") else info.st_uid
    return info.st_uid == uid and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents as 0700; leave an existing folder's mode alone.

    Not `mkdir(parents=True)`: that creates the parents with the umask's mode (often 0755), and the
    home holding the answers would be readable by everyone.
    """
    if path.is_dir():
        return path
    missing = [path, *(p for p in path.parents if not p.exists())]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
            os.chmod(folder, PRIVATE_DIR)  # mkdir's mode passes through the umask
        except FileExistsError:
            if not folder.is_dir():
                raise OutputError(
                    _("{path}: is a file, not a folder; choose another --home").format(path=folder)
                ) from None
        except OSError as e:
            raise OutputError(
                _("{path}: cannot create folder ({reason}); choose another --home").format(
                    path=folder, reason=e.strerror
                )
            ) from e
    return path


# Temp files are named `.NAME.XXXXXXXX.tmp`, NAME the file they become (`new` while `create_new`
# has not chosen one): how `forget` and `remove_stale_temps` know them.
TEMP_SUFFIX = ".tmp"
NEW_FILE = "new"


def temp_prefix(path: Path) -> str:
    """The name prefix of the temp files written for `path`."""
    return f".{path.name}."


def temp_target(name: str) -> str | None:
    """NAME, for a temp file named `.NAME.XXXXXXXX.tmp`; else None."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    return name[1 : -len(TEMP_SUFFIX)].rpartition(".")[0] or None


def atomic_write(path: Path, data: str | bytes, *, mode: int = PRIVATE_FILE) -> None:
    """Write `data` to `path` through a temp file in the same folder, fsync, then rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(_("{path}: is a folder; give a file name").format(path=path))
    remove_stale_temps(path)
    try:
        fd, tmp = _mkstemp(folder, temp_prefix(path))
    except OSError as e:
        raise OutputError(
            _("{path}: cannot write here ({reason}); choose another path").format(
                path=path, reason=e.strerror
            )
        ) from e
    try:
        _fill(fd, payload, mode)
        os.replace(tmp, path)
    except OSError as e:
        raise OutputError(
            _("{path}: cannot write ({reason}); choose another path").format(path=path, reason=e.strerror)
        ) from e
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # gone after the rename; left only by a failure
    _fsync_dir(folder)


def _mkstemp(folder: Path, prefix: str) -> tuple[int, str]:
    import tempfile  # lazily: it loads shutil, random and compression modules

    return tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=folder)


def _fill(fd: int, payload: bytes, mode: int) -> None:
    """Write `payload` to the new temp file `fd` with `mode`, to the disk (fsync), and close it."""
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), mode)
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())


def create_new(folder: Path, names: Iterable[str], data: str | bytes) -> Path:
    """Write `data` under the first of `names` in `folder` that is free; never replaces a file.

    The bytes go to a private temp file first (as in `atomic_write`), which is then hard-linked
    to the name: link() fails when the name exists, so two writers racing for one name both land,
    one under the next name. Where a file system has no hard links, the name is reserved with
    O_EXCL and the temp file renamed over that reservation.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = _mkstemp(folder, temp_prefix(folder / NEW_FILE))
    except OSError as e:
        raise OutputError(
            _("{path}: cannot write here ({reason}); choose another --home").format(
                path=folder, reason=e.strerror
            )
        ) from e
    try:
        _fill(fd, payload, PRIVATE_FILE)
        for name in names:
            target = folder / name
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            except OSError:
                try:  # no hard links here: reserve the name, then move the full file onto it
                    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
                except FileExistsError:
                    continue
                os.replace(tmp, target)
            _fsync_dir(folder)
            return target
    except OSError as e:
        raise OutputError(
            _("{path}: cannot write ({reason}); choose another --home").format(path=folder, reason=e.strerror)
        ) from e
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    raise OutputError(_("{path}: no free file name left; remove old reports from it").format(path=folder))


def remove_stale_temps(path: Path, *, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temp files a killed writer left for `path`; returns what was removed.

    Only files older than `older_than` seconds go: a younger one may belong to a write that is
    still running in another process, whose rename would then fail.
    """
    folder = path.parent if str(path.parent) else Path(".")
    cutoff = time.time() - older_than
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if temp_target(n) == path.name]
    except OSError:
        return removed  # the write itself will report the folder's problem
    for name in names:
        stale = folder / name
        with contextlib.suppress(OSError):
            if stale.lstat().st_mtime < cutoff:
                stale.unlink()
                removed.append(stale)
    return removed


def check_output(path: Path, *, keep: Iterable[Path] = (), within: Path | None = None) -> None:
    """Refuse a bad output path before anything else is saved or recorded.

    Bad means: it cannot be written, it is one of the files in `keep` (the person's answers file,
    saved answers, draft, history), or it lies in the folder `within` (the rule pack, whose every
    file is read); compared by resolved path, so a link or `..` does not get around it.
    """
    if path.is_dir():
        raise OutputError(_("{path}: is a folder; give a file name").format(path=path))
    for own in keep:
        if _same_file(path, own):
            raise OutputError(
                _("{path}: would replace {name}, which wa-audit reads; write the report elsewhere").format(
                    path=path, name=own.name
                )
            )
    if within is not None and _inside(path, within):
        raise OutputError(
            _("{path}: is inside the rule pack {pack}; write the report elsewhere").format(
                path=path, pack=within
            )
        )
    folder = path.parent if str(path.parent) else Path(".")
    try:
        _probe(folder, temp_prefix(path))
    except OSError as e:
        raise OutputError(
            _("{path}: cannot write here ({reason}); choose another path").format(
                path=path, reason=e.strerror
            )
        ) from e


def _probe(folder: Path, prefix: str) -> None:
    """Create and remove a file in `folder`, or OSError: the real test of writability.

    Permissions say nothing for root, read-only mounts or /proc.
    """
    fd, probe = _mkstemp(folder, prefix)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def check_writable_dir(folder: Path) -> None:
    """OutputError unless files can be created in `folder` (made private if missing).

    Asked before anything is shown or asked (the interview, `set`), so a read-only home stops a
    command at once, not after the person answered or the report was printed.
    """
    ensure_private_dir(folder)
    try:
        _probe(folder, ".probe.")
    except OSError as e:
        raise OutputError(
            _(
                "{path}: cannot write here ({reason}); make the folder writable for you or use another --home"
            ).format(path=folder, reason=e.strerror)
        ) from e


def check_replaceable(path: Path, what: str) -> None:
    """Raise OutputError when something other than a file (or a link) sits where `what` belongs.

    Called before a command changes anything, so a folder named like the draft stops it cleanly
    instead of half-way (after the answers were saved, before the run was recorded).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise OutputError(
            # Translators: {what} is "the draft" (translated too).
            _("{path}: cannot check {what} ({reason}); move it away or use another --home").format(
                path=path, what=what, reason=e.strerror
            )
        ) from e
    if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        wrong = _("{path}: is a folder, not {what}; move it away or use another --home")
    else:
        wrong = _("{path}: is not a regular file, not {what}; move it away or use another --home")
    raise OutputError(wrong.format(path=path, what=what))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        # One of them does not exist (yet): the same name once links and `..` are resolved.
        return os.path.realpath(a) == os.path.realpath(b)


def _inside(path: Path, folder: Path) -> bool:
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == top or top in real.parents


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def interview_lock(home: Path) -> Iterator[None]:
    """Hold the home folder's lock for an interview; a second interview in the same home is refused.

    Two interviews in two terminals would each save their draft after every answer, one over the
    other, and each finish over the other's answers. The lock is `flock` on the folder itself (no
    lock file to leave behind), released by the system when the process ends, however it ends.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    fd = os.open(ensure_private_dir(home), os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(
                _(
                    "{path}: another wa-audit interview is running (in another terminal); finish it or "
                    "stop it with Ctrl-C (its answers are kept), then run wa-audit again"
                ).format(path=home)
            ) from None
        yield
    finally:
        os.close(fd)
