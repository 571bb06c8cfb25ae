"""What a person sees: the rich table rendered to an in-memory console."""

import io

from rich.console import Console

from factcheck.extract import extract_article
from factcheck.inputs import Article
from factcheck.report import render_table

TEXT = ("China's rare earth magnet exports slump\n"
        "China's exports of rare earth magnets fell 74% on the year to 1,238 tons in May.\n")


def _render(text: str, date: str | None) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=140, color_system=None, legacy_windows=False)
    render_table([extract_article(Article(id="a", source="story.txt", text=text), date)], console)
    return buf.getvalue()


def test_table_shows_sentence_claim_value_and_frame():
    out = _render(TEXT, "2025-06-20")
    assert "China's rare earth magnet exports slump" in out
    assert "date 2025-06-20 (option) · 2 claims" in out
    assert "fell 74% on the year" in out and "1,238 tons in May" in out
    assert "▼" in out and "1,238" in out
    assert "period 2025-05" in out and "basis yoy" in out and "rare_earth_magnets" in out


def test_table_says_when_there_is_no_date():
    out = _render(TEXT, None)
    assert "no publication date" in out


def test_claim_is_highlighted_in_its_sentence():
    buf = io.StringIO()
    console = Console(file=buf, width=140, force_terminal=True, color_system="standard")
    render_table([extract_article(Article(id="a", source="s", text=TEXT), "2025-06-20")], console)
    assert "\x1b[1;7m74%\x1b[0m" in buf.getvalue()  # bold reverse on the claim itself


def test_regression_aggregator_widgets_are_page_furniture():
    from factcheck.extract import extract_text

    text = ("Exports rose 12% in June.\nCoverage Details\nBias Distribution\n"
            "- 43% of the sources are Center\nFactuality\n")
    assert [c.text for c in extract_text(text)] == ["12%"]


def test_regression_square_brackets_in_a_headline_are_shown_as_written():
    out = _render("Rare earths [corrected] rise [/]\n\nExports rose 12% to 300 tons.\n", None)
    assert "Rare earths [corrected] rise [/]" in out
