"""One person per language, in every format: goldens read by a reader of that language.

Each language has the person it is most likely to be read by: Hindi someone in India who shares
everything, Brazilian Portuguese someone in Brazil who pays in WhatsApp, Spanish (Mexico and Latin
America) and Indonesian someone outside Europe with everything linked.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import GENERATED_AT, ROOT

from audit import lang
from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.load.resources import default_pack_dir
from audit.load.translations import in_language
from audit.model.assessment import make_report
from audit.model.pack import Pack
from audit.render import html as html_renderer
from audit.render.base import Format, RenderOptions, renderer_for

PERSON = {
    "pt-BR": "brazil-payments",
    "es": "linked-everything",
    "hi": "india-shares-everything",
    "id": "linked-everything",
}
FORMATS = {
    Format.TERMINAL: "txt",
    Format.MARKDOWN: "md",
    Format.HTML: "html",
    Format.PLAN: "plan.txt",
    Format.PLAN_HTML: "plan.html",
    Format.JSON: "json",
}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("tag", list(PERSON))
def test_golden(tag: str, fmt: Format, pack: Pack, golden: Callable[[str, str], None]) -> None:
    with lang.speaking(tag):
        spoken = in_language(pack, default_pack_dir(), tag)
        answers = read_answers(spoken, ROOT / "examples" / f"{PERSON[tag]}.yaml")
        report = make_report(evaluate(spoken, answers), generated_at=GENERATED_AT)
        text = renderer_for(fmt).render(report, spoken, RenderOptions(width=100))
    if fmt in (Format.HTML, Format.PLAN_HTML):
        text = text.replace(str(html_renderer.stylesheet()), "/* reports/html/style.css */")
    golden(f"lang-{tag}-{PERSON[tag]}.{FORMATS[fmt]}", text)
