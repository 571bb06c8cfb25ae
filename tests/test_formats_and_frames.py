"""Input formats keep offsets into the exact input; frames resolve periods against the date."""

import io
import json
import sys

from factcheck.document import build_document
from factcheck.extract import extract_text

MD = """---
title: Magnet exports slump
date: 2025-06-20
---
# China's rare earth magnet exports slump

China's exports of rare earth magnets fell 74% on the year to 1,238 tons last month, data from the
General Administration of Customs showed. See [the data](https://example.com/2025/05/1234).
"""

HTML = """<html><head><title>Magnets</title><script>var views = 12345; track(2025);</script></head>
<body><nav>Home | 43 Articles | Page 2</nav>
<article><h1>Exports to the US jump</h1>
<p>China&rsquo;s exports of rare earth magnets to the United States rose 660% to 353 tons in June.</p>
</article><footer>&copy; 2025 News Corp. 12 comments</footer></body></html>"""


def test_markdown_front_matter_and_urls(run_json, tmp_path):
    f = tmp_path / "story.md"
    f.write_text(MD)
    code, report, _ = run_json("extract", str(f))
    assert code == 0
    art = report["articles"][0]
    assert (art["title"], art["date"], art["date_source"]) == (
        "Magnet exports slump", "2025-06-20", "front-matter")
    claims = report["claims"]
    assert [c["text"] for c in claims] == ["74%", "1,238 tons"]
    for c in claims:
        assert MD[c["start"]:c["end"]] == c["text"]
    assert claims[1]["frame"]["period"] == "2025-05"
    assert claims[0]["frame"]["basis"] == "yoy"


def test_html_drops_scripts_nav_footer_and_keeps_raw_offsets(run_json, tmp_path):
    f = tmp_path / "story.html"
    f.write_text(HTML)
    code, report, _ = run_json("extract", str(f), "--date", "2025-07-20")
    assert code == 0
    claims = report["claims"]
    assert [c["text"] for c in claims] == ["660%", "353 tons"]
    assert all(HTML[c["start"]:c["end"]] == c["text"] for c in claims)
    assert claims[1]["frame"]["partner"] == "United States"


def test_stdin(run_json, monkeypatch):
    data = b"Exports rose 5% in March 2025."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, report, _ = run_json("extract", "-")
    assert code == 0 and report["claims"][0]["frame"]["period"] == "2025-03"


