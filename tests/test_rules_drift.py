"""`wa-audit rules drift`: the pack's quotes against newer captures of their sources.

On the real captures (the European policy of 25 February and 2 July 2026, where the username
sentence and the location sentence changed) and on made-up ones in a temp folder: a quote removed,
a sentence reworded, a new paragraph about the phone number, documents that flap, bad folders.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from audit.app.cli import main
from audit.load import policy_text
from audit.load.captures import CAPTURES_DIR, captures_given, captures_in
from audit.load.drift import drift
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model.drift import DriftReport, WordChange
from audit.render.drift import text
from tests.conftest import edit_pack_file

BUNDLED = default_pack_dir()
# As the YAML files write them (the quote marks escaped).
OLD_USERNAME = (
    "those users who have your phone number can see Your Account Information "
    '(phone number, profile photo, \\"about\\" information)'
)
NEW_USERNAME = (
    "those users who have your phone number or your username can see Your Account Information "
    '(such as profile photo, \\"about\\" information)'
)
NEW_LOCATION = (
    "Precise Location Information that you share with your contacts in your chats is encrypted so "
    "WhatsApp cannot see it."
)
OLD_LOCATION = (
    "Precise Location Information which you share in your chats is end-to-end encrypted which means "
    "that it cannot be seen by WhatsApp."
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["rules", "drift", *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- the bundled pack ------------------------------------------------------------------------------
def test_the_bundled_quotes_are_all_in_the_newest_bundled_captures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pack = load_pack(BUNDLED)
    report = drift(pack, captures_in(BUNDLED / CAPTURES_DIR), given=None)
    captured = {s.capture for s in pack.sources if s.capture}
    assert {d.capture for d in report.documents} == captured
    assert not report.uncaptured
    assert sum(d.quotes for d in report.documents) > 50
    gone = [(g.source, g.quote) for d in report.documents for g in d.gone]
    assert gone == []
    assert not report.drifted
    code, out, _ = run(capsys)
    assert code == 0
    assert out.rstrip().endswith(
        "No drift: every quote is still there, and no new paragraph is left to cover."
    )


# --- the real change of 2 July 2026 --------------------------------------------------------------
@pytest.fixture
def pack_of_february(tmp_path: Path) -> Path:
    """The bundled pack as it would have been, checked against the European policy of 25 Feb 2026."""
    pack = tmp_path / "pack"
    shutil.copytree(BUNDLED, pack, ignore=shutil.ignore_patterns(CAPTURES_DIR))
    sources = pack / "sources.yaml"
    # S2 cites the policy then in force; S25 (that version, by date) was checked against it too.
    text = sources.read_text(encoding="utf-8")
    s2 = text.index("  - id: S2\n")
    s2_end = text.index("  - id: S3\n")
    s2_text = (
        text[s2:s2_end]
        .replace("date: 2026-07-02", "date: 2026-02-25")
        .replace("checked: 2026-12-02", "checked: 2026-03-01")
    )
    sources.write_text(text[:s2] + s2_text + text[s2_end:], encoding="utf-8")
    # The European (S2) and UK (S3) policies say it alike; the UK capture is not in the folder.
    edit_pack_file(pack / "findings.yaml", NEW_USERNAME, OLD_USERNAME, count=4)
    edit_pack_file(pack / "flows.yaml", NEW_USERNAME, OLD_USERNAME, count=2)
    edit_pack_file(pack / "findings.yaml", NEW_LOCATION, OLD_LOCATION)
    return pack


@pytest.fixture
def two_versions(tmp_path: Path) -> Path:
    folder = tmp_path / "captures"
    folder.mkdir()
    for day in ("2026-02-25", "2026-07-02"):
        name = f"privacy-policy-eea-{day}.md"
        shutil.copy(BUNDLED / CAPTURES_DIR / name, folder / name)
    return folder


def _words(diff: tuple[WordChange, ...], change: str) -> list[str]:
    return [run.text for run in diff if run.change == change]


def test_the_july_policy_drops_the_username_and_location_sentences(
    pack_of_february: Path, two_versions: Path
) -> None:
    pack = load_pack(pack_of_february)
    report = drift(pack, captures_given(two_versions), given=two_versions)
    (eea,) = report.documents
    assert eea.capture == "privacy-policy-eea"
    assert eea.versions[0].isoformat() == "2026-07-02"
    assert eea.checked_against is not None
    assert eea.checked_against.isoformat() == "2026-02-25"
    gone = {g.quote: g for g in eea.gone}
    assert set(gone) == {OLD_USERNAME.replace('\\"', '"'), OLD_LOCATION}

    username = gone[OLD_USERNAME.replace('\\"', '"')]
    assert username.source == "S2"
    assert {(c.kind, c.id) for c in username.cited_by} >= {("rule", "F15b"), ("finding", "public_about")}
    assert str(username.last_found) == "2026-02-25"
    assert str(username.newest) == "2026-07-02"
    assert username.closest is not None
    assert username.closest.similarity >= 0.6
    assert _words(username.closest.diff, "added")[0] == "or your username"
    assert "(phone number," in _words(username.closest.diff, "removed")

    location = gone[OLD_LOCATION]
    assert location.closest is not None
    assert (
        location.closest.text
        == "Precise Location Information which you share in your chats is encrypted which means that it "
        "cannot be seen by WhatsApp."
    )
    assert _words(location.closest.diff, "removed") == ["end-to-end"]
    assert _words(location.closest.diff, "added") == []

    # New since February, about the pack's vocabulary and in no quote: the paragraphs to read.
    assert eea.since is not None
    assert eea.since.isoformat() == "2026-02-25"
    changes = {p.text: p for p in eea.paragraphs}
    backups = (
        "WhatsApp Encrypted Backups. We keep your encrypted backups if you use our storage services with "
        "your account, including through an active subscription."
    )
    assert changes[backups].change == "new"
    assert "backup" in changes[backups].terms
    assert not any("parent supervision features, we:" in p for p in changes)  # no vocabulary in it
    assert report.drifted


def test_the_text_shows_each_gone_quote_with_its_word_diff(
    pack_of_february: Path, two_versions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--rules", str(pack_of_february), "--captures", str(two_versions))
    assert (code, err) == (1, "")
    flat = " ".join(out.split())
    assert (
        "privacy-policy-eea (S2, S25): newest capture 2026-07-02 (2 captures; the pack was checked "
        "against the one of 2026-02-25)." in flat
    )
    assert "Last found in the capture of 2026-02-25." in flat
    assert "those users who have your phone number {+or your username+} can see" in flat
    assert "is [-end-to-end-] encrypted which means" in flat
    assert "privacy-policy-uk: no capture of it there: not checked." in flat
    assert flat.endswith("then set each source's `checked` to the day you checked it.")


def test_the_json_follows_its_schema(
    pack_of_february: Path, two_versions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "drift"]) == 0
    schema = json.loads(capsys.readouterr().out)
    code, out, _ = run(
        capsys, "--rules", str(pack_of_february), "--captures", str(two_versions), "--format", "json"
    )
    assert code == 1
    body = json.loads(out)
    jsonschema.validate(body, schema)
    assert body["captures"] == str(two_versions)
    assert body["drifted"] is True
    assert DriftReport.model_validate(body).documents[0].gone


# --- made-up captures --------------------------------------------------------------------------------
POLICY = """\
# Example policy

