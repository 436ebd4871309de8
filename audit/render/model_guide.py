"""`wa-audit rules show`: the sharing model as a guide a person can read without answering anything.

For each recipient: what data it gets, under which answers (conditions in words, with the questions'
prompts and the values' labels), why (purposes), how sure (certainty) and from which sources (title,
date, URL, quote); then what stays protected. Like OpenSCAP's guide to a profile.

`guide(pack)` is the pure part, shared by both formats. Markdown is plain string building; the
terminal form uses rich, imported only when it is asked for. Pack text is untrusted (a pack given
with --rules may be anyone's): control characters are dropped and Markdown is escaped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from audit.evaluate.flows import source_refs
from audit.lang import N_, _, day, pgettext
from audit.model.conditions import UNKNOWN
from audit.model.labels import ALWAYS, clean_line, condition_words
from audit.model.pack import Dispute, Pack
from audit.render.headline import score_how
from audit.render.markdown import md_block, md_escape
from audit.render.view_model import SourceView, sources_view
from audit.render.words import certainty_explained, certainty_name

PLAN_RANKING = N_(
    "How the plan is ranked: every change you can make is tried; the steps are those that lower the "
    "score, ordered by the points each removes (then a setting before a change of habit, then the most "
    "severe finding it resolves). Where no single change helps because two settings each keep the same "
    "flow going, both together are one step: \u201cDo both\u201d."
)
INTRO = N_(
    "What WhatsApp and Meta say happens to your data, and when. Each entry names the answers that "
    "make it apply; \u201cI don't know\u201d is never taken as safe: an entry that depends on it "
    "counts as possible."
)


@dataclass(frozen=True)
class Entry:
    """One rule as it concerns one recipient."""

    rule: str
    title: str
    data: tuple[str, ...]  # labels
    purposes: tuple[str, ...]  # labels
    when: str  # the condition in words
    certainty: str
    note: str
    sources: tuple[SourceView, ...]
    dispute: str = ""  # v2: who says what, and which text binds


@dataclass(frozen=True)
class RecipientGuide:
    id: str
    label: str
    description: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ProtectionGuide:
    id: str
    title: str
    detail: str
    when: str
    sources: tuple[SourceView, ...]
    exceptions: tuple[str, ...] = ()  # v2: "if <condition>: <where it does not hold>"


@dataclass(frozen=True)
class RightGuide:
    id: str
    title: str
    how: str
    when: str
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class QuestionGuide:
    """A question as an answers file or --set names it: its id, and each value's id and label."""

    id: str
    prompt: str
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Guide:
    title: str
    version: str
    reviewed: str
    recipients: tuple[RecipientGuide, ...]
    protections: tuple[ProtectionGuide, ...]
    rights: tuple[RightGuide, ...] = ()
    questions: tuple[QuestionGuide, ...] = ()


QUESTIONS_TITLE = N_("Questions and answers, by id (for answers files and --set)")


def _fields() -> dict[str, str]:
    """The guide's field names (before ": "), in the person's language."""
    return {
        # Translators: a field of the model's guide: when an entry applies ("if: the answer to ...").
        "if": pgettext("field", "if"),
        # Translators: a field of the model's guide: what the data is used for.
        "why": pgettext("field", "why"),
        # Translators: a field of the model's guide: how sure the entry is.
        "certainty": pgettext("field", "certainty"),
        # Translators: a field of the model's guide: a note on the entry.
        "note": pgettext("field", "note"),
        # Translators: a field of the model's guide: who says what when sources disagree.
        "disputed": pgettext("field", "disputed"),
        # Translators: a field of the model's guide: the sources an entry cites.
        "sources": pgettext("field", "sources"),
        # Translators: a field of the model's guide: where a protection does not hold.
        "except": pgettext("field", "except"),
        # Translators: a field of the model's guide: how to use a right.
        "how": pgettext("field", "how"),
    }


