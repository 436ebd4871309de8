"""records: frozen dataclasses with shared methods, JSON out, and the trusted decoder."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from audit.assessment import AnswerChange, Pair, Recommendation
from audit.cli import _columns
from audit.records import DecodeError, decode, frozen, record, to_jsonable, validate


@record
class Item:
    name: str
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = dataclasses.field(default_factory=dict)
    note: str = dataclasses.field(default="", repr=False, compare=False)


@frozen
class Point:
    """A positional record."""

    x: int
    y: int = 0


def test_a_record_behaves_as_a_frozen_keyword_only_dataclass() -> None:
    a = Item(name="a", tags=("x",))
    assert dataclasses.is_dataclass(a)
    assert [f.name for f in dataclasses.fields(a)] == ["name", "tags", "extra", "note"]
    assert a == Item(name="a", tags=("x",), note="ignored in comparisons")
    assert a != Item(name="b", tags=("x",))
    assert a != ("a", ("x",))
    assert repr(a) == "Item(name='a', tags=('x',), extra={})"
    assert a.extra == {}
    assert a.extra is not Item(name="c").extra  # default_factory per instance
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.name  # type: ignore[misc]
    assert dataclasses.replace(a, name="z") == Item(name="z", tags=("x",))
    with pytest.raises(TypeError, match="missing required argument: 'name'"):
        Item()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nme'"):
        Item(name="a", nme="b")  # type: ignore[call-arg]
    assert Item.__doc__ is None  # no generated docstring: pydantic would show it in schemas


def test_records_hash_by_their_fields() -> None:
    assert hash(Pair(data="d", recipient="r")) == hash(Pair(data="d", recipient="r"))
    assert len({Pair(data="d", recipient="r"), Pair(data="d", recipient="r")}) == 1
    with pytest.raises(TypeError):
        hash(Item(name="a"))  # a dict field, as with dataclasses


def test_frozen_classes_take_positions_too() -> None:
    assert Point(1) == Point(x=1, y=0)
    assert Point(1, 2) == Point(1, y=2)
    with pytest.raises(TypeError, match="multiple values"):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 2 arguments"):
        Point(1, 2, 3)  # type: ignore[call-arg]


def test_to_jsonable_writes_aliases_dates_and_utc_as_pydantic_did() -> None:
    change = AnswerChange(from_="yes", to="no")
    assert to_jsonable(change) == {"from": "yes", "to": "no"}
    assert to_jsonable(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"
    assert to_jsonable(datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=UTC)) == "2026-01-02T03:04:05.120000Z"
    assert to_jsonable(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))) == (
        "2026-01-02T03:04:05+02:00"
    )
    assert to_jsonable(date(2026, 1, 2)) == "2026-01-02"
    from pydantic import TypeAdapter

    rec = Recommendation(
        question="q", from_="a", to="b", score_after=3, removes=(Pair(data="d", recipient="r"),), how="h"
    )
    assert to_jsonable(rec) == TypeAdapter(Recommendation).dump_python(rec, mode="json", by_alias=True)
    assert list(to_jsonable(rec)) == ["question", "from", "to", "score_after", "removes", "how", "effort",
                                      "score_removed", "resolves"]


def test_validate_reads_aliases_and_refuses_unknown_fields() -> None:
    from pydantic import ValidationError

    assert validate(AnswerChange, {"from": "a", "to": "b"}) == AnswerChange(from_="a", to="b")
    with pytest.raises(ValidationError):
        validate(AnswerChange, {"from": "a", "to": "b", "extra": 1})


def test_decode_is_strict_about_shapes() -> None:
    assert decode(Recommendation, to_jsonable(Recommendation(
        question="q", from_="a", to="b", score_after=3, removes=(), how="h"
    ))).from_ == "a"
    for bad in ({"from": "a"}, {"from": "a", "to": 1}, {"from": "a", "to": "b", "x": 1}, [], "s"):
        with pytest.raises(DecodeError):
            decode(AnswerChange, bad)


@pytest.mark.parametrize("columns", [None, "0", "-3", "abc", "120", "20"])
def test_the_cli_measures_the_terminal_as_shutil_does(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("LINES", "24")
    assert _columns() == shutil.get_terminal_size((80, 24)).columns
