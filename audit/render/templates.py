"""The report templates' jinja2 environment: the one place one is made (HTML and Markdown reports).

Templates are compiled once per process. Keeping the compiled code between runs (a bytecode cache)
saved 18% of an HTML report's instructions and 10% of a Markdown one's (benches, 2026-12-07): less
than the 20% a cache must save to be worth its code, so there is none.
"""

from __future__ import annotations

from typing import Any

import jinja2

from audit.load.resources import reports_dir


def environment(folder: str, *, autoescape: bool, **options: Any) -> jinja2.Environment:
    """The Environment for the templates in `reports/<folder>/`, with the renderer's `options`.

    Undefined names are errors and block tags leave no blank lines. `{% trans %}` and `_()` speak the
    person's language (audit.lang, asked at render time, so one compiled template serves every language).
    """
    from audit import lang

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(reports_dir() / folder),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,  # noqa: S701 - HTML turns it on; Markdown escapes in `finalize`
        extensions=["jinja2.ext.i18n"],
        **options,
    )
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them: one line per sentence
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=lang._, ngettext=lang.ngettext, pgettext=lang.pgettext, newstyle=True
    )
    return env
