from pathlib import Path

from factcheck.extract import extract_text

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "articles"


def _claims(name: str):
    text = (CORPUS / name).read_text(encoding="utf-8")
    return text, extract_text(text, date="2025-07-20")


def test_seed001_offsets_index_the_exact_input():
    text, claims = _claims("001_seed_ainvest.txt")
    assert claims
    for c in claims:
        assert text[c.start:c.end] == c.text


def test_seed001_core_claims_and_frames():
    _, claims = _claims("001_seed_ainvest.txt")
    by_text = {}
    for c in claims:
        by_text.setdefault(c.text, c)
    c = by_text["157.5%"]
    assert (c.direction, c.frame.measure, c.frame.basis, c.frame.period) == ("up", "change", "mom", "2025-06")
    c = by_text["1,238 tons"]
    assert (float(c.value), c.unit, c.frame.period) == (1238.0, "t", "2025-05")
    c = by_text["18.9%"]
    assert (c.direction, c.frame.basis, c.frame.period) == ("down", "yoy", "2025-01..2025-06")
    c = by_text["22,319 tons"]
    assert c.frame.measure == "cumulative"
    c = by_text["38.1%"]
    assert (c.direction, c.frame.period, c.frame.basis) == ("down", "2025-06", "yoy")
    c = by_text["353 metric tons"]
    assert (c.frame.partner, c.frame.series, c.frame.flow) == ("United States", "rare_earth_magnets", "export")


def test_seed001_never_returns_non_claims():
    _, claims = _claims("001_seed_ainvest.txt")
    texts = " | ".join(c.text for c in claims)
    for bad in ("11:07", "2min", "[1]", "H20", "2027", "20, 2025", "060543156"):
        assert bad not in texts
