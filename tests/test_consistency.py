"""The article's own arithmetic: relations between claims, consistent and not."""

from pathlib import Path

import pytest

from factcheck.check import Checker
from factcheck.inputs import Article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "articles" / "001_seed_ainvest.txt"


@pytest.fixture(scope="module")
def checker():
    return Checker()


def findings(checker, text: str, date: str = "2025-07-20"):
    checked = checker.check(Article(id="t", source="t", text=text, fmt="text"), date)
    return checked.consistency


def test_level_change_and_base_level_agree(checker):
    text = ("China exported 3,188 tons of rare earth permanent magnets globally last month, "
            "up 157.5% from 1,238 tons in May.")
    (f,) = [f for f in findings(checker, text) if f.relation == "change_triple"]
    assert f.verdict == "consistent"
    assert "3,188 tons / 1,238 tons − 1 = +157.5%" in f.arithmetic


def test_change_that_the_levels_do_not_give_is_inconsistent(checker):
    text = ("China exported 3,188 tons of rare earth permanent magnets globally last month, "
            "up 175.5% from 1,238 tons in May.")
    (f,) = [f for f in findings(checker, text) if f.relation == "change_triple"]
    assert f.verdict == "inconsistent" and f.code == "C202"
    assert "stated '175.5%'" in f.arithmetic


def test_rounded_change_within_the_levels_rounding(checker):
    # 353 / 46 - 1 = +667.4%; "up 660%" is a round number: ±2% of it, so consistent
    text = ("China's exports of rare earth magnets to the United States rose to 353 tons in June, "
            "up 660% from 46 tons in May.")
    (f,) = [f for f in findings(checker, text) if f.relation == "change_triple"]
    assert f.verdict == "consistent"


def test_percent_change_and_multiple(checker):
    text = ("China's exports of rare earth magnets to the United States in June were more than "
            "sevenfold the May level, a rise of 660% month-on-month.")
    fs = [f for f in findings(checker, text) if f.relation == "change_multiple"]
    assert fs and fs[0].verdict == "consistent"
    bad = ("China's exports of rare earth magnets to the United States in June were more than "
           "sevenfold the May level, a rise of 560% month-on-month.")
    fs = [f for f in findings(checker, bad) if f.relation == "change_multiple"]
    assert fs and fs[0].verdict == "inconsistent" and "1 + 560% = 6.60x" in fs[0].arithmetic


def test_share_of_the_total(checker):
    text = ("China exported 5,577 tons of rare earth magnets in July. The European Union received "
            "2,140 tons of magnets in July, or {share} of all exports.")
    ok = [f for f in findings(checker, text.format(share="38%"), "2025-08-20") if f.relation == "share"]
    bad = [f for f in findings(checker, text.format(share="48%"), "2025-08-20") if f.relation == "share"]
    assert ok and ok[0].verdict == "consistent"
    assert bad and bad[0].verdict == "inconsistent" and bad[0].code == "C205"


def test_part_above_its_total(checker):
    text = ("China exported 3,188 tons of rare earth magnets in June. Exports of rare earth magnets "
            "to the United States were 3,530 tons in June.")
    fs = [f for f in findings(checker, text) if f.relation == "part_total"]
    assert fs and fs[0].verdict == "inconsistent" and "part > total" in fs[0].arithmetic


def test_months_above_the_year_to_date_total(checker):
    text = ("China exported 1,238 tons of rare earth magnets in May. It exported 3,188 tons of "
            "rare earth magnets in June. In the first half of 2025, exports of rare earth magnets were 4,000 tons.")
    fs = [f for f in findings(checker, text) if f.relation == "ytd_months"]
    assert fs and fs[0].verdict == "inconsistent" and fs[0].code == "C206"


def test_regression_two_figures_in_one_sentence_are_not_a_restatement(checker):
    # 011: "to 3,188 tons, and by August they were at 6,146 tons" framed both as June
    text = ("Overall exports of rare earth magnets more than doubled in June from May, to 3,188 "
            "tons, and by August they were at 6,146 tons.")
    assert not [f for f in findings(checker, text) if f.verdict == "inconsistent"]


def test_regression_value_change_is_not_a_volume_restatement(checker):
    # 024: "a decrease of 30,6% year on year, worth US$103,7 million (-39,9%)"
    text = ("Exports of rare earth magnets to the United States in the first half of 2025 amounted "
            "to 2,510 tons, a decrease of 30.6% year on year, worth US$103.7 million (-39.9%).")
    assert not [f for f in findings(checker, text) if f.verdict == "inconsistent"]


def test_check_reports_consistency_and_exit_code(run_json, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("China exported 3,188 tons of rare earth permanent magnets globally in June, "
                   "up 175.5% from 1,238 tons in May.\n", encoding="utf-8")
    code, d, _ = run_json("check", str(art), "--date", "2025-07-20")
    assert code == 1
    (f,) = [f for f in d["consistency"] if f["verdict"] == "inconsistent"]
    assert f["code"] == "C202" and {c["text"] for c in f["claims"]} == {"3,188 tons", "175.5%", "1,238 tons"}
    assert d["summary"]["inconsistent"] == 1


def test_concise_lists_inconsistency(run, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("China exported 3,188 tons of rare earth permanent magnets globally in June, "
                   "up 175.5% from 1,238 tons in May.\n", encoding="utf-8")
    code, out, _ = run("check", str(art), "--date", "2025-07-20", "--format", "concise")
    assert code == 1 and ": C202 inconsistent 3,188 tons / 1,238 tons − 1 = +157.5%" in out


def test_consistency_gold_scores(tmp_path):
    """The scorer on the shipped gold: no false inconsistency on dev, at least half the
    inconsistent relations found (figures in docs/measurements.md)."""
    from factcheck.evaluate_consistency import evaluate_consistency

    figures = evaluate_consistency(ROOT / "corpora")
    assert figures["items"] >= 30
    assert figures["dev"]["false_inconsistent"]["n"] == 0
    assert figures["dev"]["inconsistent_recall"]["value"] >= 0.5
