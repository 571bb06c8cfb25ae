"""The shapes newsroom copy uses, one assertion each (value, unit, kind, direction, hedge)."""

import pytest

from factcheck.extract import extract_text


def one(text: str, date: str = "2025-07-20"):
    return [(c.to_dict()["value"], c.unit, c.kind, c.direction, c.hedge)
            for c in extract_text(text, date=date)]


@pytest.mark.parametrize("text,expected", [
    ("Exports were 3,188 tons.", (3188, "t", "mass", None, None)),
    ("SMM put it at 1,238.47 tons.", (1238.47, "t", "mass", None, None)),
    ("It was worth 1.2 million dollars.", (1200000, "USD", "money", None, None)),
    ("Sales hit 2.5bn yuan.", (2500000000, "CNY", "money", None, None)),
    ("Sales hit $301.8m.", (301800000, "USD", "money", None, None)),
    ("Sales hit US$26.74m.", (26740000, "USD", "money", None, None)),
    ("About 46,000 kilograms left.", (46000, "kg", "mass", None, "about")),
    ("Shipments were 1.2 million kilograms.", (1200000, "kg", "mass", None, None)),
    ("The rate fell 18,9% in June.", (18.9, "pct", "percent", "down", None)),
    ("China mined 5 Mt of coal.", (5, "Mt", "mass", None, None)),
    ("Magnet exports were 300 MT.", (300, "t", "mass", None, None)),
    ("Magnet exports were 20 mt.", (20, "t", "mass", None, None)),
    ("The cargo weighed 12 short tons.", (12, "short_ton", "mass", None, None)),
    ("It shipped 24,000 lb of ore.", (24000, "lb", "mass", None, None)),
    ("Exports rose more than sevenfold.", (7, "x", "multiple", "up", "more than")),
    ("Exports rose 7-fold.", (7, "x", "multiple", "up", None)),
    ("It was seven times the May level.", (7, "x", "multiple", "up", None)),
    ("Exports doubled.", (2, "x", "multiple", "up", None)),
    ("Exports tripled.", (3, "x", "multiple", "up", None)),
    ("Exports halved.", (0.5, "x", "multiple", "down", None)),
    ("Exports were more than double.", (2, "x", "multiple", "up", "more than")),
    ("Exports were down 18.9% on the year.", (18.9, "pct", "percent", "down", None)),
    ("Exports slumped 18.9%.", (18.9, "pct", "percent", "down", None)),
    ("It was 38% lower than June 2024.", (38, "pct", "percent", "down", None)),
    ("It marked a 660 percent increase.", (660, "pct", "percent", "up", None)),
    ("The share rose 3 percentage points.", (3, "pp", "percentage_points", "up", None)),
    ("Tariffs of 10-15% apply.", ([10, 15], "pct", "percent", None, None)),
    ("Between 5,000 and 6,000 tons left.", ([5000, 6000], "t", "mass", None, None)),
    ("Nearly 75% came from Japan.", (75, "pct", "percent", None, "nearly")),
    ("Just over 300 tons went to Japan.", (300, "t", "mass", None, "just over")),
    ("They sold less than 10% of it.", (10, "pct", "percent", None, "less than")),
])
def test_shapes(text, expected):
    assert one(text) == [expected]


@pytest.mark.parametrize("text", [
    "Sunday, Jul 20, 2025 11:07 am ET2min read",
    "Nvidia plans to resume sales of its H20 AI chips to China [1].",
    "43 Articles",
    "1. [https://finance.yahoo.com/news/chinas-exports-rare-earth-magnets-060543156.html](x)",
    "The plant will open in 2027.",
    "On July 18, China's ministry spoke.",
    "Magnets fall under HS code 8505111000.",
    "It happened on 20 July.",
    "Covid-19 hit trade in the 1990s and in 2020.",
])
def test_non_claims_are_never_returned(text):
    assert one(text) == []


def test_ambiguous_thousands_dot_is_surfaced_not_guessed():
    claims = extract_text("Shipments totalled 62.585 metric tons in June, against 58,300 tons a "
                          "year earlier.", date="2025-07-20")
    amb = claims[0].to_dict()["ambiguous"]
    assert amb["alternatives"] == [62.585, 62585]
    assert "thousands" in amb["reason"]
    assert claims[1].to_dict().get("ambiguous") is None


def test_three_decimals_without_evidence_is_a_plain_decimal():
    claims = extract_text("SMM put June exports at 6,145.623 mt.\n\nA sample weighed 1.125 tons.")
    assert all(c.ambiguous is None for c in claims)


