"""The scorers: gold corpus matching and the NewsQuant method, on small made-up data."""

import json

from factcheck.evaluate import PRF, evaluate_gold, score_newsquant, values_equal


def test_values_equal_tolerance_and_ranges():
    assert values_equal(1238.0, 1238.000001)
    assert not values_equal(1238.0, 1238.1)
    assert values_equal((10.0, 15.0), (10.0, 15.0))
    assert not values_equal((10.0, 15.0), 12.5)


def test_prf():
    m = PRF(tp=8, fp=2, fn=8)
    assert (round(m.p, 2), round(m.r, 2), round(m.f1, 3)) == (0.8, 0.5, 0.615)


def test_newsquant_scoring_uses_each_system_quantity_once():
    data = [{"text": "x", "quantities": [
        {"value": "5.0", "normalized_unit": "percentage", "change": "up"},
        {"value": "5.0", "normalized_unit": "dollar", "change": "="},
        {"value": "1-2", "normalized_unit": "day", "change": "="}]}]
    system = lambda text: [(5.0, "percentage", "up"), (5.0, "percentage", "="), ((1.0, 2.0), "day", "=")]  # noqa: E731
    res = score_newsquant(data, system)
    assert (res["value"].tp, res["value"].fp, res["value"].fn) == (3, 0, 0)
    assert (res["value+unit"].tp, res["value+unit"].fn) == (2, 1)
    assert res["value+change"].tp == 3


def test_gold_corpus_scoring(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(
        "China's exports of rare earth magnets rose 12% to 5,000 tons in May. It was 11:07 am.\n")
    (tmp_path / "gold" / "a.json").write_text(json.dumps({"id": "a", "date": "2025-06-20", "claims": [
        {"quote": "12%", "value": 12, "unit": "pct", "kind": "percent", "direction": "up", "hedge": None,
         "frame": {"measure": "change", "flow": "export", "series": "rare_earth_magnets",
                   "reporter": "China", "partner": "World", "period": "2025-05", "basis": None}},
        {"quote": "5,000 tons", "value": 5000, "unit": "t", "kind": "mass", "direction": "up", "hedge": None,
         "frame": {"measure": "level", "flow": "export", "series": "rare_earth_magnets",
                   "reporter": "China", "partner": "World", "period": "2025-05", "basis": None}}],
        "non_claims": ["11:07 am"]}))
    res = evaluate_gold(tmp_path)
    assert res.metrics["value+unit"].row()["f1"] == 1.0
    assert res.metrics["frame.period"].row()["f1"] == 1.0
    assert res.misses == [] and res.false_alarms == []


def test_the_shipped_gold_corpus_is_well_formed():
    from pathlib import Path

    from factcheck.evaluate import validate_gold

    total, problems = validate_gold(Path(__file__).resolve().parent.parent / "corpora")
    assert total >= 500 and problems == []


def test_validate_gold_names_the_problem(tmp_path):
    from factcheck.evaluate import validate_gold

    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("Exports rose 660% to 353 tons.")
    claim = {"quote": "60%", "occurrence": 1, "value": 60, "unit": "pct", "kind": "percent",
             "direction": "sideways", "hedge": None,
             "frame": {"measure": "level", "flow": None, "series": None, "reporter": None,
                       "partner": None, "period": "June", "basis": None}}
    (tmp_path / "gold" / "a.json").write_text(json.dumps({"id": "a", "date": "2025-07-20", "claims": [claim]}))
    _, problems = validate_gold(tmp_path)
    assert any("inside a longer token" in p for p in problems)
    assert any("direction 'sideways'" in p for p in problems)
    assert any("period 'June' is not a period" in p for p in problems)


def test_the_held_out_gold_is_well_formed():
    from pathlib import Path

    from factcheck.evaluate import validate_gold

    total, problems = validate_gold(Path(__file__).resolve().parent.parent / "corpora" / "heldout")
    assert total >= 150 and problems == []


def test_the_second_held_out_gold_is_well_formed():
    from pathlib import Path

    from factcheck.evaluate import validate_gold

    total, problems = validate_gold(Path(__file__).resolve().parent.parent / "corpora" / "heldout2")
    assert total >= 200 and problems == []
