"""Words for the person's platform: where to find a setting, the steps of a fix.

Shared by the engine (unknowns, fixes), the advice (how to make a change) and the interview
("Where to look"); it evaluates nothing, so it imports no engine.
"""

from __future__ import annotations

from collections.abc import Mapping

from audit.lang import N_, _
from audit.model.conditions import UNKNOWN
from audit.model.pack import PLATFORMS, Question, Steps

PLATFORM = "platform"  # the question whose answer picks every menu path and fix step's words


def platform_of(answers: Mapping[str, str]) -> str:
    """The person's platform, or 'unknown' when not answered."""
    p = answers.get(PLATFORM, UNKNOWN)
    return p if p in PLATFORMS else UNKNOWN


def for_platform(android: str | None, iphone: str | None, platform: str) -> str:
    """Text for the person's platform, or both when the platform is not known."""
    if platform == "android" and android:
        return android
    if platform == "iphone" and iphone:
        return iphone
    if android and iphone:
        # Translators: a menu path on each platform; Android and iPhone are names, not translated.
        return (
            android
            if android == iphone
            else _("Android: {android}; iPhone: {iphone}").format(android=android, iphone=iphone)
        )
    if android:
        return _("Android: {android}").format(android=android)
    return _("iPhone: {iphone}").format(iphone=iphone) if iphone else ""


def steps_for(steps: Steps, platform: str) -> tuple[str, ...]:
    """Fix steps for the person's platform (both, labelled, when it is not known)."""
    if platform == "android" and steps.android:
        return steps.android
    if platform == "iphone" and steps.iphone:
        return steps.iphone
    android, iphone = steps.android or (), steps.iphone or ()
    if android == iphone:
        return android
    return tuple(_("Android: {android}").format(android=s) for s in android) + tuple(
        _("iPhone: {iphone}").format(iphone=s) for s in iphone
    )


# "How to check" for a fact about the person (where they live, a choice made in 2016): no menu to
# point at, and repeating the question's help there only doubled it.
FROM_WHAT_YOU_KNOW = N_("Answer from what you know.")


def where_text(q: Question, platform: str) -> str:
    """Where to find a question's setting on the person's platform."""
    if q.where is None:
        return _(FROM_WHAT_YOU_KNOW)
    text = for_platform(q.where.android, q.where.iphone, platform)
    # The caveat is about menu names: a description ("such chats show a small arrow") gets none.
    if q.where_reported and _is_menu_path(text):
        # Translators: after a menu path WhatsApp's help does not confirm word for word.
        return _("{path} (menu names vary by version)").format(path=text)
    return text


def _is_menu_path(text: str) -> bool:
    """Whether `text` is a path through menus ("Settings > Privacy > Last seen")."""
    return " > " in text
