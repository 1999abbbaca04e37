"""Issue 17 item 4: a record dated after the as-of date does not exist on that date.

On main a planning approval dated 01/01/2099 made a cadre "in planning" on 01/06/2024, while a
discipline dated after the as-of date was ignored. One rule now, for every dated record
(facts/_inputs.known_on), with a warning; the row-wise and the columnar derivations agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from factories import base_cadre, base_move
from luanchuyen import evaluate
from luanchuyen.batch import evaluate_many

AS_OF = date(2024, 6, 1)
LATER = "01/01/2099"


def _future(record: str) -> dict[str, Any]:
    """The base cadre plus one record of the given type dated after AS_OF."""
    c = base_cadre()
    if record == "planning":
        c["planning"] = [
            *c["planning"],
            {**c["planning"][0], "level": "tinh", "approved_on": LATER},
        ]
    elif record == "discipline":
        c["disciplines"] = [{"form": "khien_trach", "decision_date": LATER}]
    elif record == "rating":
        c["ratings"] = {**c["ratings"], 2099: "kht"}
    elif record == "rotation":
        c["rotation_history"] = [{"from_post": "a", "to_post": "b", "start": LATER}]
    elif record == "rotation_rating":
        c["rotation_history"] = [
            {"from_post": "a", "to_post": "b", "start": "01/01/2020", "end": "01/01/2023",
             "ratings": {2021: "htt", 2099: "kht"}}
        ]  # fmt: skip
    elif record == "health":
        c["health"] = {"issued_on": LATER, "fit": False}
    elif record == "child":
        c["family"] = {**c["family"], "has_children": True, "youngest_child_date_of_birth": LATER}
    return c


def _without(record: str) -> dict[str, Any]:
    c = base_cadre()
    if record == "rotation_rating":
        c["rotation_history"] = [
            {"from_post": "a", "to_post": "b", "start": "01/01/2020", "end": "01/01/2023",
             "ratings": {2021: "htt"}}
        ]  # fmt: skip
    elif record == "health":
        c["health"] = None
    elif record == "child":
        c["family"] = {**c["family"], "has_children": True}
    return c


RECORDS = ["planning", "discipline", "rating", "rotation", "rotation_rating", "health", "child"]


@pytest.mark.parametrize("record", RECORDS)
def test_a_record_dated_after_the_as_of_date_does_not_count(record: str) -> None:
    with_future = evaluate(_future(record), base_move(), as_of=AS_OF, backend="reference")
    without = evaluate(_without(record), base_move(), as_of=AS_OF, backend="reference")
    assert with_future.facts == without.facts
    assert with_future.verdict == without.verdict
    assert any("01/01/2099" in w.en or "2099" in w.en for w in with_future.warnings)
    (notice,) = [w for w in with_future.warnings if w.code == "records_after_as_of"]
    assert notice.rule_id is None and "2099" in notice.vi
    assert "[" not in notice.vi and "_" not in notice.vi, notice.vi  # words, not input paths


def test_the_columnar_path_applies_the_same_rule() -> None:
    rows = [{"cadre": _future(r), "move": base_move()} for r in RECORDS]
    rows += [{"cadre": _without(r), "move": base_move()} for r in RECORDS]
    vector = evaluate_many(rows, as_of=AS_OF, backend="vector")
    reference = evaluate_many(rows, as_of=AS_OF, backend="reference")
    assert list(vector["verdict"]) == list(reference["verdict"])
    n = len(RECORDS)
    assert list(vector["verdict"][:n]) == list(vector["verdict"][n:])


def test_a_planning_approval_of_2099_does_not_put_a_cadre_in_planning_in_2024() -> None:
    cadre = base_cadre(planning=[{"title": "x", "level": "huyen", "approved_on": LATER}])
    d = evaluate(cadre, base_move(), as_of=AS_OF, backend="reference")
    none = evaluate(base_cadre(planning=[]), base_move(), as_of=AS_OF, backend="reference")
    assert d.verdict == none.verdict
    assert d.facts == none.facts
