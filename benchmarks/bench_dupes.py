"""Planted-duplicates benchmark for archive-wide duplicate-passage detection.

    .venv/bin/python benchmarks/bench_dupes.py [--system factcheck|stub] [--articles 2000]
        [--seed 1] [--plant 1.0] [--boilerplate-rate 0.05] [--no-baseline] [--json]
        [--show-false 5] [--write DIR] [--inproc]
    .venv/bin/python benchmarks/bench_dupes.py --scale 10000,100000,1000000 [--baseline-max 100000]

Planted mode (default)
----------------------
A deterministic generator (``--seed``) builds an archive of ``--articles`` records
``{"id", "date", "body"}`` about customs trade figures, paragraphs separated by a blank line
(~8 paragraphs an article, so ~16k passages at the default 2,000 articles):

* *Base paragraphs*: every paragraph of corpora/articles/* (markup stripped; front matter, tags,
  list markers and link targets removed; lines under 12 words dropped; near-duplicates within the
  corpus itself dropped), each used once, in rare-earth articles; plus templated paragraphs (lead,
  partner breakdown, year-to-date, context, quote, company, outlook), 2-3 sentences drawn from a
  bank of sentence templates with commodities, partners, months, verbs, people, companies and
  numbers varied per sentence.  Guards keep base paragraphs apart: no two are equal after
  normalisation, no non-formula sentence occurs twice, and two paragraphs built from the same
  template sequence differ in at least 3 slot values (names or figures), so no base pair looks
  like a planted numbers copy (identical but for one or two figures).
* *Look-alikes*: one-sentence *formula* paragraphs ("Shares of Lynas Rare Earths rose 3.2% in
  Sydney trading.", "Exports to Germany were 1,341 tons, up 20.2% from a year earlier.", price
  and currency lines) whose wording recurs in many articles with different values.  They are not
  duplicates of one another; reporting them is a false positive.  Nothing is planted from them.
* *Boilerplate*: one disclaimer paragraph closes ``--boilerplate-rate`` of the articles (5%).
* *Planted copies* of base paragraphs (never of formula paragraphs, the disclaimer or a copy), each
  inserted as a new paragraph of another article (or, for within-article repeats, later in the
  same article).  A quarter of the copies reuse an already copied source, so some sources have
  several copies.  ``--plant`` scales the counts (default per 100 articles: 10 exact, 15 near,
  8 numbers, of which ~1.25 exact and ~0.75 near are within-article repeats):

  exact    verbatim | whitespace (double spaces, a single line break, no-break spaces) |
           quotes (straight <-> curly) | case (lower-cased, or the first words upper-cased)
  near     word_edit (1-3 words substituted, inserted or deleted; numbers untouched) |
           prefix ("Title: <headline>" glued with no space, a space or a line break;
           "By Reuters staff --"; "BEIJING (Reuters) -") | reorder (two adjacent sentences
           swapped) | truncate (last sentence cut part-way) | rounding (one decimal number
           rounded: 38.1% -> 38%, consistent, must NOT be labelled inconsistent) |
           prefix+edit
  numbers  one (one number materially changed: 353 -> 335, 660 -> 600) | two (two numbers) |
           one+edit (one number changed and one word edited).  Years, days of the month,
           reference markers [1] and long codes are never changed.

  The truth table has one row per copy: copy doc and character span, source doc and span,
  kind, op, within-article flag, cluster (= source) and numbers variant (source, exact and near
  copies share variant 0; each numbers copy has its own).

Systems
-------
* ``factcheck``: ``find_archive_duplicates(records)`` from ``factcheck.dupes`` (or, failing that,
  ``factcheck.archive_dupes``), called with ``within=True`` when it takes that keyword (within-
  article repeats are planted too); records is a one-shot iterable of ``(doc_id, text)``; the
  result has ``.groups`` (``.kind`` in exact|near|inconsistent,
  ``.similarity``, ``.passages`` with ``.doc .start .end .text``) and ``.boilerplate`` (``.text``,
  ``.count`` = number of docs).  ``stub`` is a stand-in in this file (hash of the normalised
  paragraph; hashes seen in >= 10 docs are summarised as boilerplate).
* ``minhash`` baseline (unless ``--no-baseline``): datasketch MinHashLSH over paragraphs, word
  5-gram shingles with numbers kept, 128 permutations (xxhash), threshold 0.5; candidates
  confirmed by rapidfuzz ``fuzz.ratio`` >= 80 on the processed text; a pair is "inconsistent"
  when its number tokens differ as multisets, "exact" when the normalised texts are equal.

Each system runs in a fresh subprocess reading the archive as JSONL (``--inproc`` to run in this
process), so seconds and peak RSS (``ru_maxrss``) are its own; seconds are wall-clock for the call
only (imports and a warm-up read of the file are excluded), CPU s adds the CPU time of any worker
processes it starts, and "+N" after the peak RSS is the largest such worker.

Scoring (passage level)
-----------------------
A reported passage *overlaps* a span when they share at least min(20, half the span, half the
passage) characters.  A planted copy is *found* when one reported group holds a passage
overlapping the copy and a different passage overlapping its source; for kind numbers the group
must also be labelled ``inconsistent`` (baseline: number tokens differ).  R exact / R near /
R numbers are the shares found per kind (within-article repeats and each op are also shown).
Precision is over distinct reported passage pairs (all pairs within each group): a pair is correct
when its passages overlap two different members (source or copies) of the same planted cluster;
pairs of two boilerplate passages are counted apart (neither correct nor false, so listing the
disclaimer pairwise neither helps nor hurts P); every other pair is false, and false pairs are
broken down (formula look-alike, other base look-alike, copy vs unrelated, unmapped ...).
Number-changed precision (numP) is over the pairs of groups labelled inconsistent: correct when
the two members belong to one cluster and have different numbers variants.  Groups of more than
400 passages are scored by label counts, not pair by pair.  Boilerplate counts as *summarised*
when a ``.boilerplate`` entry matches the disclaimer (rapidfuzz ratio >= 90) with a doc count
within 20% of the truth.  Passages whose ``.text`` differs from ``text[start:end]`` are counted.

Scale mode
----------
``--scale 10000,100000,1000000`` streams that many passages (templated sentences, ~5% formula
paragraphs, ~2% planted copies of earlier passages drawn from a reservoir sample) to a temporary
JSONL file, then runs the system under test (and the baseline up to ``--baseline-max`` passages)
in a fresh subprocess per size, printing passages, seconds, passages/s and peak RSS, with
indicative P/R: only planted copies and formula passages are known there, base passages are not
kept apart by the guards above, and any other reported pair counts false.  Templated and formula
look-alikes per passage grow with the archive, so P falls with size for any system that reports
them.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import hashlib
import html
import inspect
import itertools
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = _HERE.parent if (_HERE.parent / "corpora").is_dir() else Path.cwd()

BIG_GROUP = 400  # groups larger than this are scored by label counts
BP_MATCH = 90  # fuzz.ratio of a boilerplate entry against the disclaimer
BP_TOLERANCE = 0.20

DISCLAIMER = (
    "Disclaimer: This report is compiled from preliminary customs statistics and company "
    "statements and is provided for information only. Figures may be revised without notice and "
    "do not constitute investment advice. Reproduction without written permission is prohibited."
)

# ---------------------------------------------------------------------------------------------
# Text helpers shared by generator, systems and scoring

PARA_SEP = re.compile(r"\n[ \t\u00a0]*\n")
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z])|(?<=[.!?][\"”])\s+(?=[\"“A-Z])")
NUM_RE = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w|[.,]\d)")
WORD_RE = re.compile(r"\w+(?:[.,'’]\w+)*")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
              "Dec")
MONTH_BEFORE = re.compile("(?:" + "|".join(MONTHS + list(MONTH_ABBR)) + r")\.? $")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


def para_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the blank-line separated paragraphs of ``text``, whitespace trimmed."""
    spans = []
    pos = 0
    for m in itertools.chain(PARA_SEP.finditer(text), [None]):
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            s = pos + (len(chunk) - len(chunk.lstrip()))
            spans.append((s, s + len(stripped)))
        if m:
            pos = m.end()
    return spans


def normalise(text: str) -> str:
    """Case, whitespace and quote folded: the identity the 'exact' kind is defined under."""
    return " ".join(text.translate(_QUOTES).lower().split())


def number_tokens(text: str) -> Counter:
    return Counter(m.group().replace(",", "") for m in NUM_RE.finditer(text))