def test_general_quantities_keep_their_kind():
    kinds = [(c.kind, c.unit) for c in extract_text("Smith, 62, said the 3,000 workers drove 40 km.")]
    assert kinds == [("age", "year"), ("count", "people"), ("length", "km")]


def test_level_after_to_takes_the_verb_direction_and_base_level_none():
    claims = extract_text("Exports fell 18.9% on the year to 22,319 tons, up from 1,238 tons.")
    assert [(c.text, c.direction) for c in claims] == [
        ("18.9%", "down"), ("22,319 tons", "down"), ("1,238 tons", None)]


def test_regression_decimal_comma_text_reads_dot_groups_as_thousands():
    # translated copy: "18,9%" fixes the convention, so "22.319 tonnes" is 22,319 t
    claims = extract_text("Exports fell 18,9% to 22.319 tonnes in the first half.")
    c = claims[1].to_dict()
    assert c["value"] == 22319
    assert c["ambiguous"]["alternatives"] == [22.319, 22319]


def test_regression_space_grouped_thousands():
    claims = extract_text("In June exports amounted to 3 188 tonnes, 157,5% more than in May.")
    assert [c.to_dict()["value"] for c in claims] == [3188, 157.5]


def test_regression_from_a_dashed_range_is_still_a_range():
    claims = extract_text("Clearance takes 14 days, down from 20-25 days.")
    assert [c.to_dict()["value"] for c in claims] == [14, [20, 25]]


def test_regression_spelled_out_range():
    claims = extract_text("It could take two to three months for supply to return.")
    assert [(c.to_dict()["value"], c.unit) for c in claims] == [([2, 3], "month")]


@pytest.mark.parametrize("text,expected", [
    ("The average export price was US$8,818 per ton.", (8818, "USD/t", "money")),
    ("Crude recovered to $52 a barrel.", (52, "USD/barrel", "money")),
    ("Units were priced at $62 to $68 per share.", ([62, 68], "USD/share", "money")),
    ("He bought a notebook for 1,200€.", (1200, "EUR", "money")),
    ("Passengers paid HK $216,925.", (216925, "HKD", "money")),
    ("The grid frequency fell to 49.55 Hz.", (49.55, "Hz", "other")),
])
def test_prices_symbols_and_units(text, expected):
    c = extract_text(text)[0]
    assert (c.to_dict()["value"], c.unit, c.kind) == expected


def test_regression_spread_from_to_is_a_range_but_a_move_is_not():
    assert [c.to_dict()["value"] for c in extract_text("Prices range from $370,000 to $5.5 million.")] \
        == [[370000, 5500000]]
    assert [c.to_dict()["value"] for c in extract_text("Exports rose from 1,238 tons to 3,188 tons.")] \
        == [1238, 3188]


def test_regression_negative_levels():
    values = [(c.to_dict()["value"], c.unit) for c in
              extract_text("It was minus 387 Fahrenheit, and the firm booked -$5m.")]
    assert values == [(-387, "fahrenheit"), (-5000000, "USD")]


@pytest.mark.parametrize("text,expected", [
    ("The company's revenue amounted to EUR50m.", [(50000000, "EUR")]),
    ("It will be around 25k cheaper.", [(25000, None)]),
    ("Britain can borrow at 1.38pc.", [(1.38, "pct")]),
    ("It can dip to minus-130 degrees Fahrenheit.", [(-130, "fahrenheit")]),
    ("They were unemployed for one to two years.", [([1, 2], "year")]),
    ("The S&P 500 rose 0.2% and the Stoxx 600 index gained 1.7 percent.", [(0.2, "pct"), (1.7, "pct")]),
])
def test_regression_newsroom_shapes_seen_in_newsquant(text, expected):
    assert [(c.to_dict()["value"], c.unit) for c in extract_text(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("Revenue will be $1.8-2.7 billion.", ([1800000000, 2700000000], "USD")),
    ("Sales of 10 to 15 million units are expected.", ([10000000, 15000000], None)),
    ("Between 750000 and 800000 will be sold.", ([750000, 800000], None)),
])
def test_regression_ranges_share_the_second_numbers_scale_and_unit(text, expected):
    c = extract_text(text)[0]
    assert (c.to_dict()["value"], c.unit) == expected


def test_regression_a_bare_base_takes_the_targets_scale():
    got = [(c.to_dict()["value"], c.unit) for c in extract_text("Output rose from 5 to 6 million tonnes.")]
    assert got == [(5000000, "t"), (6000000, "t")]
