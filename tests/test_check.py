"""factcheck check: verdicts, tolerance, mismatch reasons, formats and exit codes."""

import io
import re
from pathlib import Path

import pytest

from factcheck.check import Checker
from factcheck.inputs import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpora" / "articles").glob("00[01]_seed_*.txt"))


@pytest.fixture(scope="module")
def checker():
    return Checker()


def verdicts(checker, text: str, date: str = "2025-12-01"):
    checked = checker.check(Article(id="t", source="t", text=text, fmt="text"), date)
    return {c.text: v for c, v in zip(checked.claims, checked.verdicts, strict=True)}


# ---- the seeds -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_claims_are_all_supported(run_json, seed):
    code, report, _ = run_json("check", str(seed), "--date", "2025-07-20")
    assert code == 0
    assert report["summary"]["mismatch"] == 0
    trade = [c for c in report["claims"] if c["frame"]["series"]]
    assert trade and all(c["verdict"] == "supported" for c in trade)
    text = seed.read_text(encoding="utf-8")
    for c in report["claims"]:
        assert text[c["start"]:c["end"]] == c["text"]
        for key in ("value", "unit", "frame", "verdict", "official", "explanation", "sources"):
            assert key in c


def test_seed000_loose_rare_earth_wording_is_read_as_the_magnet_story(checker):
    text = (ROOT / "corpora/articles/000_seed_groundnews.txt").read_text(encoding="utf-8")
    checked = checker.check(Article(id="s", source="s", text=text, fmt="text"), "2025-07-20")
    v = next(v for c, v in zip(checked.claims, checked.verdicts, strict=True)
             if c.text == "more than seven times")
    assert v.verdict == "supported"
    assert any("rare earth" in n and "Rare earths (GAC headline" in n for n in v.notes)


# ---- tolerance: rounded correct copy stays quiet ------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "China's exports of rare earth magnets rose 158% in June 2025 from May.",   # 157.5%
    "China's rare earth magnet exports were 5,773 tons in September 2025.",    # 5,774 t
    "China's rare earth magnet exports rose to 6,149.95 tons in November 2025.",  # 6,150 t
    "China's rare earth magnet exports jumped nearly 75% in July 2025 from June.",
    "China's rare earth magnet exports to the US rose more than sevenfold in June 2025 from May.",
    "China's rare earth magnet exports rose about 160% in June 2025 from May.",
    "China's rare earth magnet exports fell 18.9% on the year to 22,319 tons in the first half of 2025.",
])
def test_rounded_correct_copy_is_supported(checker, sentence):
    found = verdicts(checker, sentence)
    assert found and all(v.verdict == "supported" for v in found.values()), {
        k: v.explanation for k, v in found.items()}


# ---- mismatch reasons ----------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, quote, reason, says", [
    ("China's rare earth magnet exports reached 3,881 tons in June 2025.", "3,881 tons",
     "value", "3,188 t"),
    ("China's rare earth magnet exports fell 157.5% in June 2025 from May.", "157.5%",
     "direction", "it rose"),
    ("China's rare earth magnet exports reached 3,188 kilograms in June 2025.",
     "3,188 kilograms", "unit", "kilograms and tonnes"),
    ("China's rare earth magnet exports rose 157.5% year-on-year in June 2025.", "157.5%",
     "basis", "previous month"),
    ("China's rare earth magnet exports reached 5,577 tons in June 2025.", "5,577 tons",
     "period", "2025-07"),
    ("China's rare earth magnet exports reached 4,343.5 tons in October 2025.", "4,343.5 tons",
     "series", "Rare earths (GAC headline"),
    ("China exported 62.585 metric tons of rare earths in 2025.", "62.585 metric tons",
     "separator", "separator"),
])
def test_mismatch_reason_is_stated(checker, sentence, quote, reason, says):
    v = verdicts(checker, sentence)[quote]
    assert (v.verdict, v.reason) == ("mismatch", reason), v.explanation
    assert says in v.explanation
    assert v.official is not None and v.official.figures


def test_wrong_series_names_where_the_number_fits_and_the_right_figure(checker):
    v = verdicts(checker, "China's rare earth magnet exports reached 4,343.5 tons in October 2025.")
    assert "2025-10" in v["4,343.5 tons"].explanation
    assert "5,473 t" in v["4,343.5 tons"].explanation