# --- the pure part ---------------------------------------------------------------------------
def guide(pack: Pack) -> Guide:
    """The model, arranged by recipient, in the pack's words."""
    recipients = []
    for r in pack.vocabulary.recipients:
        entries = []
        for rule in pack.rules:
            data: dict[str, None] = {}
            purposes: set[str] = set()
            for spec in rule.flows:
                if r.id in spec.to:
                    data.update(dict.fromkeys(spec.data))
                    purposes.update(spec.purposes)
            if not data:
                continue
            entries.append(
                Entry(
                    rule=rule.id,
                    title=clean_line(rule.title),
                    data=tuple(clean_line(pack.data_by_id[d].label) for d in data),
                    purposes=tuple(clean_line(p.label) for p in pack.vocabulary.purposes if p.id in purposes),
                    when=condition_words(pack, rule.when),
                    certainty=rule.certainty,
                    note=clean_line(rule.note or ""),
                    sources=sources_view(source_refs(pack, rule.sources)),
                    dispute=_dispute_words(rule.dispute),
                )
            )
        recipients.append(
            RecipientGuide(
                id=r.id,
                label=clean_line(r.label),
                description=clean_line(r.description),
                entries=tuple(entries),
            )
        )
    protections = tuple(
        ProtectionGuide(
            id=p.id,
            title=clean_line(p.title),
            detail=clean_line(p.detail),
            when=condition_words(pack, p.when),
            sources=sources_view(source_refs(pack, (*p.sources, *(c for e in p.except_ for c in e.sources)))),
            exceptions=tuple(
                # Translators: where a protection does not hold: "if <condition>: <where>".
                _("if {condition}: {text}").format(
                    condition=condition_words(pack, e.when), text=clean_line(e.text)
                )
                for e in p.except_
            ),
        )
        for p in pack.protections
    )
    rights = tuple(
        RightGuide(
            id=r.id,
            title=clean_line(r.title),
            how=clean_line(r.how),
            when=condition_words(pack, r.when),
            sources=sources_view(source_refs(pack, r.sources)),
        )
        for r in pack.rights
    )
    questions = tuple(
        QuestionGuide(
            id=q.id,
            prompt=clean_line(q.prompt),
            values=(
                *((v.id, clean_line(v.label)) for v in q.values),
                *([(UNKNOWN, _("I don't know"))] if q.allow_unknown else []),
            ),
        )
        for q in pack.questions
    )
    return Guide(
        title=clean_line(pack.meta.title),
        version=pack.meta.version,
        reviewed=day(pack.meta.reviewed),
        recipients=tuple(recipients),
        protections=protections,
        rights=rights,
        questions=questions,
    )


def _dispute_words(d: Dispute | None) -> str:
    if d is None:
        return ""
    says = ", ".join(dict.fromkeys(c.id for c in d.says))
    denies = ", ".join(dict.fromkeys(c.id for c in d.denies))
    # Translators: {says} and {denies} are source ids ("S1, S4"), {binding} one of them.
    return _("{says} say so; {denies} say otherwise; binding: {binding}").format(
        says=says, denies=denies, binding=d.binding
    )


def _certainty(certainty: str) -> str:
    return f"{certainty_name(certainty)} ({certainty_explained().get(certainty, '')})"


# --- Markdown --------------------------------------------------------------------------------
def _md_heading(text: str) -> str:
    # At the end of a heading, " #" would be read as its closing sequence and dropped.
    return md_escape(text).replace("#", "\\#")


def _md_sources(notes: tuple[SourceView, ...], indent: str) -> list[str]:
    lines = []
    for s in notes:
        # The URL pattern of the pack (https, no spaces, no <>"') keeps an autolink intact.
        link = f", <{s.url}>" if s.url else ""
        where = f"{md_escape(s.title)}, {md_escape(s.publisher)}, {s.date}{link}"
        lines.append(f"{indent}- {md_escape(s.id)}: {where}")
        lines.extend(f"{indent}  - \u201c{md_escape(q)}\u201d" for q in s.quotes)
    return lines


def markdown(pack: Pack) -> str:
    """The guide as Markdown."""
    g = guide(pack)
    f = _fields()
    out = [
        "# " + _("{title}: the model").format(title=md_escape(g.title)),
        "",
        _("Model version {version}, last reviewed against its sources on {reviewed}.").format(
            version=md_escape(g.version), reviewed=g.reviewed
        ),
        "",
        md_block(_(INTRO)),
        "",
        md_block(score_how(pack)),
        "",
        md_block(_(PLAN_RANKING)),
        "",
    ]
    for r in g.recipients:
        out += [f"## {_md_heading(r.label)}", ""]
        if r.description:
            out += [md_block(r.description), ""]
        if not r.entries:
            out += [_("Nothing goes here in this model."), ""]
        for e in r.entries:
            out += [
                f"- **{', '.join(map(md_escape, e.data))}** ({md_escape(e.rule)}: {md_escape(e.title)})",
                f"  - {f['if']}: {md_escape(e.when)}",
                f"  - {f['why']}: {', '.join(md_escape(p) for p in e.purposes)}",
                f"  - {f['certainty']}: {md_escape(_certainty(e.certainty))}",
            ]
            if e.note:
                out.append(f"  - {f['note']}: {md_escape(e.note)}")
            if e.dispute:
                out.append(f"  - {f['disputed']}: {md_escape(e.dispute)}")
            out.append(f"  - {f['sources']}:")
            out += _md_sources(e.sources, "    ")
        out.append("")
    out += ["## " + _("What stays protected"), ""]
    for p in g.protections:
        out.append(f"- **{md_escape(p.title)}**")
        if p.detail:
            out.append(f"  - {md_block(p.detail)}")
        if p.when != _(ALWAYS):
            out.append(f"  - {f['if']}: {md_escape(p.when)}")
        out += [f"  - {f['except']} {md_escape(x)}" for x in p.exceptions]
        out.append(f"  - {f['sources']}:")
        out += _md_sources(p.sources, "    ")
    if g.rights:
        out += ["", "## " + _("Rights you can exercise"), ""]
    for right in g.rights:
        out += [f"- **{md_escape(right.title)}**", f"  - {f['how']}: {md_escape(right.how)}"]
        if right.when != _(ALWAYS):
            out.append(f"  - {f['if']}: {md_escape(right.when)}")
        out.append(f"  - {f['sources']}:")
        out += _md_sources(right.sources, "    ")
    out += ["", f"## {md_escape(_(QUESTIONS_TITLE))}", ""]
    for q in g.questions:
        # Ids are [a-z0-9_] (the pack's Id pattern): safe in code spans, and copied as written.
        out.append(f"- `{q.id}`: {md_escape(q.prompt)}")
        out.append("  - " + ", ".join(f"`{v}` ({md_escape(label)})" for v, label in q.values))
    out.append("")
    return "\n".join(out)