def test_dateline_gives_the_publication_date(run_json, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("BEIJING, Jul 20, 2025 - Magnet exports rose 157.5% last month.\n")
    code, report, _ = run_json("extract", str(f))
    assert report["articles"][0]["date_source"] == "dateline"
    assert report["claims"][0]["frame"]["period"] == "2025-06"


def test_without_a_date_relative_periods_stay_unresolved_and_say_so(run_json, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Magnet exports rose 157.5% last month.\n")
    code, report, _ = run_json("extract", str(f))
    assert "no publication date" in report["articles"][0]["notes"][0]
    frame = report["claims"][0]["frame"]
    assert frame["period"] is None and "pass --date" in frame["unresolved"]["period"]


def test_schema_header(run_json, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Exports rose 5%.\n")
    _, report, _ = run_json("extract", str(f))
    assert report["schema"] == "factcheck.report/1"
    assert "character offsets" in report["offsets"]
    claim = report["claims"][0]
    for key in ("text", "start", "end", "value", "unit", "kind", "direction", "hedge", "frame"):
        assert key in claim
    json.dumps(report)


def test_paragraphs_and_sentences_split_on_newlines_first():
    doc = build_document("Headline without period\nFirst line. Second one.\n\nNew block here.")
    assert [doc.text[p.start:p.end] for p in doc.paragraphs] == [
        "Headline without period", "First line. Second one.", "New block here."]
    assert [doc.text[s.start:s.end] for s in doc.sentences] == [
        "Headline without period", "First line.", "Second one.", "New block here."]


def test_abbreviations_do_not_split_sentences():
    doc = build_document("Exports to the U.S. rose 5% in Jan. after talks. Then they fell.")
    assert len(doc.sentences) == 2


def test_periods_resolve_against_the_publication_date():
    cases = {
        "Exports rose 5% in June.": "2025-06",
        "Exports rose 5% last month.": "2025-06",
        "In the first half of 2025, exports were 22,319 tons.": "2025-01..2025-06",
        "In January-September, exports were 9,000 tons.": "2024-01..2024-09",
        "Exports were 9,000 tons in the first nine months of the year.": "2025-01..2025-09",
        "Exports were 900 tons in December.": "2024-12",
    }
    for text, period in cases.items():
        claims = extract_text(text, date="2025-07-20" if "nine" not in text else "2025-10-20")
        assert claims[0].frame.period == period, text


def test_context_carries_across_sentences_in_a_paragraph_not_beyond():
    text = ("China's exports of rare earth magnets to the United States rose to 353 tons in June. "
            "The figure for Japan was 228 tons. Germany took 1,007 tons.\n\n"
            "Exports were 5,000 tons overall.")
    claims = extract_text(text, date="2025-07-20")
    f = {c.text: c.frame for c in claims}
    assert (f["228 tons"].partner, f["228 tons"].period, f["228 tons"].series) == (
        "Japan", "2025-06", "rare_earth_magnets")
    assert f["228 tons"].inherited["period"] == "sentence 0"
    assert f["5,000 tons"].period is None
    assert f["5,000 tons"].partner == "World"


def test_wrong_series_is_kept_as_written():
    claims = extract_text("Chinese rare earth exports in June were more than seven times the May "
                          "level.", date="2025-07-20")
    assert (claims[0].frame.series, claims[0].frame.basis) == ("rare_earths", "mom")


def test_bloomberg_products_is_its_own_series():
    claims = extract_text("Exports of rare earth products rose to 2,117 tons in May, Bloomberg "
                          "calculations show.", date="2025-06-20")
    assert claims[0].frame.series == "rare_earth_products"


def _frames(text: str, date: str = "2025-08-20"):
    return {c.text: c for c in extract_text(text, date=date)}


def test_regression_basis_named_before_the_number():
    c = _frames("Compared with September, shipments to the U.S. in October jumped 56.1%.",
                "2025-11-20")["56.1%"]
    assert (c.frame.period, c.frame.basis) == ("2025-10", "mom")


def test_regression_percent_above_a_year_earlier_is_a_yoy_change():
    c = _frames("Shipments climbed 75.5% in July from June to 619 tons, and were 4.8% above the "
                "level of a year earlier.")["4.8%"]
    assert (c.direction, c.frame.measure, c.frame.basis) == ("up", "change", "yoy")


def test_regression_a_comparison_figure_keeps_its_own_period():
    f = _frames("Exports totalled 5,577 metric tons last month, compared with 3,188 tons in June, "
                "and were 5.7% higher than in July 2024.")
    assert f["3,188 tons"].frame.period == "2025-06"
    assert (f["5.7%"].frame.period, f["5.7%"].frame.basis) == ("2025-07", "yoy")


def test_regression_possessive_and_subject_partners():
    f = _frames("China's magnet exports rose in September.\n\nJapan's September figure was 228 tons. "
                "Germany remained the biggest buyer, taking 1,288 tons.", "2025-10-20")
    assert f["228 tons"].frame.partner == "Japan"
    assert f["1,288 tons"].frame.partner == "Germany"


def test_regression_parts_named_in_an_include_clause_are_not_the_partner():
    c = _frames("China's imports of rare earths, which include ore from Myanmar and concentrate "
                "from the United States, fell 24.4% on the year to 132,931 tons in 2024.",
                "2025-01-20")["132,931 tons"]
    assert c.frame.partner == "World" and c.frame.flow == "import"


def test_hard_wrapped_prose_is_one_paragraph_but_a_headline_is_not():
    doc = build_document("Magnet exports slump in May\nChina's exports of rare earth magnets fell "
                         "74% on the year\nto 1,238 tons in May, customs data showed on\nFriday.\n")
    paras = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert paras[0] == "Magnet exports slump in May"
    assert len(paras) == 2 and paras[1].endswith("Friday.")
    assert doc.title == "Magnet exports slump in May"


HTML_ENTITIES = ('<p>Exports rose 12&nbsp;% to 1,238&nbsp;tons, worth &euro;1.2bn (US&#36;26.74m), and '
                 '3&nbsp;188 tonnes went to Japan. Then <strong>157.5</strong>% and '
                 '<b>1,238</b> tons; 12%<sup>1</sup> to 300 tons; 5&#37;.</p>')


def test_regression_html_entities_and_inline_tags_stay_with_their_numbers(run_json, tmp_path):
    f = tmp_path / "a.html"
    f.write_text(HTML_ENTITIES)
    _, report, _ = run_json("extract", str(f))
    got = [(c["text"], c["value"], c["unit"]) for c in report["claims"]]
    assert got == [("12&nbsp;%", 12, "pct"), ("1,238&nbsp;tons", 1238, "t"),
                   ("&euro;1.2bn", 1200000000, "EUR"), ("&#36;26.74m", 26740000, "USD"),
                   ("3&nbsp;188 tonnes", 3188, "t"), ("157.5</strong>%", 157.5, "pct"),
                   ("1,238</b> tons", 1238, "t"), ("12%", 12, "pct"), ("300 tons", 300, "t"),
                   ("5&#37;", 5, "pct")]
    assert all(HTML_ENTITIES[c["start"]:c["end"]] == c["text"] for c in report["claims"])


def test_regression_markdown_emphasis_code_and_footnotes(run_json, tmp_path):
    f = tmp_path / "a.md"
    f.write_text("Exports rose **12%** to **1,238** tons.\n\n```\nx = 5000  # tons\n```\n\nSee `v2.5` and note[^1].\n")
    _, report, _ = run_json("extract", str(f))
    assert [(c["value"], c["unit"]) for c in report["claims"]] == [(12, "pct"), (1238, "t")]


def test_regression_no_break_and_thin_spaces(run_json, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Exports rose 12\u00a0% from May, worth US$\u00a026.7\u00a0million, at $1\u2009200 a ton.\n")
    _, report, _ = run_json("extract", str(f))
    assert [(c["value"], c["unit"]) for c in report["claims"]] == [
        (12, "pct"), (26700000, "USD"), (1200, "USD/t")]


def test_regression_scaled_ranges_and_units():
    got = [(c.to_dict()["value"], c.unit) for c in extract_text(
        "The plant will cost $1bn-2bn. Output is seen at 10m-12m tonnes, or 1.2 MMT. It cost Rs 500 crore.")]
    assert got == [([1000000000, 2000000000], "USD"), ([10000000, 12000000], "t"), (1.2, "Mt"),
                   (5000000000, "INR")]


def test_regression_period_phrases_are_case_blind_but_may_is_not_a_month():
    for text, period in [("Last month, exports rose 12%.", "2025-06"), ("Exports rose 5% in JUNE.", "2025-06"),
                         ("Year-to-date, exports rose 5%.", "2025-01..2025-06")]:
        assert extract_text(text, date="2025-07-20")[0].frame.period == period
    assert extract_text("Exports may rise 5% in March.", date="2025-07-20")[0].frame.period == "2025-03"


def test_regression_a_change_then_a_level_is_not_a_range():
    got = [(c.text, c.frame.measure) for c in extract_text("Exports rose 1,950 tons to 22,319 tons in June.")]
    assert got == [("1,950 tons", "change"), ("22,319 tons", "level")]


def test_regression_a_megabyte_of_numbers_in_one_line_is_linear():
    # pasted tables: one "sentence" with thousands of figures is cut into bounded pieces
    text = "Exports rose 5% to 300 tons in June " * 2000
    doc = build_document(text)
    assert max(s.end - s.start for s in doc.sentences) <= 600
    assert len(extract_text(text, date="2025-07-20")) == 4000


def test_regression_comparison_figures_do_not_take_the_sentence_period():
    f = _frames("Rare earth exports hit 5,000 tonnes in June. Magnet exports were 2,000 tonnes, "
                "compared with 3,188 tonnes in May.", "2025-07-20")
    assert (f["2,000 tonnes"].frame.period, f["3,188 tonnes"].frame.period) == ("2025-06", "2025-05")
    f = _frames("Exports fell 3% to 200 tons in June, from 250 tons a year earlier.", "2025-07-20")
    assert (f["200 tons"].frame.period, f["250 tons"].frame.period) == ("2025-06", "2024-06")


def test_regression_flow_and_partner_do_not_leak_across_a_flow_switch():
    f = _frames("China's exports to Japan rose 5%, while imports fell 3%.", "2025-07-20")
    assert (f["5%"].frame.flow, f["5%"].frame.partner) == ("export", "Japan")
    assert (f["3%"].frame.flow, f["3%"].frame.partner) == ("import", "World")
    f = _frames("Exports to the United States fell 8.84 per cent to 581.8 tonnes, although their "
                "value rose 4.2 per cent to US$26.74 million.", "2025-12-20")
    assert f["4.2 per cent"].frame.partner == "United States"


def test_regression_a_restated_change_keeps_its_direction():
    f = _frames("Exports fell 1.1 million tonnes, or 7%, to 14.9 million tonnes.", "2025-07-20")
    assert [(c.direction, c.frame.measure) for c in f.values()] == [
        ("down", "change"), ("down", "change"), ("down", "level")]
    f = _frames("Germany took 1,341.08 mt, up 20.19% MoM, or almost 22% of total exports.", "2025-09-20")
    assert (f["almost 22%"].direction, f["almost 22%"].frame.measure) == (None, "share")


def test_regression_fractions_and_multiples():
    got = [(c.text, c.to_dict()["value"]) for c in extract_text(
        "Exports fell by about a fifth to 300 tons, rose three-fold, and two-thirds of exports went "
        "to Japan. They were double the May level and rose 7x.")]
    assert got == [("about a fifth", 0.2), ("300 tons", 300), ("three-fold", 3), ("two-thirds", 0.6667),
                   ("double", 2), ("7x", 7)]


def test_regression_price_with_a_currency_word():
    c = extract_text("The price fell to 2,100 yuan per tonne.")[0]
    assert (c.text, c.unit) == ("2,100 yuan per tonne", "CNY/t")


def test_regression_quarters_halves_and_event_dates():
    cases = [("Exports rose 12% in the second quarter.", "2025-07-20", "2025-04..2025-06"),
             ("Second-quarter exports rose 4%.", "2025-07-20", "2025-04..2025-06"),
             ("In the second half of this year exports rose 5%.", "2025-12-10", "2025-07..2025-12"),
             ("In the first half of this year exports rose 5%.", "2025-03-10", "2025-01..2025-06"),
             ("On July 15, 2025, customs said exports rose 5%.", "2025-07-20", None),
             ("In the 2020s exports rose 5%.", "2025-07-20", None)]
    for text, date, period in cases:
        assert extract_text(text, date=date)[0].frame.period == period, text
    c = extract_text("Exports in 2025-26 are seen rising 5%.", date="2025-07-20")
    assert [x.text for x in c] == ["5%"] and "split year" in c[0].frame.unresolved["period"]


def test_regression_round1_heldout_patterns():
    f = _frames("Exports in February 2025 fell 43.6% m-o-m to 3,588 tons, from a record 6,357 tons "
                "in January. Compared with February 2024, when exports hit a year-low of 3,326 tons, "
                "shipments were up 7.9%.", "2025-03-24")
    assert f["3,588 tons"].frame.period == "2025-02" and f["43.6%"].frame.basis == "mom"
    assert (f["7.9%"].frame.period, f["7.9%"].frame.basis) == ("2025-02", "yoy")
    f = _frames("Vietnam received 472 tons, more than double its December 2024 volume.", "2026-01-20")
    assert f["more than double"].frame.basis == "2024-12" or f["more than double"].frame.period is None
    f = _frames("Milan, 21 May 2025 - China exported 2.627 tonnes of magnets in April, 50,6% less "
                "than in April of last year.", "2025-05-21")
    assert f["2.627 tonnes"].frame.period == "2025-04" and f["50,6%"].frame.basis == "yoy"
    f = _frames("The average climbed to about $9,000 per ton from roughly $8,300 a year earlier.")
    assert [c.unit for c in f.values()] == ["USD/t", "USD/t"]
    c = extract_text("First-quarter shipments added up to 16,001 tonnes.")[0]
    assert c.hedge is None


def test_regression_investment_money_in_a_trade_story_is_not_a_trade_figure():
    f = _frames("China's magnet exports rose 5% in May. The company will build a $120 million plant.",
                "2025-06-20")
    assert f["$120 million"].frame.flow is None and f["5%"].frame.flow == "export"