def shingles(text: str, k: int = 5) -> list[bytes]:
    words = WORD_RE.findall(text.translate(_QUOTES).lower())
    if len(words) <= k:
        return [" ".join(words).encode()]
    return sorted({" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)})


def sentences(text: str) -> list[str]:
    return [s for s in SENT_SPLIT.split(text) if s.strip()]


# ---------------------------------------------------------------------------------------------
# Vocabulary

# name, unit, unit for prices, low, high, decimals, default flow
COMMODITIES = [
    ("rare earth magnets", "tons", "ton", 200, 7000, 1, "exports"),
    ("rare earths", "metric tons", "ton", 1000, 8000, 1, "exports"),
    ("soybeans", "million tons", "ton", 0.5, 14, 2, "imports"),
    ("iron ore", "million tons", "ton", 50, 130, 1, "imports"),
    ("crude oil", "million tons", "ton", 30, 52, 2, "imports"),
    ("steel products", "million tons", "ton", 5, 11, 2, "exports"),
    ("copper concentrate", "tons", "ton", 1_500_000, 2_800_000, 0, "imports"),
    ("coal", "million tons", "ton", 20, 50, 1, "imports"),
    ("liquefied natural gas", "million tons", "ton", 4, 8, 2, "imports"),
    ("unwrought aluminium", "tons", "ton", 300_000, 600_000, 0, "exports"),
    ("gallium", "kilograms", "kilogram", 1000, 20_000, 0, "exports"),
    ("germanium", "kilograms", "kilogram", 2000, 9000, 0, "exports"),
    ("natural graphite", "tons", "ton", 5000, 20_000, 0, "exports"),
    ("lithium carbonate", "tons", "ton", 10_000, 30_000, 0, "imports"),
    ("cobalt intermediates", "tons", "ton", 20_000, 60_000, 0, "imports"),
    ("palm oil", "tons", "ton", 100_000, 2_000_000, 0, "imports"),
    ("wheat", "million tons", "ton", 0.3, 2.5, 2, "imports"),
    ("pork", "tons", "ton", 50_000, 150_000, 0, "imports"),
    ("electric vehicles", "units", "vehicle", 50_000, 250_000, 0, "exports"),
    ("natural rubber", "tons", "ton", 100_000, 600_000, 0, "exports"),
    ("tungsten concentrate", "tons", "ton", 100, 1000, 1, "imports"),
    ("antimony products", "tons", "ton", 1000, 5000, 1, "exports"),
]
RARE_EARTH = {0, 1}

# country, agency, adjective, dateline city, currency
REPORTERS = [
    ("China", "the General Administration of Customs", "Chinese", "BEIJING", "yuan"),
    ("Japan", "the Ministry of Finance", "Japanese", "TOKYO", "yen"),
    ("South Korea", "the Korea Customs Service", "South Korean", "SEOUL", "won"),
    ("India", "the commerce ministry", "Indian", "NEW DELHI", "rupee"),
    ("Vietnam", "the General Department of Customs", "Vietnamese", "HANOI", "dong"),
    ("Indonesia", "Statistics Indonesia", "Indonesian", "JAKARTA", "rupiah"),
    ("Brazil", "the foreign trade secretariat Secex", "Brazilian", "BRASILIA", "real"),
    ("Australia", "the Australian Bureau of Statistics", "Australian", "SYDNEY",
     "Australian dollar"),
    ("Malaysia", "the statistics department", "Malaysian", "KUALA LUMPUR", "ringgit"),
    ("Germany", "the federal statistics office Destatis", "German", "BERLIN", "euro"),
    ("Thailand", "the commerce ministry", "Thai", "BANGKOK", "baht"),
]
PARTNERS = ["the United States", "Germany", "Japan", "South Korea", "Vietnam", "India",
            "the Netherlands", "Italy", "Mexico", "Brazil", "Australia", "Indonesia", "Thailand",
            "Malaysia", "Russia", "Canada", "France", "Poland", "Turkey", "the Philippines",
            "Spain", "Britain", "Taiwan", "Singapore", "Saudi Arabia", "China"]
COMPANIES = [  # name, venue, what it does
    ("Lynas Rare Earths", "Sydney", "mines and processes rare earths in Australia and Malaysia"),
    ("MP Materials", "New York", "operates the Mountain Pass mine in California"),
    ("China Northern Rare Earth", "Shanghai", "is the country's biggest rare earth producer"),
    ("JL Mag Rare-Earth", "Shenzhen", "makes permanent magnets for carmakers"),
    ("Shin-Etsu Chemical", "Tokyo", "supplies magnets to Japanese motor makers"),
    ("Iluka Resources", "Sydney", "is building a rare earth refinery in Western Australia"),
    ("Vale", "Sao Paulo", "is the second-largest iron ore miner"),
    ("BHP", "Sydney", "ships iron ore from Port Hedland"),
    ("Rio Tinto", "London", "runs iron ore mines in the Pilbara"),
    ("Fortescue", "Sydney", "sells most of its ore to Chinese mills"),
    ("Wilmar International", "Singapore", "is Asia's largest palm oil trader"),
    ("Bunge", "New York", "crushes soybeans in Brazil and China"),
    ("POSCO Holdings", "Seoul", "is South Korea's top steelmaker"),
    ("Nippon Steel", "Tokyo", "is Japan's largest steelmaker"),
    ("Jiangxi Copper", "Shanghai", "runs China's biggest copper smelter"),
    ("Albemarle", "New York", "is the largest lithium producer"),
    ("Tianqi Lithium", "Shenzhen", "owns stakes in Chilean and Australian lithium mines"),
    ("Glencore", "London", "trades cobalt, copper and coal"),
    ("Baotou Steel", "Shanghai", "supplies rare earth concentrate from Bayan Obo"),
    ("Sime Darby Plantation", "Kuala Lumpur", "owns plantations in Malaysia and Indonesia"),
    ("Hyundai Motor", "Seoul", "builds electric cars in Ulsan and Georgia"),
    ("BYD", "Hong Kong", "is the largest maker of electric vehicles"),
    ("Ningbo Yunsheng", "Shanghai", "makes sintered neodymium magnets"),
    ("Neo Performance Materials", "Toronto", "runs a magnet plant in Estonia"),
]
FIRST = ["Li", "Wang", "Sarah", "David", "Kenji", "Min-jun", "Priya", "Anna", "Marco", "Chen",
         "Laura", "Tom", "Hiroshi", "Ji-woo", "Rahul", "Elena", "Oliver", "Mei", "Carlos", "Ingrid",
         "Ahmed", "Nguyen", "Siti", "Daniel", "Yuki", "Paulo", "Fiona", "Rajesh", "Helen", "Jakub"]
LAST = ["Zhang", "Smith", "Tanaka", "Kim", "Sharma", "Rossi", "Liu", "Muller", "Park", "Lopez",
        "Brown", "Suzuki", "Gupta", "Novak", "Hassan", "Tran", "Santos", "Walker", "Nakamura",
        "Ivanova", "Chen", "Lee", "Fernandes", "Kowalski", "Jensen", "Rahman", "Okafor", "Berg",
        "Costa", "Yamamoto"]
TITLES = ["chief economist", "senior analyst", "head of commodities research", "a director",
          "a trader", "head of Asia research", "a portfolio manager", "chief executive",
          "principal consultant", "head of metals strategy"]
ORGS = ["Macquarie", "Citi", "Goldman Sachs", "Nomura", "Shanghai Metals Market",
        "Benchmark Mineral Intelligence", "Adamas Intelligence", "Project Blue", "CRU Group",
        "Wood Mackenzie", "BMI", "Fitch Solutions", "ING", "Capital Economics", "Mysteel",
        "Argus", "Fastmarkets", "S&P Global Commodity Insights", "Rystad Energy", "Kpler",
        "Oxford Economics", "Mizuho", "DBS", "OCBC", "Natixis", "Commerzbank", "ANZ", "UBS",
        "Morgan Stanley", "HSBC"]
SECTORS = ["electric vehicle", "wind turbine", "consumer electronics", "steel", "animal feed",
           "battery", "defence", "industrial motor", "home appliance", "construction"]
PORTS = ["Qingdao", "Ningbo-Zhoushan", "Busan", "Singapore", "Rotterdam", "Santos",
         "Port Hedland", "Tianjin", "Haiphong", "Tanjung Priok", "Laem Chabang", "Long Beach"]
ROUTES = ["Asia-Europe", "transpacific", "Asia-Mediterranean", "intra-Asia", "Brazil-China",
          "Australia-China"]
OUTLETS = ["Reuters", "Bloomberg", "Nikkei", "Caixin", "Dow Jones", "Kyodo", "Yonhap",
           "Bernama", "Antara"]
PLACES = ["Baotou", "Ganzhou", "Ulsan", "Kuantan", "Pilbara", "Texas", "Narva", "Kalgoorlie",
          "Fujian", "Gujarat"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh"]
UP_VERBS = ["rose", "climbed", "jumped", "increased", "surged", "grew", "rebounded", "gained"]
DOWN_VERBS = ["fell", "dropped", "declined", "slid", "slumped", "eased", "tumbled", "shrank"]
JUDGEMENTS = ["better than it looks", "weaker than the headline suggests", "a genuine surprise",
              "mostly a base effect", "flattered by restocking", "hard to read",
              "distorted by the holidays", "encouraging for exporters"]
HORIZONS = ["over the next few months", "before the end of the year", "in the second half",
            "by the first quarter", "once licences are cleared", "if freight rates hold"]
PRICE_SERIES = [  # series, how the price is written, low, high, source
    ("Neodymium-praseodymium oxide", "yuan", 380_000, 620_000, "Shanghai Metals Market"),
    ("Dysprosium oxide", "yuan", 1_500_000, 2_200_000, "Shanghai Metals Market"),
    ("Benchmark 62% iron ore", "$", 90, 140, "SGX"),
    ("Soybean", "$", 350, 520, "the Chicago Board of Trade"),
    ("Lithium carbonate", "yuan", 60_000, 110_000, "Fastmarkets"),
    ("Cobalt hydroxide", "$", 9, 16, "Fastmarkets"),
    ("Hot-rolled coil", "yuan", 3000, 4200, "Mysteel"),
    ("Gallium", "$", 400, 900, "Argus"),
]

DIR_UP = ("up", "higher", "rise", "gains", "above", "rose", "strengthened", "cheaper")
DIR_DOWN = ("down", "lower", "fall", "declines", "below", "fell", "weakened", "dearer")

# ---------------------------------------------------------------------------------------------
# Sentence templates.  Numeric slots: q* quantity in the commodity unit, p* percent change,
# s* share in percent, v* money (millions or billions), k* small count, d* days, x* price,
# day* day of month.  No numeric slot is used twice in one template.

LEAD = [
    "{R}'s {flow} of {C} {v} {p}% in {M} from a year earlier to {q} {unit}, {agency} data "
    "showed on {weekday}.",
    "{CITY}, {Mnext} {day} ({outlet}) - {R}'s {flow} of {C} {v} to {q} {unit} in {M}, customs "
    "data showed on {weekday}, {dir} {p}% from {Mprev}.",
    "Shipments of {C} {tofrom_r} {R} {v} {p}% year-on-year in {M} to {q} {unit}, according to "
    "figures published by {agency} on {weekday}.",
    "{R} {flowverb} {q} {unit} of {C} in {M}, {dir} {p}% on the year, {agency} said on "
    "{weekday}.",
    "{R}'s {C} {flow} reached {q} {unit} in {M}, the {hilo} monthly total since {M2} {Y2}, "
    "official data showed, and were {dir} {p}% from {Mprev}.",
]
LEAD2 = [
    "The figure compares with {q2} {unit} in {Mprev} and {q3} {unit} in {M} {Yprev}.",
    "It was the {ordinal} consecutive month of {gains} and left volumes {p2}% {above} the "
    "five-year average for the month.",
    "Analysts polled by {outlet} had expected a {rise} of {p2}% after a {p3}% change in {Mprev}.",
    "By value, {flow} came to ${usd} {mb}, {dir2} {p2}% on the year.",
    "Average {flowadj} prices worked out at ${x} a {unit1}, {dir2} {p3}% from {Mprev}, "
    "according to {outlet} calculations based on the data.",
]
PARTNER = [
    "Shipments {tofrom} {P} {v} {p}% to {q} {unit}, while those {tofrom} {P2} {v2} {p2}% to "
    "{q2} {unit}.",
    "{P} remained the largest {dest}, accounting for {q} {unit}, or {s}% of the total.",
    "{P2} took {q2} {unit}, {dir} from {q3} {unit} a month earlier, and {P3} accounted for "
    "{q4} {unit}.",
    "{Flow} {tofrom} {P} came to {q} {unit} in {M}, {dir} {p}% from a year earlier, the {hilo} "
    "since {M2} {Y2}.",
    "{P3}'s share of the total {rosefell} to {s}% from {s2}% a year ago.",
    "Combined shipments {tofrom} {P} and {P2} made up {s}% of {M} volumes, against {s2}% in {M} "
    "{Yprev}.",
    "The figure for {P} was {q} {unit}, {p}% {above} the monthly average of {Yprev}.",
]
CUMUL = [
    "In the first {km} months of {Y}, {flow} totalled {q} {unit}, {dir} {p}% from the same period "
    "a year earlier.",
    "Year-to-date shipments stood at {q} {unit} at the end of {M}, compared with {q2} {unit} a "
    "year before.",
    "For the whole of {Yprev}, {R} {flowverb} {q} {unit} of {C}, {dir} {p}% from {Y2}.",
    "Cumulative {flow} for January-{M} reached {q} {unit}, {p}% {above} the pace of {Yprev}.",
]
CONTEXT = [
    "{R} introduced licensing requirements for {k} categories of {C} in {M2} {Y2}, and traders "
    "say approvals have since taken an average of {d} days.",
    "The commerce ministry said on {weekday} it had approved {k} {flowadj} applications since "
    "{M2}, without giving details, and that another {k2} were under review.",
    "Congestion at {port} added {kd} days to average delivery times in {M}, according to "
    "estimates from {org}, which tracked {k2} vessels waiting at anchor.",
    "Freight rates on the {route} route {v} {p}% during the month to ${x} per container, "
    "{org} data showed.",
    "The {currency} {strengthened} {pp}% against the dollar in {M}, making {adj} {C} {cheaper} "
    "for overseas buyers at a time when {p2}% of contracts are priced in dollars.",
    "{org} estimates that {s}% of global {C} supply passes through {R}, up from {s2}% in {Y2}.",
    "Domestic inventories of {C} were estimated at {q} {unit} at the end of {M}, {dir} {p}% from "
    "a month earlier.",
    "Tariffs of {s}% on {C} from {P} took effect on {M2} {day}, {Y2}, and have cut the average "
    "margin of importers by {p}%, {org} noted.",
]
QUOTE = [
    "\"We expect {flow} to {risefall} by around {p}% {horizon},\" said {person}, {title} at "
    "{org}.",
    "\"We had {k} customers ask about {C} in {M} alone,\" said {person}, {title} at {company}, "
    "which {does}.",
    "{person}, an analyst at {org}, estimated that {s}% of the {M} shipments went to {sector} "
    "makers.",
    "{person} of {org} said {sector} buyers had built inventories of roughly {kw} weeks, up "
    "from {kw2} weeks at the start of {Y}.",
    "\"The {M} number is {judgement},\" {person}, {title} at {org}, said in a note, adding that "
    "{flow} could {risefall} a further {p}% by {M3}.",
]
COMPANY = [
    "{company}, which {does}, said on {weekday} its {M} sales volumes were {dir} {p}% on the year "
    "at {q} {unit}.",
    "{company} shipped {q} {unit} in the quarter to {M}, {dir} {p}% from the previous quarter, "
    "and kept its full-year guidance of {q2} {unit}.",
    "{company} said it would spend ${usd} {mb} to expand capacity at its {place} plant by {q} "
    "{unit} a year by {Y3}.",
]
OUTLOOK = [
    "{org} expects {flow} of {C} to {risefall} {p}% in {Ynext}, after a {rise} of {p2}% this "
    "year.",
    "Traders expect {M3} volumes of between {q} and {q2} {unit}, {org} said in a report on "
    "{weekday}.",
    "The next set of detailed customs data, covering {k} product lines, is due on {Mnext} "
    "{day}, {agency} said.",
]
FORMULA = {  # one-sentence look-alike families
    "shares": "Shares of {company} {rosefell} {pp}% in {venue} trading.",
    "partner": "{Flow} {tofrom} {Pf} were {qt} tons, {dir} {p}% from a year earlier.",
    "price": "{series} prices {rosefell} {pp}% to {price} a ton, according to {psource}.",
    "fx": "The {currency} {strengthened} to {fx} per dollar by the close of trading.",
}
FORMULA_PARTNERS = ["the United States", "Germany", "Japan", "South Korea", "India",
                    "the Netherlands"]
ROLES = {"lead": LEAD, "partner": PARTNER, "cumul": CUMUL, "context": CONTEXT, "quote": QUOTE,
         "company": COMPANY, "outlook": OUTLOOK}
HEADLINE = [
    "{Adj} {C} {flow} {hlverb} in {M}", "{R}'s {M} {C} {flow} {hlverb} as {P} demand shifts",
    "{C_cap} shipments {hlverb} to multi-month {hilo}", "{R} {C} trade {hlverb} in {M}",
]

NUMERIC = re.compile(r"^(q|qt|p|pp|s|usd|k|km|kw|kd|d|x|day|price|fx)\d*$")
_FIELDS = re.compile(r"{(\w+)}")


def _fmt_num(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


@dataclass
class Theme:
    commodity: int
    reporter: int
    flow: str  # exports | imports
    month: int  # 0..11
    year: int
    partners: list[str]


def random_theme(rng: random.Random, commodity: int | None = None) -> Theme:
    ci = rng.randrange(len(COMMODITIES)) if commodity is None else commodity
    ri = 0 if ci in RARE_EARTH and rng.random() < 0.8 else rng.randrange(len(REPORTERS))
    flow = COMMODITIES[ci][6] if rng.random() < 0.75 else rng.choice(["exports", "imports"])
    country = REPORTERS[ri][0]
    partners = rng.sample([p for p in PARTNERS if p != country], 4)
    return Theme(ci, ri, flow, rng.randrange(12), rng.randrange(2019, 2026), partners)


def _free_names(theme: Theme) -> dict[str, Callable[[random.Random], str]]:
    """Name slots a scale-mode skeleton leaves open (drawn on every use, like numbers)."""
    others = [p for p in PARTNERS if p != REPORTERS[theme.reporter][0]]

    def pick(seq: list[str]) -> Callable[[random.Random], str]:
        return lambda rng: rng.choice(seq)

    return {"person": lambda rng: f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "org": pick(ORGS), "title": pick(TITLES), "weekday": pick(WEEKDAYS),
            "M2": pick(MONTHS), "M3": pick(MONTHS), "P": pick(others), "P2": pick(others),
            "P3": pick(others), "port": pick(PORTS), "route": pick(ROUTES),
            "place": pick(PLACES), "sector": pick(SECTORS), "judgement": pick(JUDGEMENTS),
            "horizon": pick(HORIZONS), "outlet": pick(OUTLETS), "ordinal": pick(ORDINALS),
            "Y2": lambda rng: str(theme.year - rng.randint(2, 7))}


class Slots(dict):
    """Slot values for one sentence, made on first use.  ``order`` keeps (slot, value) pairs;
    with ``skeleton=True`` numeric slots and the free name slots become a marker and their
    generators are kept instead (in order of first appearance)."""

    def __init__(self, theme: Theme, rng: random.Random, skeleton: bool = False) -> None:
        super().__init__()
        self.theme, self.rng, self.skeleton = theme, rng, skeleton
        self.order: list[tuple[str, str]] = []
        self.numeric: list[Callable[[random.Random], str]] = []
        self.up = rng.random() < 0.55

    def __missing__(self, key: str) -> str:
        m = NUMERIC.match(key)
        free = _free_names(self.theme) if self.skeleton else {}
        if m:
            gen = number_maker(m.group(1), self.theme, self.get("_ps"))
            if self.skeleton:
                self.numeric.append(gen)
                val = "\x00"
            else:
                val = gen(self.rng)
        elif key in free:
            self.numeric.append(free[key])
            val = "\x00"
        else:
            val = self._name(key)
        self[key] = val
        self.order.append((key, val))
        return val

    def _name(self, key: str) -> str:
        t, rng = self.theme, self.rng
        com = COMMODITIES[t.commodity]
        rep = REPORTERS[t.reporter]
        up = self.up
        exports = t.flow == "exports"
        table: dict[str, Callable[[], str]] = {
            "C": lambda: com[0], "C_cap": lambda: com[0][0].upper() + com[0][1:],
            "unit": lambda: com[1], "unit1": lambda: com[2],
            "R": lambda: rep[0], "agency": lambda: rep[1], "adj": lambda: rep[2],
            "Adj": lambda: rep[2], "CITY": lambda: rep[3], "currency": lambda: rep[4],
            "flow": lambda: t.flow, "Flow": lambda: t.flow.capitalize(),
            "flowverb": lambda: "exported" if exports else "imported",
            "flowadj": lambda: "export" if exports else "import",
            "tofrom": lambda: "to" if exports else "from",
            "tofrom_r": lambda: "from" if exports else "to",
            "dest": lambda: "destination" if exports else "supplier",
            "M": lambda: MONTHS[t.month], "Mprev": lambda: MONTHS[(t.month - 1) % 12],
            "Mnext": lambda: MONTHS[(t.month + 1) % 12],
            "M2": lambda: MONTHS[rng.randrange(12)], "M3": lambda: MONTHS[rng.randrange(12)],
            "Y": lambda: str(t.year), "Yprev": lambda: str(t.year - 1),
            "Ynext": lambda: str(t.year + 1), "Y2": lambda: str(t.year - rng.randint(2, 7)),
            "Y3": lambda: str(t.year + rng.randint(1, 3)),
            "P": lambda: t.partners[0], "P2": lambda: t.partners[1], "P3": lambda: t.partners[2],
            "Pf": lambda: rng.choice(FORMULA_PARTNERS),
            "weekday": lambda: rng.choice(WEEKDAYS), "outlet": lambda: rng.choice(OUTLETS),
            "ordinal": lambda: rng.choice(ORDINALS),
            "v": lambda: rng.choice(UP_VERBS if up else DOWN_VERBS),
            "v2": lambda: rng.choice(UP_VERBS if rng.random() < 0.5 else DOWN_VERBS),
            "dir": lambda: "up" if up else "down",
            "dir2": lambda: rng.choice(["up", "down"]),
            "hilo": lambda: rng.choice(["highest", "lowest"]),
            "gains": lambda: rng.choice(["gains", "declines"]),
            "above": lambda: rng.choice(["above", "below"]),
            "rise": lambda: rng.choice(["rise", "fall"]),
            "risefall": lambda: rng.choice(["rise", "fall", "recover", "slip"]),
            "rosefell": lambda: rng.choice(["rose", "fell"]),
            "strengthened": lambda: rng.choice(["strengthened", "weakened"]),
            "cheaper": lambda: rng.choice(["cheaper", "dearer"]),
            "mb": lambda: rng.choice(["million", "billion"]),
            "person": lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "title": lambda: rng.choice(TITLES), "org": lambda: rng.choice(ORGS),
            "sector": lambda: rng.choice(SECTORS), "port": lambda: rng.choice(PORTS),
            "route": lambda: rng.choice(ROUTES), "place": lambda: rng.choice(PLACES),
            "judgement": lambda: rng.choice(JUDGEMENTS), "horizon": lambda: rng.choice(HORIZONS),
            "hlverb": lambda: rng.choice(["rebound", "slump", "jump", "slide", "hit record",
                                          "recover", "ease"]),
        }
        if key in ("company", "does", "venue"):
            co = self.get("_co") or rng.choice(COMPANIES)
            dict.__setitem__(self, "_co", co)
            return {"company": co[0], "venue": co[1], "does": co[2]}[key]
        if key in ("series", "psource"):
            ps = self.get("_ps") or rng.choice(PRICE_SERIES)
            dict.__setitem__(self, "_ps", ps)
            return ps[0] if key == "series" else ps[4]
        return table[key]()


def number_maker(kind: str, theme: Theme,
                 series: tuple | None = None) -> Callable[[random.Random], str]:
    com = COMMODITIES[theme.commodity]
    lo, hi, dec = com[3], com[4], com[5]

    def qty(rng: random.Random) -> str:
        d = dec if rng.random() < 0.8 else max(0, dec - 1) if dec else rng.choice([0, 1])
        return _fmt_num(rng.uniform(lo, hi) * rng.choice([1, 1, 1, 0.1, 0.3]), d)

    def pct(rng: random.Random) -> str:
        r = rng.random()
        if r < 0.15:
            return str(rng.randint(2, 80))
        if r < 0.25:
            return f"{rng.uniform(0.1, 9.99):.2f}"
        return f"{rng.uniform(0.3, 45) * rng.choice([1, 1, 1, 2]):.1f}"

    def price(rng: random.Random) -> str:
        ps = series or PRICE_SERIES[0]
        v = _fmt_num(rng.uniform(ps[2], ps[3]), 0 if ps[3] > 1000 else 2)
        return f"{v} yuan" if ps[1] == "yuan" else f"${v}"

    makers: dict[str, Callable[[random.Random], str]] = {
        "q": qty,
        "qt": lambda rng: _fmt_num(rng.uniform(40, 2500), rng.choice([0, 0, 1, 2])),
        "p": pct,
        "pp": lambda rng: f"{rng.uniform(0.1, 9.9):.{rng.choice([1, 1, 2])}f}",
        "s": lambda rng: f"{rng.uniform(3, 65):.1f}",
        "usd": lambda rng: f"{rng.uniform(1.2, 980):.1f}" if rng.random() < 0.5
        else f"{rng.uniform(1.1, 99):.2f}",
        "k": lambda rng: str(rng.randint(3, 60)),
        "km": lambda rng: str(rng.randint(2, 11)),
        "kw": lambda rng: str(rng.randint(2, 16)),
        "kd": lambda rng: str(rng.randint(2, 20)),
        "d": lambda rng: str(rng.randint(12, 95)),
        "x": lambda rng: _fmt_num(rng.uniform(80, 9800), rng.choice([0, 2])),
        "day": lambda rng: str(rng.randint(1, 28)),
        "price": price,
        "fx": lambda rng: f"{rng.uniform(6.7, 7.35):.4f}",
    }
    return makers[kind]


def fill(template: str, theme: Theme, rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    slots = Slots(theme, rng)
    return template.format_map(slots), slots.order


# ---------------------------------------------------------------------------------------------
# Real paragraphs from corpora/articles


def strip_markup(raw: str, suffix: str) -> list[str]:
    """Rough paragraphs of a corpus file: one per non-empty line after markup removal."""
    if suffix in (".html", ".htm"):
        raw = re.sub(r"(?is)<(script|style|head|nav|footer|aside)\b.*?</\1>", "\n", raw)
        raw = re.sub(r"(?i)<br\s*/?>|</(p|h\d|li|div|tr)>", "\n", raw)
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    elif suffix in (".md", ".markdown"):
        raw = re.sub(r"\A---\n.*?\n---\n", "", raw, flags=re.S)
        raw = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)
        raw = re.sub(r"(?m)^\s*(#+|[-*]|\d+\.)\s+", "", raw)
        raw = raw.replace("**", "").replace("*", "")
    out = []
    for line in raw.splitlines():
        line = re.sub(r"^\s*[-•]\s+", "", line)
        line = " ".join(line.split())
        if len(line.split()) >= 12 and "http" not in line:
            out.append(line)
    return out


def real_paragraphs(root: Path) -> list[str]:
    """Corpus paragraphs, each kept only if it is far from every paragraph kept before it."""
    folder = root / "corpora" / "articles"
    if not folder.is_dir():
        return []
    kept: list[str] = []
    kept_sh: list[set[bytes]] = []
    seen_sent: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".txt", ".md", ".html", ".htm"):
            continue
        for para in strip_markup(path.read_text(encoding="utf-8", errors="replace"), path.suffix):
            sents = [normalise(s) for s in sentences(para)]
            if any(s in seen_sent for s in sents if len(s) > 20):
                continue
            sh = set(shingles(para, 4))
            if any(len(sh & o) >= 0.15 * min(len(sh), len(o)) for o in kept_sh):
                continue
            kept.append(para)
            kept_sh.append(sh)
            seen_sent.update(sents)
    return kept


# ---------------------------------------------------------------------------------------------
# Copy operations.  Each takes a paragraph and returns the copy (or None when not applicable).


def _eligible_numbers(text: str) -> list[re.Match]:
    out = []
    for m in NUM_RE.finditer(text):
        tok = m.group()
        digits = tok.replace(",", "").replace(".", "")
        if "." not in tok and "," not in tok and (len(digits) >= 6 or 1900 <= int(tok) <= 2035):
            continue
        before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 1]
        if before.endswith("[") or after == "]":
            continue
        if MONTH_BEFORE.search(before):
            continue
        if float(tok.replace(",", "")) == 0:
            continue
        out.append(m)
    return out


def change_number(tok: str, rng: random.Random) -> str | None:
    """Materially change one of the first three significant digits (swap or replace)."""
    old = float(tok.replace(",", ""))
    pos = [i for i, c in enumerate(tok) if c.isdigit()]
    sig = [i for i in pos if tok[i] != "0" or any(tok[j] not in "0,." for j in range(i))]
    sig = sig[:3]
    for _ in range(30):
        chars = list(tok)
        if len(sig) >= 2 and rng.random() < 0.5:
            j = rng.randrange(len(sig) - 1)
            a, b = sig[j], sig[j + 1]
            chars[a], chars[b] = chars[b], chars[a]
        else:
            a = rng.choice(sig)
            chars[a] = rng.choice([c for c in "0123456789" if c != tok[a]])
        new = "".join(chars)
        if new == tok or re.match(r"0\d", new):
            continue
        val = float(new.replace(",", ""))
        if val and abs(val - old) / old >= 0.01:
            return new
    return None


def op_numbers(text: str, rng: random.Random, n: int) -> str | None:
    cands = _eligible_numbers(text)
    if len(cands) < n:
        return None
    picks = sorted(rng.sample(cands, n), key=lambda m: m.start(), reverse=True)
    for m in picks:
        new = change_number(m.group(), rng)
        if new is None:
            return None
        text = text[:m.start()] + new + text[m.end():]
    return text


def op_rounding(text: str, rng: random.Random) -> str | None:
    cands = [m for m in _eligible_numbers(text) if "." in m.group()]
    if not cands:
        return None
    m = rng.choice(cands)
    tok = m.group()
    places = len(tok.split(".")[1])
    keep = rng.randrange(places) if places > 1 else 0
    q = Decimal(tok.replace(",", "")).quantize(Decimal(1).scaleb(-keep), rounding=ROUND_HALF_UP)
    new = f"{q:,}" if "," in tok else str(q)
    return None if new == tok else text[:m.start()] + new + text[m.end():]


SYNONYMS = {"rose": "climbed", "fell": "dropped", "said": "noted", "showed": "indicated",
            "data": "figures", "largest": "biggest", "shipments": "exports", "exports": "shipments",
            "expects": "forecasts", "expected": "forecast", "total": "overall total",
            "compared": "set against", "estimated": "reckoned", "reached": "hit",
            "remained": "stayed", "took": "received", "approved": "cleared", "cut": "reduced", "jumped": "leapt",
            "declined": "fell", "increased": "went up", "figure": "number", "added": "tacked on"}
INSERTS = ["also", "reportedly", "still", "now", "meanwhile"]
INSERT_BEFORE = {*UP_VERBS, *DOWN_VERBS, "said", "took", "accounted", "expects", "estimated",
                 "remained", "reached", "came", "made", "stood", "shipped", "introduced", "added",
                 "totalled", "expect", "showed", "noted", "imported", "exported", "kept"}
DELETABLE = {"the", "also", "about", "some", "around", "nearly", "roughly", "still", "its",
             "that", "a"}


def op_word_edit(text: str, rng: random.Random, edits: int | None = None) -> str | None:
    parts = re.split(r"(\s+)", text)
    words = [i for i in range(0, len(parts), 2) if parts[i] and not re.search(r"\d", parts[i])]
    if len(words) < 12:
        return None
    edits = edits or rng.choice([1, 2, 2, 3])
    done = 0
    for _ in range(edits * 6):
        if done >= edits:
            break
        i = rng.choice(words[1:])
        core = parts[i].strip(".,;:\"“”'’()")
        low = core.lower()
        op = rng.random()
        if op < 0.45 and low in SYNONYMS and SYNONYMS[low] != low:
            repl = SYNONYMS[low]
            if core[:1].isupper():
                repl = repl[0].upper() + repl[1:]
            parts[i] = parts[i].replace(core, repl, 1)
        elif op < 0.7 and low in DELETABLE and parts[i] == core:
            parts[i] = ""
            if i + 1 < len(parts):
                parts[i + 1] = ""
        elif op >= 0.7 and parts[i] == core and low in INSERT_BEFORE:
            parts[i] = f"{rng.choice(INSERTS)} {core}"
        else:
            continue
        done += 1
    if not done:
        return None
    out = re.sub(r" {2,}", " ", "".join(parts)).strip()
    return out if normalise(out) != normalise(text) else None


def make_headline(rng: random.Random) -> str:
    theme = random_theme(rng)
    text, _ = fill(rng.choice(HEADLINE), theme, rng)
    return text[0].upper() + text[1:]


def op_prefix(text: str, rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.45:
        glue = rng.choice(["", "", " ", "\n"])
        return f"Title: {make_headline(rng)}{glue}{text}"
    if r < 0.7:
        return f"By {rng.choice(['Reuters staff', 'Bloomberg News', 'our correspondent'])} -- {text}"
    if r < 0.85:
        city = rng.choice([x[3] for x in REPORTERS])
        return f"{city} ({rng.choice(OUTLETS)}) - {text}"
    return f"{make_headline(rng)}\n{text}"


def op_reorder(text: str, rng: random.Random) -> str | None:
    sents = sentences(text)
    if len(sents) < 2:
        return None
    j = rng.randrange(len(sents) - 1)
    sents[j], sents[j + 1] = sents[j + 1], sents[j]
    return " ".join(sents)


def op_truncate(text: str, rng: random.Random) -> str | None:
    sents = sentences(text)
    last = sents[-1].split()
    if len(last) < 6 or len(text.split()) < 20:
        return None
    cut = max(3, int(len(last) * rng.uniform(0.35, 0.7)))
    tail = " ".join(last[:cut]).rstrip(",;:") + rng.choice(["", "...", " …", "—"])
    out = " ".join(sents[:-1] + [tail])
    return out if len(out) >= 0.6 * len(text) else None


def op_exact(text: str, rng: random.Random, op: str) -> str | None:
    if op == "whitespace":
        parts = text.split(" ")
        out = [parts[0]]
        newline_used = False
        for w in parts[1:]:
            r = rng.random()
            if r < 0.06:
                out.append("  " + w)
            elif r < 0.09:
                out.append("\u00a0" + w)
            elif r < 0.11 and not newline_used:
                out.append("\n" + w)
                newline_used = True
            else:
                out.append(" " + w)
        res = "".join(out)
        return res if res != text else text.replace(" ", "  ", 1)
    if op == "quotes":
        if any(c in text for c in "‘’“”"):
            return text.translate(_QUOTES)
        if not any(c in text for c in "'\""):
            return None
        out = re.sub(r"\"([^\"]*)\"", "“\\1”", text)
        return out.replace("'", "’")
    if op == "case":
        if rng.random() < 0.4:
            return text.lower()
        words = text.split(" ")
        k = rng.randint(2, 6)
        return " ".join([w.upper() for w in words[:k]] + words[k:])
    return text


# ---------------------------------------------------------------------------------------------
# Planted archive


@dataclass
class Para:
    text: str
    family: str  # real | lead | partner | ... | formula:<name> | boilerplate | copy
    cluster: int = -1  # planted cluster (source or copy), -1 otherwise
    variant: int = 0
    copy_index: int = -1  # index into the truth table for copies
    is_source: bool = False


@dataclass
class Planted:
    records: list[dict[str, str]]
    truth: list[dict[str, Any]]
    paras: list[tuple[str, int, int, str, int, int]]  # doc, start, end, family, cluster, variant
    passages: int
    boilerplate_docs: int
    summary: dict[str, Any] = field(default_factory=dict)


class BaseGen:
    """Templated base paragraphs with the uniqueness guards described in the module docstring."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen_para: set[str] = set()
        self.seen_sent: set[str] = set()
        self.by_seq: dict[tuple, list[tuple[str, ...]]] = defaultdict(list)

    def paragraph(self, role: str, theme: Theme) -> str | None:
        rng = self.rng
        for _ in range(50):
            if role == "lead":
                seq = [("lead", rng.randrange(len(LEAD)))]
                seq += [("lead2", i) for i in rng.sample(range(len(LEAD2)), rng.choice([1, 1, 2]))]
            else:
                bank = ROLES[role]
                n = rng.choice([2, 2, 3])
                seq = [(role, i) for i in rng.sample(range(len(bank)), n)]
            texts, slots = [], []
            for r, i in seq:
                bank = LEAD2 if r == "lead2" else ROLES[r]
                t, order = fill(bank[i], theme, rng)
                texts.append(t)
                slots.extend(v for _, v in order)
            norms = [normalise(t) for t in texts]
            para = " ".join(texts)
            key = normalise(para)
            if key in self.seen_para or any(n in self.seen_sent for n in norms):
                continue
            seq_key = tuple(seq)
            tup = tuple(slots)
            if any(len(o) == len(tup) and sum(a != b for a, b in zip(o, tup, strict=True)) < 3
                   for o in self.by_seq[seq_key]):
                continue
            self.by_seq[seq_key].append(tup)
            self.seen_para.add(key)
            self.seen_sent.update(norms)
            return para
        return None

    def formula(self, theme: Theme) -> tuple[str, str] | None:
        for _ in range(50):
            name = self.rng.choice(list(FORMULA))
            text, _ = fill(FORMULA[name], theme, self.rng)
            key = normalise(text)
            if key not in self.seen_para:
                self.seen_para.add(key)
                return text, name
        return None


def build_planted(n_articles: int, seed: int, plant: float, bp_rate: float,
                  root: Path) -> Planted:
    rng = random.Random(seed)
    gen = BaseGen(rng)
    real = real_paragraphs(root)
    rng.shuffle(real)
    for r in real:
        gen.seen_para.add(normalise(r))
    articles: list[list[Para]] = []
    dates: list[str] = []
    real_iter = iter(real)
    for _ in range(n_articles):
        commodity = rng.choice(sorted(RARE_EARTH)) if rng.random() < 0.15 else None
        theme = random_theme(rng, commodity)
        plan = ["lead"] + ["partner"] * rng.choice([1, 1, 2, 3]) + rng.sample(
            ["cumul", "context", "context", "quote", "company", "outlook"], rng.randint(2, 5))
        paras: list[Para] = []
        for role in plan:
            text = gen.paragraph(role, theme)
            if text:
                paras.append(Para(text, role))
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
            got = gen.formula(theme)
            if got:
                paras.insert(rng.randrange(1, len(paras) + 1), Para(got[0], f"formula:{got[1]}"))
        if theme.commodity in RARE_EARTH:
            for _ in range(rng.choice([1, 1, 2])):
                r = next(real_iter, None)
                if r:
                    paras.insert(rng.randrange(1, len(paras) + 1), Para(r, "real"))
        articles.append(paras)
        day = rng.randint(5, 28)
        year = theme.year + (1 if theme.month == 11 else 0)
        dates.append(f"{year}-{(theme.month + 1) % 12 + 1:02d}-{day:02d}")
    leftover = list(real_iter)  # real paragraphs not yet placed go to random articles
    for r in leftover:
        paras = articles[rng.randrange(n_articles)]
        paras.insert(rng.randrange(1, len(paras) + 1), Para(r, "real"))

    # Boilerplate closes ~bp_rate of the articles.
    bp_docs = sorted(rng.sample(range(n_articles), max(2, round(bp_rate * n_articles))))
    for d in bp_docs:
        articles[d].append(Para(DISCLAIMER, "boilerplate"))

    # Eligible sources: base paragraphs other than formula look-alikes and the disclaimer.
    base = [(d, p) for d, paras in enumerate(articles) for p in paras
            if p.family != "boilerplate" and not p.family.startswith("formula")]
    per100 = {"exact": 10.0, "near": 15.0, "numbers": 8.0}
    counts = {k: round(v * plant * n_articles / 100) for k, v in per100.items()}
    within = {"exact": round(1.25 * plant * n_articles / 100),
              "near": round(0.75 * plant * n_articles / 100), "numbers": 0}
    ops = {"exact": ["verbatim", "verbatim", "whitespace", "quotes", "case"],
           "near": ["word_edit", "word_edit", "prefix", "prefix", "reorder", "truncate",
                    "rounding", "prefix+edit"],
           "numbers": ["one", "one", "one", "two", "two", "one+edit"]}
    min_words = {"exact": 15, "near": 20, "numbers": 25}

    def make_copy(kind: str, op: str, text: str) -> str | None:
        if kind == "exact":
            return op_exact(text, rng, op)
        if op == "one+edit":
            edited = op_word_edit(text, rng, 1)
            return op_numbers(edited, rng, 1) if edited else None
        if kind == "numbers":
            return op_numbers(text, rng, 2 if op == "two" else 1)
        if op == "prefix+edit":
            edited = op_word_edit(text, rng, 1)
            return op_prefix(edited, rng) if edited else None
        fn = {"word_edit": op_word_edit, "prefix": op_prefix, "reorder": op_reorder,
              "truncate": op_truncate, "rounding": op_rounding}[op]
        return fn(text, rng)

    truth: list[dict[str, Any]] = []
    used_sources: list[tuple[int, Para]] = []
    n_clusters = 0
    next_variant = 1
    for kind in ("exact", "near", "numbers"):
        for c in range(counts[kind]):
            is_within = c < within[kind]
            for _ in range(200):
                op = rng.choice(ops[kind])
                if used_sources and not is_within and rng.random() < 0.25:
                    sd, src = rng.choice(used_sources)
                else:
                    sd, src = rng.choice(base)
                if len(src.text.split()) < min_words[kind]:
                    continue
                if is_within and len(articles[sd]) < 4:
                    continue
                copy = make_copy(kind, op, src.text)
                if not copy or (kind != "exact" and normalise(copy) == normalise(src.text)):
                    continue
                copy = copy.strip()
                if not PARA_SEP.search(copy):
                    break
            else:
                continue
            if not src.is_source:
                src.is_source, src.cluster = True, n_clusters
                n_clusters += 1
                used_sources.append((sd, src))
            variant = 0
            if kind == "numbers":
                variant, next_variant = next_variant, next_variant + 1
            cp = Para(copy, "copy", src.cluster, variant, len(truth))
            truth.append({"kind": kind, "op": op, "within": is_within, "cluster": src.cluster,
                          "variant": variant, "_src": src, "_copy": cp})
            if is_within:  # later in the same article, at least one paragraph in between
                target = sd
                lo = articles[sd].index(src) + 2
            else:
                target = rng.randrange(n_articles - 1)
                target += target >= sd
                lo = 1
            paras = articles[target]
            hi = len(paras) - (paras[-1].family == "boilerplate")
            paras.insert(rng.randint(min(lo, hi), hi), cp)

    # Assemble bodies and spans.
    records: list[dict[str, str]] = []
    spans: dict[int, tuple[str, int, int]] = {}
    para_rows: list[tuple[str, int, int, str, int, int]] = []
    width = len(str(n_articles))
    passages = 0
    for d, paras in enumerate(articles):
        doc = f"a{seed}-{d:0{width}d}"
        pos = 0
        chunks = []
        for p in paras:
            if chunks:
                pos += 2
            spans[id(p)] = (doc, pos, pos + len(p.text))
            chunks.append(p.text)
            para_rows.append((doc, pos, pos + len(p.text), p.family, p.cluster, p.variant))
            pos += len(p.text)
            passages += 1
        records.append({"id": doc, "date": dates[d], "body": "\n\n".join(chunks)})
    for row in truth:
        src, cp = row.pop("_src"), row.pop("_copy")
        row["copy_doc"], row["copy_start"], row["copy_end"] = spans[id(cp)]
        row["src_doc"], row["src_start"], row["src_end"] = spans[id(src)]
    summary = {
        "articles": n_articles, "passages": passages, "real_paragraphs": len(real),
        "formula_paragraphs": sum(1 for r in para_rows if r[3].startswith("formula")),
        "copies": dict(Counter(r["kind"] for r in truth)),
        "within_article": sum(1 for r in truth if r["within"]),
        "clusters": n_clusters, "boilerplate_docs": len(bp_docs),
    }
    return Planted(records, truth, para_rows, passages, len(bp_docs), summary)


# ---------------------------------------------------------------------------------------------
# Scale-mode generator: streamed, templated, ~2% planted copies


def _skeleton_pool(rng: random.Random, size: int) -> list[tuple[str, list[Callable]]]:
    pool = []
    banks = [*ROLES.values(), LEAD2]
    for _ in range(size):
        theme = random_theme(rng)
        bank = rng.choice(banks)
        slots = Slots(theme, rng, skeleton=True)
        text = rng.choice(bank).format_map(slots)
        pool.append((text.replace("%", "%%").replace("\x00", "%s"), slots.numeric))
    return pool


def stream_scale(n_passages: int, seed: int, out_path: Path, copy_rate: float = 0.02
                 ) -> tuple[list[dict[str, Any]], int, list[tuple[str, int, int]]]:
    """Write ~n_passages passages as JSONL records.

    Returns (truth rows, passages written, spans of the formula passages).  Sentences come from
    a pool of skeletons (theme names fixed; numbers, people, partners, months ... drawn on every
    use), so templated look-alikes stay about as rare as in planted mode; the formula
    look-alikes recur ever more often with size, as they do in a real archive."""
    rng = random.Random(seed)
    pool = _skeleton_pool(rng, 6000)
    formula_spans: list[tuple[str, int, int]] = []
    formulas = []
    for _ in range(80):
        theme = random_theme(rng)
        slots = Slots(theme, rng, skeleton=True)
        text = rng.choice(list(FORMULA.values())).format_map(slots)
        formulas.append((text.replace("%", "%%").replace("\x00", "%s"), slots.numeric))
    reservoir: list[tuple[str, int, int, str]] = []
    seen_hash: set[int] = set()
    seen = 0
    truth: list[dict[str, Any]] = []
    next_variant = 1
    cluster_ids: dict[tuple[str, int, int], int] = {}
    exact_ops = ["verbatim", "verbatim", "whitespace", "case"]
    near_ops = ["word_edit", "prefix", "reorder", "truncate"]
    written = 0
    d = 0
    rand = rng.random
    randrange = rng.randrange
    npool = len(pool)
    with out_path.open("w", encoding="utf-8") as f:
        while written < n_passages:
            doc = f"s{d:07d}"
            n_here = min(randrange(6, 11), n_passages - written)
            chunks: list[str] = []
            pos = 0
            fresh: list[tuple[str, int, int, str]] = []
            for _ in range(n_here):
                copy: str | None = None
                src, kind, op = ("", 0, 0, ""), "", ""
                is_formula = False
                if reservoir and rand() < copy_rate:
                    src = reservoir[randrange(len(reservoir))]
                    r = rand()
                    kind = "exact" if r < 0.4 else "near" if r < 0.75 else "numbers"
                    if kind == "exact":
                        op = rng.choice(exact_ops)
                        copy = op_exact(src[3], rng, op)
                    elif kind == "near":
                        op = rng.choice(near_ops)
                        copy = {"word_edit": op_word_edit, "prefix": op_prefix,
                                "reorder": op_reorder, "truncate": op_truncate}[op](src[3], rng)
                    else:
                        op = "one" if rand() < 0.7 else "two"
                        copy = op_numbers(src[3], rng, 1 if op == "one" else 2)
                    if copy and PARA_SEP.search(copy):
                        copy = None
                if copy:
                    copy = copy.strip()
                    text = copy
                else:
                    while True:  # base passages are distinct after normalisation
                        is_formula = rand() < 0.05
                        if is_formula:
                            skel, gens = formulas[randrange(len(formulas))]
                            text = skel % tuple(g(rng) for g in gens)
                        else:
                            parts = []
                            for _ in range(2 if rand() < 0.6 else 3):
                                skel, gens = pool[randrange(npool)]
                                parts.append(skel % tuple(g(rng) for g in gens))
                            text = " ".join(parts)
                        h = hash(normalise(text))
                        if h not in seen_hash:
                            seen_hash.add(h)
                            break
                if chunks:
                    pos += 2
                start, end = pos, pos + len(text)
                chunks.append(text)
                pos = end
                if is_formula:
                    formula_spans.append((doc, start, end))
                if copy:
                    skey = (src[0], src[1], src[2])
                    cl = cluster_ids.setdefault(skey, len(cluster_ids))
                    variant = 0
                    if kind == "numbers":
                        variant, next_variant = next_variant, next_variant + 1
                    truth.append({"kind": kind, "op": op, "within": False, "cluster": cl,
                                  "variant": variant, "copy_doc": doc, "copy_start": start,
                                  "copy_end": end, "src_doc": src[0], "src_start": src[1],
                                  "src_end": src[2]})
                elif text.count(" ") >= 25:
                    fresh.append((doc, start, end, text))
            f.write(json.dumps({"id": doc, "date": "2025-01-01", "body": "\n\n".join(chunks)},
                               ensure_ascii=False))
            f.write("\n")
            for item in fresh:  # reservoir sample of earlier base passages
                seen += 1
                if len(reservoir) < 5000:
                    reservoir.append(item)
                else:
                    j = randrange(seen)
                    if j < 5000:
                        reservoir[j] = item
            written += n_here
            d += 1
    return truth, written, formula_spans


# ---------------------------------------------------------------------------------------------
# Systems: stub (exact hash) and the datasketch baseline


@dataclass
class SPassage:
    doc: str
    start: int
    end: int
    text: str


@dataclass
class SGroup:
    kind: str
    similarity: float
    passages: list[SPassage]


@dataclass
class SBoilerplate:
    text: str
    count: int


@dataclass
class SResult:
    groups: list[SGroup]
    boilerplate: list[SBoilerplate]


def stub_find_archive_duplicates(records: Iterable[tuple[str, str]]) -> SResult:
    """Stand-in: groups of paragraphs equal after normalisation; seen in >= 10 docs -> boilerplate."""
    buckets: dict[bytes, list[SPassage]] = defaultdict(list)
    for doc, text in records:
        for s, e in para_spans(text):
            key = hashlib.blake2b(normalise(text[s:e]).encode(), digest_size=12).digest()
            buckets[key].append(SPassage(doc, s, e, text[s:e]))
    groups, bps = [], []
    for ps in buckets.values():
        if len(ps) < 2:
            continue
        ndocs = len({p.doc for p in ps})
        if ndocs >= 10:
            bps.append(SBoilerplate(ps[0].text, ndocs))
        else:
            groups.append(SGroup("exact", 1.0, ps))
    return SResult(groups, bps)


def minhash_baseline(records: Iterable[tuple[str, str]]) -> SResult:
    """datasketch MinHashLSH (word 5-grams, numbers kept, 128 perms, threshold 0.5) + ratio >= 80."""
    import xxhash
    from datasketch import MinHash, MinHashLSH
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    paras: list[SPassage] = []
    for doc, text in records:
        paras.extend(SPassage(doc, s, e, text[s:e]) for s, e in para_spans(text))
    sigs = MinHash.generator((shingles(p.text) for p in paras), num_perm=128,
                             hashfunc=xxhash.xxh32_intdigest)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    mins = []
    with lsh.insertion_session() as session:
        for i, m in enumerate(sigs):
            session.insert(i, m)
            mins.append(m)
    processed = [default_process(p.text) for p in paras]
    groups = []
    for i, m in enumerate(mins):
        for j in sorted(lsh.query(m)):
            if j <= i:
                continue
            score = fuzz.ratio(processed[i], processed[j])
            if score < 80:
                continue
            a, b = paras[i], paras[j]
            if normalise(a.text) == normalise(b.text):
                kind = "exact"
            elif number_tokens(a.text) != number_tokens(b.text):
                kind = "inconsistent"
            else:
                kind = "near"
            groups.append(SGroup(kind, score / 100, [a, b]))
    return SResult(groups, [])


def load_system(name: str) -> Callable[[Iterable[tuple[str, str]]], Any]:
    if name == "stub":
        return stub_find_archive_duplicates
    if name == "minhash":
        return minhash_baseline
    try:
        from factcheck.dupes import find_archive_duplicates
    except ImportError:  # where the archive-wide search may live instead
        from factcheck.archive_dupes import find_archive_duplicates
    try:
        params = inspect.signature(find_archive_duplicates).parameters
    except (TypeError, ValueError):
        params = {}
    if "within" in params:  # within-article repeats are planted too: ask for them
        return functools.partial(find_archive_duplicates, within=True)
    return find_archive_duplicates


# ---------------------------------------------------------------------------------------------
# Worker: runs one system over a JSONL archive in this process


def iter_records(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield r["id"], r["body"]


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_worker(system: str, archive: Path, out: Path, with_text: bool) -> dict[str, Any]:
    fn = load_system(system)
    t0 = time.perf_counter()
    n_docs = sum(1 for _ in iter_records(archive))
    io_s = time.perf_counter() - t0
    rss_before = _rss_mb()
    cpu0, t0 = _cpu_s(), time.perf_counter()
    result = fn(iter_records(archive))
    groups = list(getattr(result, "groups", []) or [])
    bps = list(getattr(result, "boilerplate", []) or [])
    seconds, cpu = time.perf_counter() - t0, _cpu_s() - cpu0
    payload = {
        "system": system, "docs": n_docs, "seconds": seconds, "cpu_seconds": cpu,
        "io_seconds": io_s, "peak_rss_mb": _rss_mb(), "rss_before_mb": rss_before,
        "children_peak_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),
        "groups": [{"kind": str(g.kind), "similarity": float(g.similarity),
                    "passages": [[p.doc, int(p.start), int(p.end),
                                  p.text if with_text else None] for p in g.passages]}
                   for g in groups],
        "boilerplate": [{"text": str(b.text), "count": int(b.count)} for b in bps],
    }
    out.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return payload


def run_system(system: str, archive: Path, workdir: Path, root: Path, with_text: bool,
               inproc: bool) -> dict[str, Any]:
    out = workdir / f"result_{system}.json"
    if inproc:
        try:
            return run_worker(system, archive, out, with_text)
        except ImportError as exc:
            return {"system": system, "error": f"{type(exc).__name__}: {exc}"}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--root", str(root), "--_worker",
           system, "--_in", str(archive), "--_out", str(out)]
    if with_text:
        cmd.append("--_text")
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(root))
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"system": system, "error": f"exit {proc.returncode}: {tail}"}
    if proc.stderr.strip():
        sys.stderr.write(proc.stderr)
    return json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass
class Span:
    doc: str
    start: int
    end: int
    family: str
    cluster: int
    variant: int
    copy_index: int  # -1 for sources, base paragraphs and boilerplate


class SpanIndex:
    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        by_doc: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(spans):
            by_doc[s.doc].append(i)
        self.by_doc = {d: sorted(ix, key=lambda i: spans[i].start) for d, ix in by_doc.items()}
        self.starts = {d: [spans[i].start for i in ix] for d, ix in self.by_doc.items()}

    def overlapping(self, doc: str, start: int, end: int) -> list[int]:
        ix = self.by_doc.get(doc)
        if not ix:
            return []
        out = []
        for k in range(bisect.bisect_left(self.starts[doc], end) - 1, -1, -1):
            s = self.spans[ix[k]]
            if s.end <= start:  # spans of one doc are disjoint and sorted
                break
            inter = min(end, s.end) - max(start, s.start)
            if inter >= max(1, min(20, (s.end - s.start) // 2, (end - start) // 2)):
                out.append(ix[k])
        return out


def build_index(truth: list[dict[str, Any]],
                paras: list[tuple[str, int, int, str, int, int]] | None) -> SpanIndex:
    spans: dict[tuple[str, int, int], Span] = {}
    for doc, s, e, fam, cl, var in paras or []:
        spans[(doc, s, e)] = Span(doc, s, e, fam, cl, var, -1)
    for ci, row in enumerate(truth):
        key = (row["src_doc"], row["src_start"], row["src_end"])
        old = spans.get(key)
        spans[key] = Span(*key, old.family if old else "source", row["cluster"], 0, -1)
        key = (row["copy_doc"], row["copy_start"], row["copy_end"])
        spans[key] = Span(*key, "copy", row["cluster"], row["variant"], ci)
    return SpanIndex(list(spans.values()))


def _false_reason(index: SpanIndex, a: list[int], b: list[int]) -> str:
    if not a or not b:
        return "unindexed passage (scale mode: other base passage)"
    if set(a) & set(b):
        return "same paragraph"
    fa = {index.spans[i].family for i in a}
    fb = {index.spans[i].family for i in b}
    if "boilerplate" in fa | fb:
        return "boilerplate vs other"
    if any(f.startswith("formula") for f in fa) and any(f.startswith("formula") for f in fb):
        return "formula look-alike"
    if any(index.spans[i].cluster >= 0 for i in a + b):
        return "planted vs unrelated"
    if "real" in fa | fb:
        return "real-corpus paragraph"
    return "templated look-alike"


def score(result: dict[str, Any], truth: list[dict[str, Any]], index: SpanIndex,
          bodies: dict[str, str] | None, bp_docs: int, show_false: int) -> dict[str, Any]:
    spans = index.spans
    found = [False] * len(truth)
    found_incons = [False] * len(truth)
    seen_pairs: set[tuple] = set()
    correct = false = bp_pairs = incons_pairs = incons_correct = 0
    reasons: Counter = Counter()
    examples: list[dict[str, Any]] = []
    text_mismatch = singletons = big_groups = 0
    n_passages = 0
    for g in result.get("groups", []):
        ps = g["passages"]
        n_passages += len(ps)
        if len(ps) < 2:
            singletons += 1
            continue
        incons = g["kind"] == "inconsistent"
        hits = [index.overlapping(p[0], p[1], p[2]) for p in ps]
        if bodies is not None:
            for p in ps:
                body = bodies.get(p[0])
                if p[3] is not None and (body is None or body[p[1]:p[2]].strip() != p[3].strip()):
                    text_mismatch += 1
        # recall: copy and its source in different passages of this group
        src_at: dict[int, set[int]] = defaultdict(set)
        copy_at: list[tuple[int, int]] = []
        for pi, hs in enumerate(hits):
            for h in hs:
                s = spans[h]
                if s.cluster < 0:
                    continue
                if s.copy_index >= 0:
                    copy_at.append((pi, s.copy_index))
                else:
                    src_at[s.cluster].add(pi)
        for pi, ci in copy_at:
            if src_at.get(truth[ci]["cluster"], set()) - {pi}:
                found[ci] = True
                if incons:
                    found_incons[ci] = True
        # precision
        if len(ps) > BIG_GROUP:
            big_groups += 1
            labels = Counter()
            variants: Counter = Counter()
            for hs in hits:
                lab = next((("c", spans[h].cluster) for h in hs if spans[h].cluster >= 0), None)
                if lab is None:
                    lab = ("bp",) if any(spans[h].family == "boilerplate" for h in hs) else None
                labels[lab] += 1
                if lab and lab[0] == "c":
                    variants[(lab[1], next(spans[h].variant for h in hs
                                          if spans[h].cluster == lab[1]))] += 1
            total = len(ps) * (len(ps) - 1) // 2
            good = sum(n * (n - 1) // 2 for lab, n in labels.items() if lab and lab[0] == "c")
            bp = labels.get(("bp",), 0) * (labels.get(("bp",), 0) - 1) // 2
            correct += good
            bp_pairs += bp
            false += total - good - bp
            reasons["large group (label count)"] += total - good - bp
            if incons:
                same_var = sum(n * (n - 1) // 2 for n in variants.values())
                incons_pairs += total
                incons_correct += good - same_var
            continue
        for i, j in itertools.combinations(range(len(ps)), 2):
            ka, kb = tuple(ps[i][:3]), tuple(ps[j][:3])
            key = (min(ka, kb), max(ka, kb))
            if key in seen_pairs:
                continue
            seen_pairs.add(key)
            a, b = hits[i], hits[j]
            same = [(x, y) for x in a for y in b
                    if x != y and spans[x].cluster >= 0 and spans[x].cluster == spans[y].cluster]
            if incons:
                incons_pairs += 1
                if any(spans[x].variant != spans[y].variant for x, y in same):
                    incons_correct += 1
            if same:
                correct += 1
            elif (any(spans[x].family == "boilerplate" for x in a)
                  and any(spans[y].family == "boilerplate" for y in b) and not set(a) & set(b)):
                bp_pairs += 1
            else:
                false += 1
                why = _false_reason(index, a, b)
                reasons[why] += 1
                if len(examples) < show_false and bodies is not None:
                    examples.append({"reason": why, "kind": g["kind"],
                                     "a": [*ps[i][:3], bodies.get(ps[i][0], "")[ps[i][1]:ps[i][2]]],
                                     "b": [*ps[j][:3], bodies.get(ps[j][0], "")[ps[j][1]:ps[j][2]]]})

    def rate(sel: Callable[[dict[str, Any]], bool], hit: list[bool]) -> dict[str, Any]:
        idx = [i for i, r in enumerate(truth) if sel(r)]
        n = sum(hit[i] for i in idx)
        return {"found": n, "of": len(idx), "recall": n / len(idx) if idx else None}

    recall = {
        "exact": rate(lambda r: r["kind"] == "exact", found),
        "near": rate(lambda r: r["kind"] == "near", found),
        "numbers": rate(lambda r: r["kind"] == "numbers", found_incons),
        "numbers_any_label": rate(lambda r: r["kind"] == "numbers", found),
        "within_article": rate(lambda r: r["within"], found),
    }
    by_op = {f"{k}/{op}": rate(lambda r, k=k, op=op: r["kind"] == k and r["op"] == op,
                               found_incons if k == "numbers" else found)
             for k, op in sorted({(r["kind"], r["op"]) for r in truth})}
    # A rounding copy labelled inconsistent is a false number change: count such copies.
    rounding_flagged = sum(1 for i, r in enumerate(truth)
                           if r["op"] == "rounding" and found_incons[i])
    bp_entry = None
    if result.get("boilerplate"):
        from rapidfuzz import fuzz

        best = max(result["boilerplate"], key=lambda b: fuzz.ratio(normalise(b["text"]),
                                                                   normalise(DISCLAIMER)))
        if fuzz.ratio(normalise(best["text"]), normalise(DISCLAIMER)) >= BP_MATCH:
            bp_entry = best
    summarised = bool(bp_entry and bp_docs
                      and abs(bp_entry["count"] - bp_docs) <= BP_TOLERANCE * bp_docs)
    judged = correct + false
    return {
        "groups": len(result.get("groups", [])), "reported_passages": n_passages,
        "pairs": correct + false + bp_pairs, "correct_pairs": correct, "false_pairs": false,
        "boilerplate_pairs": bp_pairs, "precision": correct / judged if judged else None,
        "recall": recall, "recall_by_op": by_op,
        "numbers_precision": incons_correct / incons_pairs if incons_pairs else None,
        "inconsistent_pairs": incons_pairs, "rounding_copies_labelled_inconsistent":
            rounding_flagged,
        "boilerplate": {"summarised": summarised, "truth_docs": bp_docs,
                        "reported_count": bp_entry["count"] if bp_entry else None,
                        "entries": len(result.get("boilerplate", []))},
        "false_breakdown": dict(reasons.most_common()), "false_examples": examples,
        "text_mismatches": text_mismatch, "singleton_groups": singletons,
        "large_groups": big_groups,
    }


# ---------------------------------------------------------------------------------------------
# Reporting


def _f(x: float | None, fmt: str = ".3f") -> str:
    return "-" if x is None else format(x, fmt)


def row_for(name: str, run: dict[str, Any], passages: int,
            sc: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"system": name, "passages": passages}
    if "error" in run:
        out["error"] = run["error"]
        return out
    secs = run["seconds"]
    out.update({"seconds": secs, "cpu_seconds": run["cpu_seconds"],
                "passages_per_s": passages / secs if secs else None,
                "peak_rss_mb": run["peak_rss_mb"], "rss_before_mb": run["rss_before_mb"],
                "children_peak_rss_mb": run["children_peak_rss_mb"],
                "io_seconds": run["io_seconds"]})
    if sc:
        out.update(sc)
    return out


def print_table(rows: list[dict[str, Any]], scale: bool = False) -> None:
    """Peak RSS is the system's process; "+N" is the largest worker process it started."""
    head = ["system", "passages", "seconds", "CPU s", "passages/s", "peak RSS MB", "pairs", "P",
            "R exact", "R near", "R numbers", "numP"] + ([] if scale else ["boilerplate"])
    lines = [head]
    errors = []
    for r in rows:
        if "error" in r:
            errors.append(r)
            continue
        rec = r.get("recall", {})
        rss = f"{r['peak_rss_mb']:,.0f}"
        if r.get("children_peak_rss_mb", 0) >= 1:
            rss += f" +{r['children_peak_rss_mb']:,.0f}"
        line = [r["system"], f"{r['passages']:,}", f"{r['seconds']:.2f}",
                f"{r['cpu_seconds']:.1f}",
                f"{r['passages_per_s']:,.0f}" if r.get("passages_per_s") else "-", rss,
                f"{r.get('pairs', 0):,}", _f(r.get("precision")),
                _f(rec.get("exact", {}).get("recall")), _f(rec.get("near", {}).get("recall")),
                _f(rec.get("numbers", {}).get("recall")), _f(r.get("numbers_precision"))]
        if not scale:
            bp = r.get("boilerplate") or {}
            line.append(f"summarised ({bp['reported_count']}/{bp['truth_docs']})"
                        if bp.get("summarised")
                        else f"no ({r.get('boilerplate_pairs', 0)} pairs listed)")
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    for r in errors:
        print(f"{r['system']}  {r['passages']:,} passages  ERROR: {r['error']}")


def print_details(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        if "error" in r or "recall" not in r:
            continue
        print(f"\n[{r['system']}] recall by op (numbers ops need the 'inconsistent' label):")
        ops = r["recall_by_op"]
        print("  " + "  ".join(f"{k} {v['found']}/{v['of']}" for k, v in ops.items()))
        rec = r["recall"]
        print(f"  within-article {rec['within_article']['found']}/{rec['within_article']['of']};"
              f" numbers found with any label {rec['numbers_any_label']['found']}/"
              f"{rec['numbers_any_label']['of']}; rounding copies labelled inconsistent "
              f"{r['rounding_copies_labelled_inconsistent']}; inconsistent pairs "
              f"{r['inconsistent_pairs']}")
        print(f"  pairs: {r['correct_pairs']} correct, {r['false_pairs']} false, "
              f"{r['boilerplate_pairs']} boilerplate; groups {r['groups']} "
              f"(singletons {r['singleton_groups']}, >{BIG_GROUP}: {r['large_groups']}); "
              f"text mismatches {r['text_mismatches']}; io {r['io_seconds']:.2f}s, "
              f"RSS before call {r['rss_before_mb']:.0f} MB")
        if r["false_breakdown"]:
            print("  false pairs: " + ", ".join(f"{k} {v}" for k, v in
                                                r["false_breakdown"].items()))
        for ex in r["false_examples"]:
            print(f"  - {ex['reason']} [{ex['kind']}]\n      {ex['a'][0]} {ex['a'][3][:150]!r}"
                  f"\n      {ex['b'][0]} {ex['b'][3][:150]!r}")


# ---------------------------------------------------------------------------------------------
# Modes


def planted_mode(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    planted = build_planted(args.articles, args.seed, args.plant, args.boilerplate_rate, root)
    gen_s = time.perf_counter() - t0
    workdir = Path(args.write) if args.write else Path(tempfile.mkdtemp(prefix="bench_dupes_"))
    workdir.mkdir(parents=True, exist_ok=True)
    archive = workdir / "archive.jsonl"
    with archive.open("w", encoding="utf-8") as f:
        for rec in planted.records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if args.write:
        with (workdir / "truth.jsonl").open("w", encoding="utf-8") as f:
            for row in planted.truth:
                f.write(json.dumps(row) + "\n")
    index = build_index(planted.truth, planted.paras)
    bodies = {r["id"]: r["body"] for r in planted.records}
    systems = [args.system] + ([] if args.no_baseline else ["minhash"])
    rows = []
    for name in systems:
        run = run_system(name, archive, workdir, root, True, args.inproc)
        sc = None if "error" in run else score(run, planted.truth, index, bodies,
                                               planted.boilerplate_docs, args.show_false)
        rows.append(row_for(name, run, planted.passages, sc))
    if not args.write:
        for p in workdir.iterdir():
            p.unlink()
        workdir.rmdir()
    summary = dict(planted.summary, seed=args.seed, generate_seconds=gen_s)
    return {"mode": "planted", "archive": summary, "systems": rows}


def scale_mode(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    sizes = [int(float(s)) for s in args.scale.split(",") if s.strip()]
    rows = []
    for n in sizes:
        workdir = Path(tempfile.mkdtemp(prefix=f"bench_dupes_{n}_"))
        archive = workdir / "archive.jsonl"
        t0 = time.perf_counter()
        truth, written, formula_spans = stream_scale(n, args.seed, archive)
        gen_s = time.perf_counter() - t0
        if not args.json:
            print(f"generated {written:,} passages ({len(truth):,} planted copies) in "
                  f"{gen_s:.1f}s, {archive.stat().st_size / 1e6:,.0f} MB", flush=True)
        index = build_index(truth, [(d, s, e, "formula", -1, 0) for d, s, e in formula_spans])
        del formula_spans
        systems = [args.system] + (["minhash"] if n <= args.baseline_max else [])
        for name in systems:
            run = run_system(name, archive, workdir, root, False, args.inproc)
            sc = None if "error" in run else score(run, truth, index, None, 0, 0)
            row = row_for(name, run, written, sc)
            row["generate_seconds"] = gen_s
            rows.append(row)
        for p in workdir.iterdir():
            p.unlink()
        workdir.rmdir()
    return {"mode": "scale", "seed": args.seed, "systems": rows}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--system", choices=["factcheck", "stub"], default="factcheck",
                    help="system under test (default: factcheck's find_archive_duplicates)")
    ap.add_argument("--articles", type=int, default=2000, help="articles in the planted archive")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plant", type=float, default=1.0, help="multiplier on planted copy counts")
    ap.add_argument("--boilerplate-rate", type=float, default=0.05,
                    help="share of articles closing with the disclaimer")
    ap.add_argument("--no-baseline", action="store_true", help="skip the datasketch baseline")
    ap.add_argument("--json", action="store_true", help="print JSON instead of tables")
    ap.add_argument("--show-false", type=int, default=0, metavar="N",
                    help="print N false-pair examples per system")
    ap.add_argument("--write", metavar="DIR", help="keep archive.jsonl, truth.jsonl, results")
    ap.add_argument("--scale", metavar="SIZES", help="comma-separated passage counts")
    ap.add_argument("--baseline-max", type=int, default=0,
                    help="in scale mode, also run the baseline up to this many passages")
    ap.add_argument("--inproc", action="store_true", help="run systems in this process")
    ap.add_argument("--root", default=str(DEFAULT_ROOT), help="repository root")
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    ap.add_argument("--_in", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    ap.add_argument("--_text", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    if args._worker:
        run_worker(args._worker, Path(args._in), Path(args._out), args._text)
        return
    report = scale_mode(args, root) if args.scale else planted_mode(args, root)
    if args.json:
        print(json.dumps(report, indent=1, default=str))
        return
    if report["mode"] == "planted":
        a = report["archive"]
        print(f"archive: {a['articles']:,} articles, {a['passages']:,} passages "
              f"({a['real_paragraphs']} real-corpus, {a['formula_paragraphs']} formula "
              f"look-alikes); copies {a['copies']} ({a['within_article']} within-article) in "
              f"{a['clusters']} clusters; disclaimer in {a['boilerplate_docs']} docs; "
              f"seed {a['seed']}; generated in {a['generate_seconds']:.1f}s\n")
        print_table(report["systems"])
        print_details(report["systems"])
    else:
        print()
        print_table(report["systems"], scale=True)
        print("\n(scale mode: only planted copies and formula passages are known; every other "
              "reported pair counts false, so P and R are indicative)")
        for r in report["systems"]:
            if r.get("false_breakdown"):
                print(f"{r['system']} {r['passages']:,}: false pairs " + ", ".join(
                    f"{k} {v:,}" for k, v in r["false_breakdown"].items()))


if __name__ == "__main__":
    main()
