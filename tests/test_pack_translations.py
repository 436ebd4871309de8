"""The rule pack's catalogs.

Every text found once, a translation used only while it is current, and `rules check` naming what
is stale, orphaned, untranslated or unlike its English.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from audit.app.cli import main
from audit.load import cache as pack_cache
from audit.load import translations
from audit.load.read import load_pack, pack_problems
from audit.model.pack import Pack
from tests.conftest import DATA, ROOT

BUNDLED = ROOT / "rules" / "whatsapp"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DATA / "packs" / "mini", target)
    return target


def write_catalog(
    pack_dir: Path, lang: str, entries: dict[str, tuple[str, str]], fuzzy: frozenset[str] = frozenset()
) -> Path:
    """A catalog for `lang`: place -> (English, translation)."""
    catalog = Catalog(locale=lang.replace("-", "_"))
    for place, (english, text) in entries.items():
        catalog.add(english, text, context=place, flags=("fuzzy",) if place in fuzzy else ())
    path = translations.catalog_path(pack_dir, lang)
    path.parent.mkdir(exist_ok=True)
    with path.open("wb") as out:
        write_po(out, catalog)
    return path


def test_every_text_a_person_reads_is_found_once_with_a_place_named_by_ids(bundled_pack: Pack) -> None:
    found = list(translations.texts(bundled_pack))
    places = [place for place, _ in found]
    assert len(places) == len(set(places))
    english = dict(found)
    q = bundled_pack.questions[0]
    assert english[f"questions.{q.id}.prompt"] == q.prompt
    assert english[f"questions.{q.id}.values.{q.values[0].id}.label"] == q.values[0].label
    f = next(f for f in bundled_pack.findings if f.fix and f.fix.steps.android)
    assert f.fix is not None
    assert f.fix.steps.android is not None
    assert english[f"findings.{f.id}.fix.steps.android.0"] == f.fix.steps.android[0]
    assert english[f"findings.{f.id}.detail"] == f.detail
    # Quotes and sources' titles are the sources' own words: never offered for translation.
    quotes = {c.quote for _, c in bundled_pack.citations() if c.quote}
    assert not quotes & set(english.values())
    assert not {s.title for s in bundled_pack.sources} & set(english.values())


def test_translating_every_text_changes_only_the_texts(bundled_pack: Pack) -> None:
    marked = translations.translate(bundled_pack, lambda place, english: f"<{english}>")
    assert all(text.startswith("<") for _, text in translations.texts(marked))
    assert [q.id for q in marked.questions] == [q.id for q in bundled_pack.questions]
    assert [r.when for r in marked.rules] == [r.when for r in bundled_pack.rules]
    assert marked.sources == bundled_pack.sources
    # The lookups are the translated pack's own, not the English one's.
    first = marked.questions[0]
    assert first.prompt.startswith("<")
    assert marked.question_by_id[first.id].prompt == first.prompt
    assert translations.translate(bundled_pack, lambda place, english: english) == bundled_pack


def test_a_current_translation_is_used_a_stale_or_fuzzy_one_is_not(pack_dir: Path) -> None:
    pack = load_pack(pack_dir)
    english = dict(translations.texts(pack))
    first, second, third = list(english)[:3]
    write_catalog(
        pack_dir,
        "pt-BR",
        {
            first: (english[first], "PRIMEIRO"),
            second: ("an English that is no longer the pack's", "SEGUNDO"),
            third: (english[third], "TERCEIRO"),
        },
        fuzzy=frozenset({third}),
    )
    translated = dict(translations.texts(translations.in_language(pack, pack_dir, "pt-BR")))
    assert translated[first] == "PRIMEIRO"
    assert translated[second] == english[second]  # stale: the English stands
    assert translated[third] == english[third]  # fuzzy: not yet a translation
    assert translations.in_language(pack, pack_dir, "es") == pack  # no catalog: English


def test_rules_check_names_each_catalog_problem(pack_dir: Path) -> None:
    pack = load_pack(pack_dir)
    english = dict(translations.texts(pack))
    first, second, third = list(english)[:3]
    path = write_catalog(
        pack_dir,
        "es",
        {
            first: (english[first], "UNO {x}"),
            second: ("changed since", "DOS"),
            third: (english[third], ""),
            "findings.gone.title": ("A finding removed", "Ya no"),
        },
    )
    problems = [str(p) for p in pack_problems(pack_dir)]
    assert f"{path}: {first}: its placeholders differ from the English" in problems
    assert f"{path}: {second}: its English changed since it was translated; translate it again" in problems
    assert f"{path}: {third}: warning: not translated yet (empty or fuzzy)" in problems
    assert f"{path}: findings.gone.title: translates a text the pack no longer has; remove it" in problems
    missing = [p for p in problems if p.startswith(f"{path}: warning: no translation of ")]
    assert len(missing) == 1
    # Three of the pack's texts have an entry: the first of the others is named, and how many more.
    assert f"and {len(english) - 4} more" in missing[0]


def test_a_catalog_named_for_no_language_is_an_error(pack_dir: Path) -> None:
    (pack_dir / "i18n").mkdir()
    (pack_dir / "i18n" / "fr.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    problems = [str(p) for p in pack_problems(pack_dir)]
    assert any("fr.po: no language 'fr'" in p for p in problems)


def test_the_template_is_what_rules_extract_writes_and_check_says_when_it_is_stale(
    pack_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "extract", str(pack_dir)]) == 0
    pot = pack_dir / "i18n" / "pack.pot"
    assert pot.read_text(encoding="utf-8") == translations.template(load_pack(pack_dir))
    assert not [p for p in pack_problems(pack_dir) if "pack.pot" in p.where]
    text = (pack_dir / "questions.yaml").read_text(encoding="utf-8")
    first_prompt = load_pack(pack_dir).questions[0].prompt
    (pack_dir / "questions.yaml").write_text(
        text.replace(first_prompt, first_prompt + " Now?"), encoding="utf-8"
    )
    stale = [str(p) for p in pack_problems(pack_dir) if "pack.pot" in p.where]
    assert stale == [
        f"{pot}: warning: out of date with the pack's text; run 'wa-audit rules extract {pack_dir}'"
    ]


def test_the_bundled_template_is_current() -> None:
    template = (BUNDLED / "i18n" / "pack.pot").read_text(encoding="utf-8")
    assert template == translations.template(load_pack(BUNDLED)), "run: wa-audit rules extract"


def test_the_cache_keeps_one_pack_per_language_and_a_changed_catalog_misses(
    pack_dir: Path, tmp_path: Path
) -> None:
    pack = load_pack(pack_dir)
    place, english = next(iter(translations.texts(pack)))
    write_catalog(pack_dir, "id", {place: (english, "SATU")})
    cache = tmp_path / "cache"
    assert dict(translations.texts(pack_cache.load(pack_dir, lang="id", folder=cache)))[place] == "SATU"
    assert dict(translations.texts(pack_cache.load(pack_dir, folder=cache)))[place] == english
    write_catalog(pack_dir, "id", {place: (english, "SATU LAGI")})
    assert dict(translations.texts(pack_cache.load(pack_dir, lang="id", folder=cache)))[place] == "SATU LAGI"
    assert len(list((cache / "packs").glob("*.json"))) == 3


# --- a source's editions in other languages: their passages are the source's own words ---------
def test_a_hindi_report_shows_the_hindi_policy_beside_the_english_quote(bundled_pack: Pack) -> None:
    from audit import lang
    from audit.collect.answers_file import read_answers
    from audit.evaluate.engine import evaluate

    s1 = bundled_pack.source_by_id["S1"]
    (edition,) = s1.editions
    answers = read_answers(bundled_pack, ROOT / "examples" / "india-shares-everything.yaml")
    with lang.speaking("hi"):
        refs = [r for f in evaluate(bundled_pack, answers).findings for r in f.sources if r.id == "S1"]
    shown = [r for r in refs if r.official is not None]
    assert shown
    for ref in shown:
        assert ref.official is not None
        assert ref.official.quote == edition.passages[ref.quote or ""]
        assert ref.official.url == edition.url
    with lang.speaking("es"):  # no Spanish edition: the English quote alone
        refs = [r for f in evaluate(bundled_pack, answers).findings for r in f.sources if r.id == "S1"]
    assert all(r.official is None for r in refs)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "उदाहरण के लिए, हमारी सेवाओं",
            "उदाहरण के लिए, आपकी सेवाओं",
            "source S1, edition hi: the passage is not in privacy-policy-india-hi-2025-05-13.md",
        ),
        (
            '"For example, you must provide your mobile phone number',
            '"For example, you must give your mobile phone number',
            "edition hi: 'For example, you must give your mobile phone number to creat' is not a quote",
        ),
        ("      - lang: hi", "      - lang: fr", "source S1, edition fr: not a language wa-audit speaks"),
        (
            "        checked: 2026-12-07\n        passages",
            "        checked: 2024-01-01\n        passages",
            "no capture",
        ),
    ],
)
def test_rules_check_finds_each_passage_of_an_edition_word_for_word(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    pack_dir = tmp_path / "whatsapp"
    shutil.copytree(BUNDLED, pack_dir)
    sources = pack_dir / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    assert old in text
    sources.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = [str(p) for p in pack_problems(pack_dir) if p.level == "error"]
    assert [p for p in problems if said in p], problems
