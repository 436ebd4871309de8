"""Everything wa-audit writes is private (files 0600, folders 0700), even under a lax umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.app.cli import main
from audit.errors import OutputError
from audit.files import atomic_write, check_output, check_replaceable, ensure_private_dir
from tests.conftest import EXAMPLES


@pytest.fixture
def lax_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the common default: new files 0644, folders 0755
    try:
        yield
    finally:
        os.umask(old)


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.lstat().st_mode) for p in [root, *root.rglob("*")]}


@pytest.mark.usefixtures("lax_umask")
def test_a_whole_session_leaves_only_private_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "deep" / "er" / "home"
    for argv in (
        ["audit", "--answers", str(EXAMPLES / "linked-everything.yaml"), "--format", "json"],
        ["set", "two_step=on", "--format", "json"],
        ["report", "--format", "html", "-o", str(home / "reports" / "mine.html")],
    ):
        assert main(["--home", str(home), *argv]) == 0, capsys.readouterr().err
    found = modes(tmp_path / "deep")
    assert {"er/home/answers.yaml", "er/home/history.sqlite3", "er/home/reports/mine.html"} <= set(found)
    for rel, mode in found.items():
        is_dir = (tmp_path / "deep" / rel).is_dir()
        assert mode == (0o700 if is_dir else 0o600), f"{rel}: {oct(mode)}"


@pytest.mark.usefixtures("lax_umask")
def test_missing_parents_are_created_private(tmp_path: Path) -> None:
    ensure_private_dir(tmp_path / "a" / "b" / "c")
    for folder in ("a", "a/b", "a/b/c"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)  # noqa: S103 - a folder the person chose to share
    ensure_private_dir(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755


@pytest.mark.usefixtures("lax_umask")
def test_atomic_write_replaces_a_lax_file_with_a_private_one(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    os.chmod(target, 0o644)
    atomic_write(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_check_output_refuses_own_files_and_folders(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("x")
    with pytest.raises(OutputError, match=r"answers\.yaml, which wa-audit reads"):
        check_output(tmp_path / "." / "answers.yaml", keep=(answers,))
    link = tmp_path / "link.yaml"
    link.symlink_to(answers)
    with pytest.raises(OutputError, match=r"answers\.yaml, which wa-audit reads"):
        check_output(link, keep=(answers,))
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path, keep=())
    check_output(tmp_path / "report.html", keep=(answers,))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "link.yaml"], "the probe is removed"


def test_check_replaceable(tmp_path: Path) -> None:
    check_replaceable(tmp_path / "absent.yaml", "the draft")
    (tmp_path / "file.yaml").write_text("x")
    check_replaceable(tmp_path / "file.yaml", "the draft")
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(OutputError, match="is a folder, not the draft"):
        check_replaceable(tmp_path / "dir.yaml", "the draft")
    os.mkfifo(tmp_path / "fifo.yaml")
    with pytest.raises(OutputError, match="not a regular file"):
        check_replaceable(tmp_path / "fifo.yaml", "the draft")


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_create_new_never_replaces_a_file(
    links: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.files import create_new

    if not links:  # a file system without hard links (FAT, some network shares): O_EXCL instead

        def no_link(src: object, dst: object) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    (tmp_path / "a").write_text("mine")
    first = create_new(tmp_path, ["a", "b", "c"], "one")
    second = create_new(tmp_path, ["a", "b", "c"], "two")
    assert (first.name, second.name) == ("b", "c")
    assert [(tmp_path / n).read_text() for n in "abc"] == ["mine", "one", "two"]
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    with pytest.raises(OutputError, match="no free file name"):
        create_new(tmp_path, ["a", "b", "c"], "three")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c"], "no temp file is left"