def test_unverifiable_says_what_is_missing(checker):
    v = verdicts(checker, "China's soybean imports rose to 12 million tons in May 2025.")
    assert (v["12 million tons"].verdict, v["12 million tons"].reason) == ("unverifiable", "series")
    v = verdicts(checker, "China's rare earth magnet exports to Japan were 300 tons in March 2025.")
    assert v["300 tons"].verdict == "unverifiable"
    assert "2025-03" in v["300 tons"].explanation


def test_derived_figures_are_never_shown_as_stated(checker):
    # June 2024 magnets: only a derived figure (3,188 / (1 - 38.1%)) exists
    v = verdicts(checker, "China's rare earth magnet exports were 5,150 tons in June 2024.")["5,150 tons"]
    assert v.verdict == "supported"
    assert v.official.derived and not v.to_dict()["official"]["stated"]
    assert any("derived" in n for n in v.notes)


# ---- superlatives --------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, phrase, verdict", [
    ("China's rare earth magnet exports rose to a record 3,188 tons in June 2025.", "a record",
     "mismatch"),
    ("China's rare earth magnet exports rose to 5,577 tons in July 2025, a six-month high.",
     "six-month high", "supported"),
    ("China's rare earth magnet exports rose to 5,473 tons in October 2025, the highest since "
     "January.", "highest since January", "mismatch"),
    ("China's rare earth magnet exports were 6,150 tons in November 2025, the second-highest on "
     "record.", "second-highest on record", "unverifiable"),
])
def test_superlatives_are_tested_against_the_series(checker, sentence, phrase, verdict):
    v = verdicts(checker, sentence)[phrase]
    assert v.verdict == verdict, v.explanation
    if verdict == "mismatch":
        assert v.reason == "superlative"


# ---- formats and exit codes --------------------------------------------------------------------


def test_exit_1_on_a_mismatch_and_concise_lines(run, tmp_path):
    f = tmp_path / "draft.txt"
    f.write_text("Headline\n\nChina's rare earth magnet exports reached 4,343.5 tons in "
                 "October 2025.\n", encoding="utf-8")
    code, out, _ = run("check", str(f), "--format", "concise")
    assert code == 1
    line = out.strip().splitlines()[0]
    assert re.fullmatch(rf"{re.escape(str(f))}:3:\d+: V205 mismatch '4,343\.5 tons': .+", line)


def test_exit_2_on_input_errors(run, tmp_path):
    code, _, err = run("check", str(tmp_path / "missing.txt"), "--format", "json")
    assert code == 2 and "E001" in err


def test_several_inputs_give_documents(run_json):
    code, report, _ = run_json("check", *map(str, SEEDS), "--date", "2025-07-20")
    assert code == 0
    assert len(report["documents"]) == 2
    assert all(d["schema"] == "factcheck.report/1" and d["claims"] for d in report["documents"])
    assert report["summary"]["documents"] == 2


def test_rich_view_fits_80_columns_and_has_no_colour_when_piped():
    from rich.console import Console

    from factcheck.report import render_check

    checked = Checker().check(Article(id="s", source="s", fmt="text", text=SEEDS[1].read_text(
        encoding="utf-8")), "2025-07-20")
    buf = io.StringIO()
    render_check([checked], Console(file=buf, width=80))  # a file: not a terminal
    out = buf.getvalue()
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "353 metric tons[1✓]" in out.replace("\n", " ") or "[1✓]" in out
    assert "supported" in out and "Reuters" in out


def test_user_reference_directory_checks_their_own_series(run_json, tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "figures.csv").write_text(
        "series,flow,reporter,partner,period,measure,value,unit,stated,status,source\n"
        "soybeans,import,China,World,2025-05,level,13920000,t,stated,accepted,GAC May release\n",
        encoding="utf-8")
    draft = tmp_path / "soy.txt"
    draft.write_text("China's soybean imports rose to 13.92 million tons in May 2025.\n",
                     encoding="utf-8")
    code, report, _ = run_json("check", str(draft), "--reference", str(ref))
    assert code == 0
    assert report["claims"][0]["verdict"] == "supported"
    assert report["claims"][0]["sources"][0]["source"] == "GAC May release"


def test_regression_flipped_sign_without_a_stated_basis_is_a_direction_mismatch(checker):
    v = verdicts(checker, "China's rare earth magnet exports fell 157.5% in June 2025.")["157.5%"]
    assert (v.verdict, v.reason) == ("mismatch", "direction")


def test_regression_word_multiples_are_not_exact_to_half_a_unit(checker):
    v = verdicts(checker, "China's rare earth magnet exports halved in May 2025 from April.")
    assert all(x.verdict != "supported" or "10%" in x.tolerance for x in v.values())
