"""What people read: the deciding reason first, in Vietnamese; decision receipts replay."""

from __future__ import annotations

import json

import pytest

import luanchuyen as lc
from factories import base_cadre, base_move
from luanchuyen.evaluation import input_hash
from luanchuyen.models import Cadre, Move
from luanchuyen.render.html import decision_html
from luanchuyen.render.text import MARKS, input_label
from test_message_language import problems

AS_OF = "2024-06-01"


def _not_eligible() -> lc.Decision:
    return lc.evaluate(base_cadre(date_of_birth="10/10/1963"), base_move(), as_of=AS_OF)


def test_deciding_reason_within_five_lines_in_vietnamese() -> None:
    d = _not_eligible()
    assert d.verdict.value == "not_eligible"
    head = d.explain("vi").splitlines()[:5]
    assert head[2] == "==> KHÔNG ĐỦ ĐIỀU KIỆN"
    first = d.criterion(d.blocking[0])
    reason = head[4]
    assert reason.startswith(f"  {MARKS['fail']} {first.title.vi}: ")
    assert first.message.vi in reason
    assert problems(reason, template=False) == []
    assert "luan_chuyen" not in "\n".join(head)  # the kind is shown by its label
    assert "Luân chuyển" in head[1]


def test_rule_id_in_small_print_and_distinct_marks() -> None:
    text = _not_eligible().explain("vi")
    assert "(mã min_remaining_service_10y · Căn cứ:" in text
    assert MARKS["priority_unmet"] in text  # the unmet youth priority is not a ✗
    lines = [ln for ln in text.splitlines() if "Ưu tiên cán bộ trẻ" in ln]
    assert lines and all(MARKS["fail"] not in ln for ln in lines)
    assert len(set(MARKS.values())) == len(MARKS)


def test_unknown_names_the_input_to_supply() -> None:
    d = lc.evaluate(base_cadre(planning=None), base_move(), as_of=AS_OF)
    assert d.verdict.value == "unknown"
    assert d.missing_inputs["rotation_requires_planning"] == ["cadre.planning"]
    text = d.explain("vi")
    head = text.splitlines()[:5]
    assert head[3].startswith("Chưa rõ, có thể thay đổi kết luận")
    assert "cần bổ sung «Quy hoạch (chức danh)»" in head[4]
    assert input_label("cadre.date_of_birth") == "Ngày sinh"


def test_html_in_the_same_order() -> None:
    html = decision_html(_not_eligible())
    assert html.index("Không đủ điều kiện") < html.index("Lý do") < html.index("Ưu tiên và lưu ý")
    assert html.index("Ưu tiên và lưu ý") < html.index("<details>")
    assert "mã min_remaining_service_10y" in html


def test_a_receipt_replays_to_the_same_decision() -> None:
    cadre, move = base_cadre(), base_move()
    stored = json.loads(lc.evaluate(cadre, move, as_of=AS_OF, backend="reference").to_json())
    receipt = stored["provenance"]
    assert receipt["library_version"] == lc.__version__
    assert receipt["as_of"] == AS_OF
    c, m = Cadre.model_validate(cadre), Move.model_validate(move)
    assert receipt["input_hash"] == input_hash(c, m)
    rules = lc.load_rules(*[p for p in receipt["packs"] if p != "qd65"])
    assert rules.content_hash == receipt["rules_hash"]
    again = lc.evaluate(c, m, as_of=receipt["as_of"], rules=rules, backend=receipt["backend"])
    assert json.loads(again.to_json()) == stored
    changed = input_hash(c, m.model_copy(update={"policy_case": True}))
    assert changed != receipt["input_hash"]


def test_replay_checks_each_part_of_the_receipt() -> None:
    from luanchuyen.errors import InputError
    from luanchuyen.evaluation import replay

    cadre, move = base_cadre(), base_move()
    stored = lc.evaluate(cadre, move, as_of=AS_OF, backend="reference")
    again = replay(stored.to_json(), cadre, move)
    assert again.to_json() == stored.to_json()
    data = json.loads(stored.to_json())

    def field_of(bad: dict[str, object], c: dict[str, object] = cadre) -> str | None:
        with pytest.raises(InputError) as info:
            replay(bad, c, move)
        assert info.value.code == "receipt_mismatch"
        return info.value.field

    assert field_of(data, base_cadre(name="Người khác")) == "provenance.input_hash"
    other = {**data, "provenance": {**data["provenance"], "library_version": "0.0.1"}}
    assert field_of(other) == "provenance.library_version"
    other = {**data, "provenance": {**data["provenance"], "rules_hash": "0" * 64}}
    assert field_of(other) == "provenance.rules_hash"
    assert field_of({**data, "verdict": "not_eligible"}) == "decision"
    overlay = lc.evaluate(cadre, move, as_of=AS_OF, rules=lc.load_rules("chi-lang-2024"))
    assert replay(overlay, cadre, move).provenance.packs == overlay.provenance.packs


def test_the_library_notice_is_read_in_text_and_html() -> None:
    cadre = base_cadre(disciplines=[{"form": "khien_trach", "decision_date": "01/01/2099"}])
    d = lc.evaluate(cadre, base_move(), as_of=AS_OF, backend="reference")
    notice = next(n for n in d.warnings if n.rule_id is None)
    text = d.explain("vi")
    assert f"  {MARKS['warn']} {notice.vi}" in text.splitlines()
    assert notice.en in d.explain("en")
    assert "01/01/2099" in decision_html(d)