# --- terminal --------------------------------------------------------------------------------
def terminal(pack: Pack, *, width: int = 80, color: bool = False) -> str:
    """The guide for a terminal (rich), plain text without colour."""
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.text import Text

    from audit.render.console import buffer_console, hanging, trimmed

    g = guide(pack)
    buf = io.StringIO()
    console = buffer_console(buf, width=width, color=color)

    names = _fields()

    def field(name: str, value: str) -> Text:
        return Text.assemble((f"{names[name]}: ", "bold"), value)

    def indented(renderable: Text, by: int) -> None:
        console.print(Padding(renderable, (0, 0, 0, by)))

    def sources(notes: tuple[SourceView, ...]) -> None:
        indented(Text(f"{names['sources']}:", style="bold"), 2)
        for s in notes:
            indented(Text(f"{s.id}: {s.title}, {s.publisher}, {s.date}", style="dim"), 4)
            if s.url:  # never wrapped nor cut: it must stay one piece to be copied or clicked
                console.print(Text(f"    {s.url}", style="dim"), soft_wrap=True)
            for q in s.quotes:
                indented(Text(f"\u201c{q}\u201d", style="dim italic"), 4)

    console.print(Text(_("{title}: the model").format(title=g.title), style="bold"))
    console.print(
        Text(
            _("Model version {version}, last reviewed against its sources on {reviewed}.").format(
                version=g.version, reviewed=g.reviewed
            )
        )
    )
    console.print(Text(_(INTRO)))
    console.print(Text(score_how(pack)))
    console.print(Text(_(PLAN_RANKING)))
    for r in g.recipients:
        console.print(Rule(Text(r.label, style="bold"), style="dim"))
        if r.description:
            console.print(Text(r.description, style="italic"))
        if not r.entries:
            console.print(Text(_("Nothing goes here in this model.")))
        for e in r.entries:
            head = Text("\u2022 ")
            head.append(", ".join(e.data), style="bold")
            console.print(head)
            indented(Text(f"{e.rule}: {e.title}", style="dim"), 2)
            indented(field("if", e.when), 2)
            indented(field("why", ", ".join(e.purposes)), 2)
            indented(field("certainty", _certainty(e.certainty)), 2)
            if e.note:
                indented(field("note", e.note), 2)
            if e.dispute:
                indented(field("disputed", e.dispute), 2)
            sources(e.sources)
            console.print()
    console.print(Rule(Text(_("What stays protected"), style="bold"), style="dim"))
    for p in g.protections:
        # A protection with exceptions holds only where none applies: no plain check mark.
        console.print(Text.assemble(("\u25d0 " if p.exceptions else "\u2713 ", "green"), (p.title, "bold")))
        if p.detail:
            indented(Text(p.detail), 2)
        if p.when != _(ALWAYS):
            indented(field("if", p.when), 2)
        for x in p.exceptions:
            indented(field("except", x), 2)
        sources(p.sources)
        console.print()
    if g.rights:
        console.print(Rule(Text(_("Rights you can exercise"), style="bold"), style="dim"))
    for right in g.rights:
        console.print(Text(right.title, style="bold"))
        indented(field("how", right.how), 2)
        if right.when != _(ALWAYS):
            indented(field("if", right.when), 2)
        sources(right.sources)
        console.print()
    console.print(Rule(Text(_(QUESTIONS_TITLE), style="bold"), style="dim"))
    for q in g.questions:
        console.print(Text.assemble((q.id, "bold"), f": {q.prompt}"))
        # One value a line, id then label: an id is never split from its label by wrapping.
        console.print(hanging([(v, Text(label, style="dim")) for v, label in q.values], indent=2, gap=2))
    return trimmed(buf.getvalue())