We collect your number. We keep it safe.

*   Linking your account shares your status updates with [Meta companies](https://example.org/meta).
*   Anyone can see when you were last seen.

We work with lawyers.
"""


@pytest.fixture
def mini_captured(mini_pack_dir: Path) -> Path:
    """The mini pack with S1 captured, checked on 10 January 2026, and three quotes of it."""
    edit_pack_file(
        mini_pack_dir / "sources.yaml",
        "kind: official\n    checked: 2026-12-01\n",
        "kind: official\n    checked: 2026-01-10\n    capture: example-policy\n",
    )
    flows = mini_pack_dir / "flows.yaml"
    edit_pack_file(flows, "    sources: [{id: S1}]\n", "    sources: [{id: S1, quote: QUOTE}]\n", count=2)
    text = flows.read_text(encoding="utf-8")
    text = text.replace("QUOTE", '"Linking your account shares your status updates with Meta companies."', 1)
    text = text.replace("QUOTE", '"Anyone can see when you were last seen."', 1)
    flows.write_text(text, encoding="utf-8")
    return mini_pack_dir


def _captures(folder: Path, **versions: str) -> Path:
    folder.mkdir(exist_ok=True)
    for day, body in versions.items():
        (folder / f"example-policy-{day.removeprefix('d').replace('_', '-')}.md").write_text(
            body, encoding="utf-8"
        )
    return folder


JUNE = (
    POLICY.replace("*   Anyone can see when you were last seen.\n", "")
    .replace("status updates with", "status updates and your profile with")
    .replace(
        "We work with lawyers.",
        "We work with lawyers.\n\nBusinesses you chat with can see your phone number.\n\n"
        "We moved our offices.",
    )
)


def test_a_removed_quote_a_reworded_one_and_a_new_paragraph(mini_captured: Path, tmp_path: Path) -> None:
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY, d2026_06_01=JUNE)
    report = drift(load_pack(mini_captured), captures_given(folder), given=folder)
    (doc,) = report.documents
    assert doc.quotes == 3
    assert doc.sources == ("S1",)
    gone = {g.quote: g for g in doc.gone}
    assert set(gone) == {
        "Anyone can see when you were last seen.",
        "Linking your account shares your status updates with Meta companies.",
    }
    removed = gone["Anyone can see when you were last seen."]
    assert removed.closest is None
    assert str(removed.last_found) == "2026-01-10"
    assert [(c.kind, c.id) for c in removed.cited_by] == [("rule", "F4")]
    reworded = gone["Linking your account shares your status updates with Meta companies."]
    assert reworded.closest is not None
    assert (
        reworded.closest.text
        == "Linking your account shares your status updates and your profile with Meta companies."
    )
    assert _words(reworded.closest.diff, "added") == ["and your profile"]
    # The phone number paragraph is new and names the vocabulary; the offices one names none.
    assert [(p.change, p.text, p.terms) for p in doc.paragraphs if p.change == "new"] == [
        ("new", "Businesses you chat with can see your phone number.", ("phone number",))
    ]
    assert [p.change for p in doc.paragraphs if "your profile" in p.text] == ["changed"]
    assert report.drifted


def test_a_paragraph_a_quote_covers_is_not_listed(mini_captured: Path, tmp_path: Path) -> None:
    edit_pack_file(mini_captured / "flows.yaml", '"We collect your number."', '"can see your phone number."')
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY, d2026_06_01=JUNE)
    (doc,) = drift(load_pack(mini_captured), captures_given(folder), given=folder).documents
    assert not any("phone number" in p.text for p in doc.paragraphs)


def test_terms_come_from_the_vocabulary_labels(mini_captured: Path, tmp_path: Path) -> None:
    usernames = JUNE + "\nYou can now set a username of your choice.\n"
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY, d2026_06_01=usernames)
    (doc,) = drift(load_pack(mini_captured), captures_given(folder), given=folder).documents
    assert not any("username" in p.text for p in doc.paragraphs)
    vocabulary = mini_captured / "vocabulary.yaml"
    edit_pack_file(
        vocabulary,
        "  - {id: presence,",
        "  - {id: username, label: Your username, sensitivity: 2}\n  - {id: presence,",
    )
    (doc,) = drift(load_pack(mini_captured), captures_given(folder), given=folder).documents
    assert [p.terms for p in doc.paragraphs if "username" in p.text] == [("username",)]


def test_paragraphs_are_counted_only_after_the_version_checked(mini_captured: Path, tmp_path: Path) -> None:
    edit_pack_file(mini_captured / "sources.yaml", "checked: 2026-01-10", "checked: 2026-06-02")
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY, d2026_06_01=JUNE)
    (doc,) = drift(load_pack(mini_captured), captures_given(folder), given=folder).documents
    assert doc.since is None
    assert doc.paragraphs == ()
    assert len(doc.gone) == 2  # checked or not, a quote the newest capture lacks is gone


def test_captures_all_newer_than_the_check_count_from_the_one_before_the_newest(
    mini_captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_pack_file(mini_captured / "sources.yaml", "checked: 2026-01-10", "checked: 2025-12-01")
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY, d2026_06_01=JUNE)
    (doc,) = drift(load_pack(mini_captured), captures_given(folder), given=folder).documents
    assert doc.checked_against is None
    assert str(doc.since) == "2026-01-10"
    assert [p.text for p in doc.paragraphs if p.change == "new"] == [
        "Businesses you chat with can see your phone number."
    ]
    code, out, _ = run(capsys, "--rules", str(mini_captured), "--captures", str(folder))
    assert code == 1
    assert "(2 captures; none as old as the version the pack was checked against)" in " ".join(out.split())


def test_nothing_drifted_exits_0(
    mini_captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _captures(
        tmp_path / "caps", d2026_01_10=POLICY, d2026_06_01=POLICY.replace("lawyers", "auditors")
    )
    code, out, _ = run(capsys, "--rules", str(mini_captured), "--captures", str(folder))
    assert code == 0
    assert "3 of 3 quotes found." in out
    assert "No drift" in out


def test_min_versions_counts_a_quote_gone_only_when_the_newest_all_lack_it(
    mini_captured: Path, tmp_path: Path
) -> None:
    pack = load_pack(mini_captured)
    lacking = POLICY.replace("*   Anyone can see when you were last seen.\n", "")
    flapping = _captures(tmp_path / "flap", d2026_01_10=lacking, d2026_01_11=POLICY, d2026_01_12=lacking)
    gone = _captures(tmp_path / "gone", d2026_01_10=POLICY, d2026_01_11=lacking, d2026_01_12=lacking)

    def outcome(folder: Path, n: int) -> tuple[int, int]:
        (doc,) = drift(pack, captures_given(folder), given=folder, min_versions=n).documents
        return len(doc.gone), doc.unconfirmed

    assert outcome(flapping, 1) == (1, 0)
    assert outcome(flapping, 2) == (0, 1)  # the one before the newest still had it
    assert outcome(gone, 2) == (1, 0)
    assert outcome(gone, 3) == (0, 1)  # the oldest had it
    assert outcome(gone, 4) == (0, 1)  # fewer captures than asked for: not counted


def test_capture_text_is_shown_without_control_characters(mini_captured: Path, tmp_path: Path) -> None:
    hostile = JUNE.replace("Businesses you chat", "\x1b[2JBusinesses you chat")
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY, d2026_06_01=hostile)
    shown = text(drift(load_pack(mini_captured), captures_given(folder), given=folder))
    assert "\x1b" not in shown
    assert "[2JBusinesses you chat with can see your phone number." in shown


def test_typography_links_emphasis_and_line_breaks_are_not_drift(mini_captured: Path, tmp_path: Path) -> None:
    edit_pack_file(
        mini_captured / "flows.yaml",
        '"Anyone can see when you were last seen."',
        '"Anyone can see when you\'re last seen."',
    )
    styled = (
        POLICY.replace("We collect your number.", "We collect your\u00a0number.")
        .replace(
            "your status updates with [Meta companies](https://example.org/meta)",
            "your **status updates**\n    with [_Meta companies_](https://example.org/elsewhere)",
        )
        .replace(
            "Anyone can see when you were last seen.",
            "| Anyone can see when you\u2019re last seen.<br>\u2014 |",
        )
    )
    folder = _captures(
        tmp_path / "caps", d2026_01_10=styled.replace("you\u2019re", "you're"), d2026_06_01=styled
    )
    (doc,) = drift(load_pack(mini_captured), captures_given(folder), given=folder).documents
    assert (doc.quotes, doc.gone, doc.paragraphs) == (3, (), ())


@pytest.mark.parametrize(
    ("captured", "quoted"),
    [
        ("WhatsApp\u2019s \u201cabout\u201d \u2014 text", 'WhatsApp\'s "about" - text'),
        ("[_Meta_ Companies](https://example.org/x)   **and**\n  you", "Meta Companies and you"),
        ("(e.g., country / region)", "(e.g., country/region)"),
        ("one<br>two\u00a0three", "ONE two three"),
    ],
)
def test_what_normalising_folds(captured: str, quoted: str) -> None:
    assert policy_text.comparable(captured) == policy_text.comparable(quoted)


def test_a_table_cell_and_its_breaks_are_paragraphs() -> None:
    row = (
        "| **To provide:**<br><br>*   [User Content](#x) (your calls are end-to-end encrypted) | text two |\n"
        "|---|---|"
    )
    assert policy_text.paragraphs(row) == [
        "To provide:",
        "User Content (your calls are end-to-end encrypted)",
        "text two",
    ]


# --- bad input: one line each, exit 2 -----------------------------------------------------------
def test_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--captures", str(tmp_path / "nowhere"))
    assert (code, out) == (2, "")
    assert (
        err == f"wa-audit: {tmp_path / 'nowhere'}: no such folder (--captures); "
        "give the folder that holds the captures\n"
    )


def test_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "README.md").write_text("not a capture\n", encoding="utf-8")
    code, out, err = run(capsys, "--captures", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "no capture in it (--captures)" in err
    assert str(tmp_path) in err


def test_a_capture_named_without_a_date(
    mini_captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY)
    (folder / "example-policy.md").write_text(POLICY, encoding="utf-8")
    code, out, err = run(capsys, "--rules", str(mini_captured), "--captures", str(folder))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith(f"wa-audit: {folder / 'example-policy.md'}: a capture is named")


def test_a_capture_that_is_not_utf8(
    mini_captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _captures(tmp_path / "caps", d2026_01_10=POLICY)
    (folder / "example-policy-2026-06-01.md").write_bytes(b"We collect your \xff number.")
    code, out, err = run(capsys, "--rules", str(mini_captured), "--captures", str(folder))
    assert (code, out) == (2, "")
    name = folder / "example-policy-2026-06-01.md"
    assert err == f"wa-audit: {name}: not UTF-8 text (byte 16); save the capture as UTF-8\n"


def test_min_versions_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "--min-versions", "0")
    assert exit_.value.code == 2
    assert "--min-versions: give a whole number of 1 or more, not '0'" in capsys.readouterr().err
