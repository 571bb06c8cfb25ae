"""Generate a synthetic news archive, with planted errors and duplicates, for benchmarking an
archive audit (``factcheck audit``).

    .venv/bin/python benchmarks/make_archive.py --articles 100000 --out /tmp/archive \
        [--seed 0] [--words 600] [--format jsonl|csv|parquet|files]

Writes ``OUT/archive.jsonl`` (``archive.csv``, ``archive.parquet``, or ``OUT/articles/<id>.md|.txt``
for ``--format files``), one record per article: ``id``, ``title``, ``date`` (YYYY-MM-DD, the
publication date), ``source`` (one of eight made-up outlets), ``url``, ``body``. Beside it:

- ``OUT/planted.jsonl``, the gold of every planted change, in archive order:
  ``{"article", "type", "start", "end", "quote", "original", "claim": {start, end, text}}`` for
  an error (``start``/``end`` index the edited text ``quote`` in the body; ``original`` is what
  it replaced, empty for an insertion; ``claim`` is the span of the edited claim), and
  ``{"article", "type": "duplicate"|"near_duplicate"|"changed_figures_duplicate", "of"}`` for a
  copy of an earlier article (a changed-figures copy also gives the changed number's
  ``start``/``end``/``quote``/``original``). Offsets are character offsets into the text
  factcheck reads: the ``body`` field of a record, the whole file for ``--format files``.
- ``OUT/manifest.json``: the arguments, counts by kind and type, word-count percentiles.

How an article is built
-----------------------
Every article is one *story* extended to about ``--words`` words (normal, sd 10%) with neutral
filler paragraphs, so the figures in it stay right for its publication date:

- a *corpus story* (``--corpus-share``, default 0.3): one article of the project's corpora
  (``corpora/articles``, ``corpora/heldout/articles``; never ``heldout2``) as plain
  paragraphs (markup, front matter and page furniture removed; its headline becomes the title),
  dated with its gold date. Paragraphs with a claim whose hand verdict (``verdicts/<stem>.json``)
  is a mismatch are dropped, so an unplanted article holds no known error; so are (unless
  ``--corpus-alarms keep``) paragraphs where the checker reports a mismatch or an inconsistency
  (the checker's known false alarms, which every copy of the story would otherwise repeat).
  Filler paragraphs go between its paragraphs; its own paragraphs keep their order.
- a *generated story*: paragraphs written from ``reference_data/figures.csv`` (accepted, stated
  GAC and Bloomberg figures: monthly levels by partner, month-on-month and year-on-year changes,
  year-to-date totals, the kilogram figure of GAC's platform), phrased as newsrooms do, for one
  month, published in the following month. Each generated paragraph names its series, flow,
  partner and month, and is kept only when ``factcheck check`` calls every trade figure in it
  ``supported``.

Filler sentences (background, quotes, context; a few dozen templates with varied slots) carry no
number, month, series name or trade-flow word, so they change no claim's reading.

Planted errors (``--errors``, default 0.10 of articles, one each) come from
``benchmarks/bench_inject.py``: its mutators (digit_typo, wrong_month, basis_swap, flipped_sign,
kg_t, series_swap, separator_slip, false_record) run once at start on every story unit (each
corpus article, each generated paragraph) over the claims that the checker calls ``supported``
(and, for corpus articles, the hand verdict too), and keep only edits its oracle finds really
wrong against the official figures. An error article draws a type uniformly, then one mutation
of that type, and is built around the mutated unit.

Planted duplicates (``--dupes``, default 0.05) copy a recent clean article (one of the last
2,000 written; never one with a planted error or itself a copy) under another outlet, id and
url: ``duplicate`` word for word (title too), ``near_duplicate`` with one or two filler sentences
dropped or reworded (and a reworded title), ``changed_figures_duplicate`` word for word except
one figure (a digit of a tonnage or percentage changed; usually also a factual error).

Output is byte-identical for the same arguments and the same factcheck checkout (the story
pool is filtered by the checker, so a checker change can change it); ``--format`` changes only
the container, not the articles. Records are streamed: memory does not grow with
``--articles`` (about 60 MB). Start-up (building the pools) takes about 3 s, then about 0.3 ms
an article.

Caveat for duplicate detection: the story paragraphs come from a finite pool (some 700
generated paragraphs, 44 corpus stories), so across a large archive each recurs in many
articles, as wire copy does. A passage-level duplicate finder reports these incidental
repeats (and the planted errors as copies whose figures differ) besides the planted copies;
score the planted copies by recall, or at the article level.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import importlib
import json
import random
import re
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from factcheck.check import Checker
from factcheck.document import build_document
from factcheck.errors import FactcheckError
from factcheck.inputs import Article, read_inputs


def _root() -> Path:
    """The checkout: this file's parent's parent, else the one factcheck is imported from."""
    here = Path(__file__).resolve().parent.parent
    if (here / "corpora").is_dir() and (here / "benchmarks" / "bench_inject.py").is_file():
        return here
    import factcheck

    return Path(factcheck.__file__).resolve().parent.parent


def _bench_inject():
    """benchmarks/bench_inject.py: its mutators, oracle and month names."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("bench_inject")


ROOT = _root()
bi = _bench_inject()
# corpora/heldout2 stays unseen (the verdict estimates rest on it): no story is built from it
CORPORA = [ROOT / "corpora", ROOT / "corpora" / "heldout"]
TRADE_KINDS = ("mass", "percent", "money", "multiple")
MONTHS = bi.MONTH_NAMES
MON_ABBR = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov",
            "Dec"]
OUTLETS = [  # name, url host, section, title case
    ("Meridian Wire", "meridianwire.example", "markets", False),
    ("The Harbour Ledger", "harbourledger.example", "business", True),
    ("Pacific Commodity Review", "pacificcommodityreview.example", "metals", True),
    ("Northgate Business Daily", "northgatedaily.example", "economy", False),
    ("Asia Markets Bulletin", "asiamarketsbulletin.example", "trade", False),
    ("Metals Desk Weekly", "metalsdesk.example", "news", True),
    ("The Continental Courier", "continentalcourier.example", "world/asia", False),
    ("Supply Chain Sentinel", "supplychainsentinel.example", "sourcing", False),
]
DUP_TYPES = [("duplicate", 0.4), ("near_duplicate", 0.35), ("changed_figures_duplicate", 0.25)]
RESERVOIR = 2000  # recent clean articles a copy may be made of


# ---------------------------------------------------------------------------------------------
# story units: a list of paragraphs checked together, and the mutations found on them


@dataclass
class Unit:
    key: str  # corpus stem or "gen:<series>:<partner>:<period>:<variant>:<lag>"
    paras: list[str]
    title: str
    date: str  # YYYY-MM-DD (generated: the 20th of the publication month)
    month: str  # YYYY-MM of publication
    kind: str  # corpus | generated
    series: str | None = None
    partner: str | None = None
    lag: int = 0  # generated: months from the figure's period to publication
    mutations: list[Mut] = field(default_factory=list)
    gold: list = field(default_factory=list)  # corpus: (paragraph, start, end, hand verdict)


@dataclass
class Mut:
    type: str
    unit: Unit
    para: int  # index of the edited paragraph
    text: str  # the edited paragraph
    start: int  # the edit in the edited paragraph
    end: int
    original: str
    claim: tuple[int, int]  # the edited claim in the edited paragraph


# ---------------------------------------------------------------------------------------------
# corpus articles -> plain paragraphs

FURNITURE_RE = re.compile(
    r"min read|Reading time|\bcomments?\b|Comments \(|Filed under|subscribed|Have a tip|"
    r"With assistance from|^\(Reporting|^Updated|Summary compiled|^Issue #|While AI assists|"
    r"inbox|Disclosure|Investment Warning|Upgrade to Premium|Coverage Details|^Title:|"
    r"^By [A-Z]|^\[Translated|^References$|^Advertisement$|\bET\s*\d|GMT|\bIST\b", re.IGNORECASE)


def plain_paragraphs(art: Article) -> tuple[str, list[tuple[str, list[int]]]]:
    """(headline, [(paragraph text, raw offset of each character)]) of an article."""
    doc = build_document(art.text, art.fmt, art.title)
    view = doc.view
    out = []
    for p in doc.paragraphs:
        chars: list[str] = []
        idx: list[int] = []
        for i in range(p.start, p.end):
            ch = view[i]
            if ch.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    idx.append(i)
            else:
                chars.append(ch)
                idx.append(i)
        while chars and chars[-1] == " ":
            chars.pop()
            idx.pop()
        text = "".join(chars)
        m = re.match(r"#{1,6}\s+", text)
        if m:
            text, idx = text[m.end():], idx[m.end():]
        if text:
            out.append((text, idx))
    if not out:
        return "", []
    headline = re.sub(r"\s+\|\s+[^|]+$", "", art.title or out[0][0]).strip()
    body = []
    for n, (text, idx) in enumerate(out):
        if n == 0 or text == headline or re.sub(r"\s+\|\s+[^|]+$", "", text) == headline:
            continue
        if len(text.split()) < 8 or FURNITURE_RE.search(text):
            continue
        body.append((text, idx))
    return headline, body


def load_corpus_units(ck: Checker, keep_alarms: bool = False) -> list[Unit]:
    units = []
    for corpus in CORPORA:
        adir = corpus / "articles"
        if not adir.is_dir():
            continue
        for path in sorted(adir.iterdir()):
            gold_path = corpus / "gold" / f"{path.stem}.json"
            if not gold_path.exists():
                continue
            gold_doc = json.loads(gold_path.read_text(encoding="utf-8"))
            date = gold_doc.get("date")
            if not date:
                continue
            frames = {(c["quote"], c["occurrence"]): c.get("frame") or {}
                      for c in gold_doc.get("claims", [])}
            raw = next(a for a in read_inputs([str(path)]) if not isinstance(a, FactcheckError))
            headline, paras = plain_paragraphs(raw)
            verdict_path = corpus / "verdicts" / f"{path.stem}.json"
            gold = json.loads(verdict_path.read_text(encoding="utf-8"))["claims"] \
                if verdict_path.exists() else []
            # hand verdicts located in the raw text, then in the kept paragraphs
            located = []  # (paragraph index, start, end in it, gold claim)
            for g in gold:
                s, e = bi.locate(raw.text, g["quote"], g["occurrence"])
                if s < 0:
                    continue
                for n, (_, idx) in enumerate(paras):
                    a = bisect.bisect_left(idx, s)
                    b = bisect.bisect_left(idx, e - 1)
                    if a < len(idx) and idx[a] == s and b < len(idx) and idx[b] == e - 1:
                        g = {**g, "frame": frames.get((g["quote"], g["occurrence"]), {})}
                        located.append((n, a, b + 1, g))
                        break
            bad = {n for n, _, _, g in located if g["verdict"] == "mismatch"}
            unit = None
            for _ in range(4):  # dropping a paragraph can change how the next ones read
                keep = [n for n in range(len(paras)) if n not in bad]
                if len(keep) < 2:
                    unit = None
                    break
                new_index = {n: k for k, n in enumerate(keep)}
                unit = Unit(path.stem, [paras[n][0] for n in keep], headline, date, date[:7],
                            "corpus")
                unit.gold = [(new_index[n], a, b, g) for n, a, b, g in located
                             if n in new_index]
                if keep_alarms:
                    break
                _, checked = _check(ck, unit)
                alarms = {keep[k] for k in _paragraph_of(unit, checked)}
                if not alarms:
                    break
                bad |= alarms
            else:
                unit = None
            if unit is not None:
                units.append(unit)
    return units


def _paragraph_of(unit: Unit, checked) -> set[int]:
    """Indices of the unit's paragraphs holding a mismatch, or the last claim of an
    inconsistency."""
    starts, pos = [], 0
    for p in unit.paras:
        starts.append(pos)
        pos += len(p) + 2
    at = [checked.claims[i].start for i, v in enumerate(checked.verdicts) if v.verdict == "mismatch"]
    at += [max(checked.claims[i].start for i in f.claims) for f in checked.inconsistent]
    return {bisect.bisect_right(starts, a) - 1 for a in at}


# ---------------------------------------------------------------------------------------------
# generated numeric paragraphs from reference_data/figures.csv

SERIES_NAMES = {
    "rare_earth_magnets": ["rare earth magnets", "rare-earth permanent magnets",
                           "rare earth permanent magnets", "rare-earth magnets"],
    "rare_earths": ["rare earths"],
    "rare_earth_products": ["rare earth products"],
}
SERIES_GLOSS = {
    "rare_earths": [", the customs headline series that excludes magnets,",
                    ", a group of metals and compounds that excludes magnets,", ""],
    "rare_earth_products": [", a Bloomberg calculation from customs data,",
                            ", which Bloomberg compiles from customs figures,"],
    "rare_earth_magnets": [""],
}
PARTNER_NAMES = {
    "United States": ["the United States", "the U.S.", "the US"],
    "Japan": ["Japan"], "Germany": ["Germany"], "South Korea": ["South Korea"],
    "Vietnam": ["Vietnam"], "India": ["India"], "European Union": ["the European Union", "the EU"],
    "Mexico": ["Mexico"], "Thailand": ["Thailand"], "Netherlands": ["the Netherlands"],
}
UNIT_WORDS = ["tons", "tonnes", "metric tons"]
PCT_WORDS = ["%", " per cent", " percent"]
UP_VERBS, DOWN_VERBS = ["rose", "climbed", "increased", "jumped"], ["fell", "dropped", "declined",
                                                                    "slipped"]
SOURCES = ["customs data showed", "according to the General Administration of Customs",
           "official data showed", "figures from China's customs agency showed"]


def _num(value: Decimal, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = max(0, -value.normalize().as_tuple().exponent)
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:,.{decimals}f}"


def _pct(value: Decimal, rng: random.Random) -> str:
    v = abs(value)
    if v >= 10 and v != v.to_integral_value() and rng.random() < 0.4:
        return _num(v, 0 if v >= 100 else 1) + rng.choice(PCT_WORDS)
    return _num(v) + rng.choice(PCT_WORDS)


def load_figures() -> dict:
    """{(series, partner, period, measure, basis): Decimal} of accepted, stated tonnage figures
    and changes in volume."""
    figs: dict = {}
    with open(ROOT / "reference_data" / "figures.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["status"] != "accepted" or r["stated"] != "stated" or r["flow"] != "export" \
                    or r["reporter"] != "China" or r["series"] not in SERIES_NAMES:
                continue
            if r["measure"] in ("level", "cumulative") and r["unit"] == "t":
                key = (r["series"], r["partner"], r["period"], r["measure"], "")
            elif r["measure"] == "change" and r["unit"] == "pct" and (r["of"] or "t") == "t":
                key = (r["series"], r["partner"], r["period"], "change", r["basis"])
            else:
                continue
            figs.setdefault(key, Decimal(r["value"].replace(",", "")))
    return figs


def next_month(period: str, d: int = 1) -> str:
    y, m = int(period[:4]), int(period[5:7]) - 1 + d
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def generated_paragraphs(figs: dict, rng: random.Random) -> list[Unit]:
    """Several phrasings of each (series, partner, month) with a stated level, and of each
    year-to-date total, each as published one, two and three months later; checked later."""
    units = []
    for (series, partner, period, measure, _), level in sorted(figs.items()):
        if partner not in PARTNER_NAMES and partner != "World":
            continue
        texts = []
        if measure == "level" and len(period) == 7:
            for variant in range(4):
                text = _month_paragraph(figs, series, partner, period, level, variant, rng)
                if text:
                    texts.append((period, variant, text))
        elif measure == "cumulative" and re.fullmatch(r"\d{4}-01\.\.\d{4}-\d\d", period):
            end = period[-7:]
            if end[:4] != period[:4] or end[5:] == "01":
                continue
            for variant in range(2):
                text = _ytd_paragraph(figs, series, partner, period, level, variant, rng)
                texts.append((end, 10 + variant, text))
        for lag in (1, 2, 3):
            for period_, variant, text in texts:
                pub = next_month(period_, lag)
                units.append(Unit(f"gen:{series}:{partner}:{period_}:{variant}:{lag}", [text],
                                  "China customs data round-up", f"{pub}-20", pub, "generated",
                                  series, partner, lag))
    return units


def _month_paragraph(figs, series, partner, period, level, variant, rng) -> str | None:
    month, year = MONTHS[int(period[5:7]) - 1], period[:4]
    prev = MONTHS[int(next_month(period, -1)[5:7]) - 1]
    mom = figs.get((series, partner, period, "change", "mom"))
    yoy = figs.get((series, partner, period, "change", "yoy"))
    name = rng.choice(SERIES_NAMES[series])
    gloss = rng.choice(SERIES_GLOSS[series]) if partner == "World" and variant == 0 else ""
    to = "" if partner == "World" else " to " + rng.choice(PARTNER_NAMES[partner])
    unit = rng.choice(UNIT_WORDS)
    src = rng.choice(SOURCES)
    mname = month if rng.random() < 0.6 else f"{month} {year}"
    exact = _num(level)
    shown = exact if rng.random() < 0.7 or level < 100 else _num(level, 0)
    sents = []
    if variant == 0 and mom is not None:
        verb = rng.choice(UP_VERBS if mom > 0 else DOWN_VERBS)
        sents.append(f"China's exports of {name}{gloss}{to} {verb} {_pct(mom, rng)} in {mname} "
                     f"from {prev} to {shown} {unit}, {src}.")
        if yoy is not None:
            word = rng.choice(["higher", "up"] if yoy > 0 else ["lower", "down"])
            sents.append(f"The {month} figure for {name}{to} was {_pct(yoy, rng)} {word} than "
                         f"a year earlier." if word in ("higher", "lower") else
                         f"Compared with {month} {int(year) - 1}, exports of {name}{to} were "
                         f"{word} {_pct(yoy, rng)}.")
    elif variant == 1:
        verb = rng.choice(["totalled", "came to", "reached", "were"])
        sents.append(f"Exports of {name}{gloss}{to} {verb} {shown} {unit} in {mname}, {src}.")
        if yoy is not None:
            word = "up" if yoy > 0 else "down"
            basis = rng.choice(["year-on-year", "from a year earlier", "on the year"])
            sents.append(f"That left {month} shipments of {name}{to} {word} {_pct(yoy, rng)} "
                         f"{basis}.")
        elif mom is not None:
            word = "up" if mom > 0 else "down"
            basis = rng.choice(["month-on-month", "from the previous month", f"from {prev}"])
            sents.append(f"{month} shipments of {name}{to} were {word} {_pct(mom, rng)} "
                         f"{basis}.")
    elif variant == 2 and series == "rare_earth_magnets":
        kg = f"{(level * 1000).quantize(Decimal(1)):,}"
        sents.append(f"China shipped {shown} {unit} of {name}{to} in {mname}, {src}.")
        sents.append(rng.choice([
            (f"The customs platform, which records the line in kilograms, lists {kg} kilograms "
             f"of {name} shipped{to} in {month}."),
            (f"In the kilogram units of the customs database, {month} exports of {name}{to} "
             f"came to {kg} kilograms.")]))
    elif variant == 3 and yoy is not None:
        word = rng.choice(["higher", "lower"] if yoy > 0 else ["lower"])
        if yoy < 0 or word == "higher":
            sents.append(f"At {shown} {unit}, {month} exports of {name}{to} were "
                         f"{_pct(yoy, rng)} {word} than in {month} {int(year) - 1}, {src}.")
    if not sents:
        return None
    return " ".join(sents)


def _ytd_paragraph(figs, series, partner, period, total, variant, rng) -> str:
    end = period[-7:]
    k = int(end[5:7])
    year = end[:4]
    ordinal = ["", "", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
               "eleven", "twelve"][k]
    span = rng.choice([f"In the first {ordinal} months of {year}",
                       f"In January-{MONTHS[k - 1]} {year}",
                       f"Between January and {MONTHS[k - 1]} {year}",
                       f"In the January-{MONTHS[k - 1]} period of {year}"]) if k != 6 else \
        rng.choice([f"In the first half of {year}", f"In January-June {year}"])
    name = rng.choice(SERIES_NAMES[series])
    to = "" if partner == "World" else " to " + rng.choice(PARTNER_NAMES[partner])
    unit = rng.choice(UNIT_WORDS)
    yoy = figs.get((series, partner, period, "change", "yoy"))
    s = f"{span}, China's exports of {name}{to} totalled {_num(total)} {unit}"
    if yoy is not None and variant == 0:
        s += f", {'up' if yoy > 0 else 'down'} {_pct(yoy, rng)} from the same period a year earlier"
    return s + "."


# ---------------------------------------------------------------------------------------------
# checking units and finding their mutations


def _check(ck: Checker, unit: Unit):
    text = "\n\n".join(unit.paras)
    art = Article(id=unit.key, source=unit.key, text=text, fmt="text", title=unit.title)
    return art, ck.check(art, unit.date)


def generated_ok(checked) -> bool:
    trade = [v for c, v in zip(checked.claims, checked.verdicts, strict=True)
             if c.kind in TRADE_KINDS or v.verdict == "mismatch"]
    return bool(trade) and all(v.verdict == "supported" for v in trade) \
        and not checked.inconsistent


def find_mutations(ck: Checker, oracle, units: list[Unit], rng: random.Random) -> None:
    for unit in units:
        art, checked = _check(ck, unit)
        base = bi.Base(unit.key, art, unit.date, checked)
        starts = []
        pos = 0
        for p in unit.paras:
            starts.append(pos)
            pos += len(p) + 2
        if unit.kind == "corpus":
            used: set[int] = set()
            for n, a, b, g in unit.gold:
                s, e = starts[n] + a, starts[n] + b
                hit = next((i for i, c in enumerate(checked.claims)
                            if i not in used and c.start < e and s < c.end), None)
                if hit is None:
                    continue
                used.add(hit)
                v = checked.verdicts[hit]
                if g["verdict"] != "supported" or v.verdict != "supported" or \
                        "fits when read with" in v.explanation:
                    continue
                truth, tf = g["frame"], checked.claims[hit].frame
                if any(truth.get(k) and truth[k] != getattr(tf, k)
                       for k in ("series", "partner", "period")):
                    continue  # bench_inject's rule: the edits assume the frame is right
                base.correct.append(hit)
                base.truth[hit] = truth
        else:
            for i, (c, v) in enumerate(zip(checked.claims, checked.verdicts, strict=True)):
                if v.verdict == "supported" and c.kind in TRADE_KINDS and \
                        "fits when read with" not in v.explanation:
                    base.correct.append(i)
                    base.truth[i] = {"series": unit.series, "partner": unit.partner}
        for typ in bi.TYPES:
            for i in base.correct:
                oracle.truth = base.truth.get(i, {})
                m = bi.MUTATORS[typ](base, i, checked.claims[i], oracle, rng)
                if m is None or "\n" in m.replacement:
                    continue
                n = bisect.bisect_right(starts, m.start) - 1
                if m.end > starts[n] + len(unit.paras[n]):
                    continue
                claim = checked.claims[i]
                cs, ce = m.map_span(claim.start, claim.end)
                if m.type == "false_record":
                    cs = m.start
                off = starts[n]
                para = m.new_text()[off:off + len(unit.paras[n]) + m.delta]
                unit.mutations.append(Mut(typ, unit, n, para, m.start - off,
                                          m.start - off + len(m.replacement),
                                          art.text[m.start:m.end], (cs - off, ce - off)))


def build_pools(seed: int, keep_alarms: bool = False) -> tuple[list[Unit], list[Unit], dict]:
    rng = random.Random(f"pools-{seed}")
    ck = Checker()
    oracle = bi.Oracle(ck)
    corpus = load_corpus_units(ck, keep_alarms)
    figs = load_figures()
    generated = []
    for unit in generated_paragraphs(figs, rng):
        _, checked = _check(ck, unit)
        if generated_ok(checked):
            generated.append(unit)
    find_mutations(ck, oracle, corpus + generated, rng)
    return corpus, generated, figs


# ---------------------------------------------------------------------------------------------
# filler: neutral sentences with no number, month, series name or trade-flow word

FIRST = ["Li", "Anna", "Tomas", "Chen", "Rahul", "Sarah", "Kenji", "Maria", "David", "Elena",
         "James", "Zhang", "Ingrid", "Omar", "Lucia", "Peter", "Mei", "Carlos", "Hannah", "Yuki",
         "Stefan", "Priya", "Marco", "Grace"]
LAST = ["Wei", "Keller", "Novak", "Jing", "Mehta", "Okafor", "Sato", "Alves", "Park", "Rossi",
        "Whitfield", "Min", "Larsen", "Haddad", "Ferreira", "Brandt", "Lin", "Ortega", "Fischer",
        "Tanaka", "Moreau", "Iyer", "Conti", "Nakamura"]
JOBS = ["an analyst", "a supply-chain adviser", "a procurement manager", "a trader",
        "a director", "a policy researcher", "a purchasing executive", "a strategist",
        "an industry consultant", "an economist", "a former trade negotiator", "a partner",
        "a senior fellow", "a sourcing chief"]
ORGS = ["a consultancy", "a European parts maker", "an Indian motor manufacturer",
        "a Japanese electronics group", "a London brokerage", "a Milan bank",
        "a state-linked think tank", "a Korean battery maker", "a German carmaker",
        "a Washington research group", "a Singapore trading house", "a Swiss commodity fund",
        "a metals recycler", "a wind turbine maker"]
CITIES = ["Beijing", "Shanghai", "Frankfurt", "London", "Washington", "Tokyo", "Seoul",
          "Singapore", "Munich", "Paris", "Brussels", "Chicago", "Detroit", "Hong Kong", "Mumbai"]
GROUPS = ["carmakers", "wind turbine makers", "electronics firms", "defence contractors",
          "appliance makers", "motor manufacturers", "robotics companies", "parts suppliers",
          "battery makers", "drone producers", "medical device makers", "industrial buyers"]
PLACES = ["Europe", "North America", "Japan", "South Korea", "Southeast Asia", "Germany",
          "Ohio", "Bavaria", "Guangdong", "Jiangxi", "Inner Mongolia", "Texas", "Lombardy",
          "Ontario", "Queensland"]
TOPICS = ["licensing", "licensing rules", "supply security", "pricing", "inventory planning",
          "processing capacity", "trade policy", "permit approvals", "end-user checks",
          "supplier audits", "stockpiling", "recycling"]
ADJ = ["cautious", "uneven", "fragile", "gradual", "patchy", "tentative", "hesitant", "slow",
       "halting", "modest"]
ACTORS = ["Carmakers in {place}", "Several {group}", "Officials in {city}", "Analysts in {city}",
          "Industry groups in {place}", "Trade lawyers", "Purchasing managers at {group}",
          "Executives at {group}", "Diplomats", "Consultants advising {group}",
          "Brokers in {city}", "Lawmakers in {place}", "Investors", "Researchers in {city}",
          "Some {group}", "Smaller {group}", "Suppliers to {group}", "Regulators in {place}"]
VERBS = ["say", "said", "have warned that", "expect that", "argue that", "told reporters that",
         "privately concede that", "have long said that", "now believe that", "fear that"]
ISSUES = ["the licensing regime", "the approval process", "supply security",
          "processing capacity outside China", "inventory at parts makers", "the permit backlog",
          "contract pricing", "the new end-user checks", "the outlook for {topic}",
          "the push to diversify suppliers", "the debate over {topic}", "demand from {group}",
          "the regime for {topic}", "freight and insurance costs", "the appetite for new mines"]
PREDICATES = ["remains a concern", "will take time to fix", "could tighten again without notice",
              "is improving only slowly", "depends on talks between the capitals",
              "has become harder to predict", "is unlikely to change soon",
              "looks {adj} at best", "will shape investment decisions",
              "is being watched closely in {city}", "has not yet settled down",
              "leaves little room for planning", "is better than many had feared",
              "is still far from normal", "could ease if talks go well",
              "has pushed buyers to hold more stock", "matters more than headline prices",
              "is forcing a rethink of sourcing", "has eased somewhat of late"]
QUOTE_OPEN = ["", "", "Frankly, ", "For now, ", "In our view, ", "At the moment, ", "Honestly, ",
              "Right now, "]
QUOTE_BITS = ["nobody wants to be caught short again", "the paperwork is the real bottleneck",
              "we are planning for disruption, not hoping it goes away",
              "buyers have learned to keep more stock on hand",
              "it is a negotiation as much as a market", "every approval still feels like a favour",
              "diversification takes years of effort", "prices tell you less than the permits do",
              "the direction of travel is clear even if the pace is not",
              "we cannot redesign a motor overnight", "customers want certainty we cannot give",
              "the rules change faster than our contracts", "we are qualifying new suppliers",
              "our engineers are testing alternatives", "the politics drive everything now",
              "there is no quick fix", "we keep hearing promises, not seeing permits",
              "the worst of the panic has passed"]
STATIC = [
    "The commerce ministry did not respond to a request for comment.",
    "Mining projects in Australia and North America are years away from meaningful output.",
    "Processing remains the hardest part of the chain to replicate outside China.",
    "Some buyers have turned to recycled material, though volumes remain modest.",
    "Shares of miners outside China have swung sharply on every headline.",
    "Not everyone expects a lasting improvement.",
    "The episode has exposed how concentrated the supply chain remains.",
    "Customs officials have stepped up checks on paperwork at the border.",
    "Economists caution against reading too much into short-term swings.",
    "Contract terms have shifted toward longer commitments and stricter clauses.",
    "Relations between the capitals have improved, but deep mistrust remains.",
    "Critics say the approval process lacks transparency.",
    "The ministry has said applications that meet the rules will be approved.",
    "Beijing has said its rules are in line with international practice.",
    "Officials in Washington and Brussels have criticised the rules as a pressure tactic.",
]
TEMPLATES = [
    ("{actor} {verb} {issue} {pred}.", 6),
    ("\"{qopen}{quote},\" said {name}, {role}.", 2),
    ("\"{qopen}{quote},\" {name}, {role}, told reporters.", 1),
    ("{name}, {role}, said {issue} {pred}.", 2),
    ("According to {name}, {role}, {issue} {pred}.", 1),
    ("{group_cap} in {place} say they are spending more time on {topic} than before.", 1),
    ("The government in {place} has offered grants to attract processing plants.", 1),
    ("Industry associations in {place} have asked for clearer guidance on {topic}.", 1),
    ("A survey of {group} in {place} found widespread concern about {topic}.", 1),
    ("Brokers in {city} reported {adj} demand and thin trading.", 1),
    ("{static}", 3),
]
_T_TEXT = [t for t, _ in TEMPLATES]
OPEN_TEMPLATES = set(_T_TEXT[:2] + _T_TEXT[-1:])  # varied enough to recur in one article
FORBIDDEN_RE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|"
    r"billion|half|double|triple|twice|first|second|third|record|high|low|peak|highest|lowest|"
    r"biggest|largest|may|march|year|month|quarter|week|magnets?|rare|earths?|exports?|imports?|"
    r"shipments?|shipped|percent|cent)\b|" + "|".join(MONTHS), re.IGNORECASE)


SLOT_RE = re.compile(r"\{(\w+)\}")


def _expand(options: list[str], slots: dict) -> list[str]:
    """Every filling of the placeholders in ``options``."""
    out = []
    for o in options:
        names = SLOT_RE.findall(o)
        if not names:
            out.append(o)
            continue
        first = names[0]
        out += _expand([o.replace("{" + first + "}", v, 1) for v in slots[first]], slots)
    return out


_BASE_SLOTS = {"place": PLACES, "city": CITIES, "group": GROUPS, "topic": TOPICS, "adj": ADJ}
SLOTS = {**_BASE_SLOTS,
         "actor": _expand(ACTORS, _BASE_SLOTS), "verb": VERBS,
         "issue": _expand(ISSUES, _BASE_SLOTS), "pred": _expand(PREDICATES, _BASE_SLOTS),
         "qopen": QUOTE_OPEN, "static": STATIC, "quote": QUOTE_BITS,
         "group_cap": [g[:1].upper() + g[1:] for g in GROUPS],
         "name": [f"{f} {la}" for f in FIRST for la in LAST],
         "role": [f"{j} at {o}" for j in JOBS for o in ORGS]}
# a template as [literal, slot, literal, slot, ..., literal]
_PARTS = {t: SLOT_RE.split(t) for t, _ in TEMPLATES}
_T_BAG = [t for t, w in TEMPLATES for _ in range(w)]


def _pick(seq, rng: random.Random):
    return seq[int(rng.random() * len(seq))]  # rng.choice, at half the cost


def filler_sentence(rng: random.Random, template: str | None = None) -> tuple[str, str | None]:
    """One neutral sentence (no number, month, series name or trade-flow word), and the quote
    it uses, if any."""
    parts = _PARTS[template or _pick(_T_BAG, rng)]
    out, quote = [], None
    for k, part in enumerate(parts):
        if k % 2 == 0:
            out.append(part)
            continue
        value = _pick(SLOTS[part], rng)
        if part == "quote":
            quote = value
        out.append(value)
    s = "".join(out)
    if s[:1] == '"':
        return '"' + s[1:2].upper() + s[2:], quote
    return s[:1].upper() + s[1:], quote


def filler_paragraph(rng: random.Random, used: set[str] | None = None) -> list[str]:
    """Two to four filler sentences, none already in ``used`` (the article's)."""
    used = set() if used is None else used
    sents: list[str] = []
    for _ in range(rng.choice((2, 3, 3, 4))):
        for _ in range(10):
            t = _pick(_T_BAG, rng)
            s, quote = filler_sentence(rng, t)
            if s not in used and (t in OPEN_TEMPLATES or t not in used) and \
                    (quote is None or quote not in used):
                break
        else:
            continue
        sents.append(s)
        used.update((s, t) if quote is None else (s, t, quote))
    if not sents:
        sents.append(filler_sentence(rng)[0])
    return sents


# ---------------------------------------------------------------------------------------------
# articles


@dataclass
class Seg:
    text: str
    kind: str  # story | filler
    sents: list[str] | None = None  # filler sentences


@dataclass
class Built:
    segs: list[Seg]
    title: str
    date: str
    error: tuple | None = None  # (segment index, Mut, offset of the unit's text in it)


def words(text: str) -> int:
    return len(text.split())


def extend(segs: list[Seg], target: int, rng: random.Random, interleave: bool) -> list[Seg]:
    """Filler paragraphs up to ``target`` words: between story paragraphs, or at the end."""
    n = sum(words(s.text) for s in segs)
    fillers = []
    used: set[str] = set()
    while n < target or not fillers:
        sents = filler_paragraph(rng, used)
        seg = Seg(" ".join(sents), "filler", sents)
        fillers.append(seg)
        n += words(seg.text)
    if not interleave:
        return segs + fillers
    # slots after a story paragraph that ends a sentence and before one that is not a list item
    slots = [k for k in range(1, len(segs) + 1)
             if segs[k - 1].text.rstrip()[-1:] in ".\"'”)" and
             (k == len(segs) or not re.match(r"[-*•\d]", segs[k].text))]
    if not slots:
        slots = [len(segs)]
    placed: dict[int, list[Seg]] = {}
    for f in fillers:
        placed.setdefault(rng.choice(slots), []).append(f)
    out = []
    for k in range(len(segs) + 1):
        if k:
            out.append(segs[k - 1])
        out.extend(placed.get(k, []))
    return out


def corpus_article(unit: Unit, mut: Mut | None, target: int, rng: random.Random) -> Built:
    segs = [Seg(p, "story") for p in unit.paras]
    err = None
    if mut is not None:
        segs[mut.para] = Seg(mut.text, "story")
        err = segs[mut.para]
    segs = extend(segs, target, rng, interleave=True)
    b = Built(segs, unit.title, unit.date)
    if err is not None:
        b.error = (next(k for k, s in enumerate(segs) if s is err), mut, 0)
    return b


TITLE_NAMES = {"rare_earth_magnets": ["rare earth magnet", "rare-earth magnet", "magnet"],
               "rare_earths": ["rare earth", "rare-earth"],
               "rare_earth_products": ["rare earth product"]}


def story_title(unit: Unit, rng: random.Random) -> str:
    name = rng.choice(TITLE_NAMES[unit.series])
    month = MONTHS[int(next_month(unit.month, -1)[5:7]) - 1]
    to = "" if unit.partner == "World" else " to " + PARTNER_NAMES[unit.partner][-1]
    return rng.choice([f"China's {name} exports{to}: what the {month} data show",
                       f"China's {month} {name} exports{to} in focus as licensing drags on",
                       f"{month} customs data put China's {name} exports{to} in the spotlight",
                       f"Buyers parse China's {month} {name} exports{to}",
                       f"China's {name} exports{to} move again in {month}",
                       f"What China's {month} {name} exports{to} mean for buyers",
                       f"China's {name} exports{to} under scrutiny after {month} data"])


def generated_article(lead: Unit, by_month: dict, mut: Mut | None, target: int, outlet: tuple,
                      rng: random.Random) -> Built:
    """The lead paragraph (last month's figures), then up to five more paragraphs published
    the same month (other partners, series, year-to-date totals, earlier months)."""
    if mut is not None and mut.unit.lag != 1:  # the edited paragraph is context, not the lead
        leads = [u for u in by_month[lead.month] if u.lag == 1
                 and u.key.split(":")[4] != lead.key.split(":")[4]
                 and u.key.rsplit(":", 2)[0] != lead.key.rsplit(":", 2)[0]]
        chosen = [rng.choice(leads), lead] if leads else [lead]
    else:
        chosen = [lead]
    # one paragraph per (series, partner, period), and one per phrasing
    seen = {u.key.rsplit(":", 2)[0] for u in chosen}
    variants = {u.key.split(":")[4] for u in chosen}
    want = rng.choice((3, 4, 4, 5, 5, 6))
    pool = by_month[lead.month]
    for u in rng.sample(pool, min(len(pool), 4 * want)):
        k, v = u.key.rsplit(":", 2)[0], u.key.split(":")[4]
        if k not in seen and v not in variants and len(chosen) < want:
            chosen.append(u)
            seen.add(k)
            variants.add(v)
    head, rest = chosen[:1], chosen[1:]
    rest.sort(key=lambda u: (u.lag, u.series != head[0].series, u.partner != "World"))
    chosen = head + rest
    magnets = any(u.series == "rare_earth_magnets" for u in chosen)
    day = rng.randint(18 if magnets else 8, 28)
    date = f"{lead.month}-{day:02d}"
    segs = []
    err_seg = None
    for u in chosen:
        text = u.paras[0]
        if mut is not None and u is mut.unit:
            text = mut.text
        segs.append(Seg(text, "story"))
        if mut is not None and u is mut.unit:
            err_seg = segs[-1]
    shift = 0
    if rng.random() < 0.6:
        m = int(lead.month[5:7])
        prefix = f"BEIJING, {MON_ABBR[m - 1]} {day} ({outlet[0]}) - "
        first = segs[0]
        segs[0] = Seg(prefix + first.text[:1].upper() + first.text[1:], "story")
        if err_seg is first:
            err_seg, shift = segs[0], len(prefix)
    segs = extend(segs, target, rng, interleave=True)
    b = Built(segs, story_title(chosen[0], rng), date)
    if err_seg is not None:
        b.error = (next(k for k, s in enumerate(segs) if s is err_seg), mut, shift)
    return b


def assemble(b: Built) -> tuple[str, list[int]]:
    starts, pos = [], 0
    for s in b.segs:
        starts.append(pos)
        pos += len(s.text) + 2
    return "\n\n".join(s.text for s in b.segs), starts


def slug(title: str) -> str:
    return re.sub(r"[^a-z]+", "-", title.lower()).strip("-")[:60].rstrip("-")


def styled_title(title: str, outlet: tuple) -> str:
    if outlet[3]:
        return " ".join(w[:1].upper() + w[1:] if len(w) > 3 or i == 0 else w
                        for i, w in enumerate(title.split(" ")))
    return title


FIG_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?=\s*(?:%|per cent|percent|"
                    r"metric tons|tons|tonnes|mt\b|kilograms))")


def change_figure(text: str, rng: random.Random) -> tuple[int, int, str] | None:
    """One figure of a paragraph with one digit changed: (start, end, new token)."""
    toks = list(FIG_RE.finditer(text))
    rng.shuffle(toks)
    for m in toks:
        tok = m.group()
        digits = [k for k, ch in enumerate(tok) if ch.isdigit()]
        sig = [k for k in digits if tok[k] != "0" or k > digits[0]]
        if len(sig) < 2:
            continue
        k = sig[0] if len(sig) < 3 else rng.choice(sig[:-1])
        old = tok[k]
        choices = [d for d in "123456789" if d != old]
        new = tok[:k] + rng.choice(choices) + tok[k + 1:]
        return m.start(), m.end(), new
    return None


def make_duplicate(orig: dict, typ: str, rng: random.Random) -> tuple[list[Seg], str, dict]:
    segs = [Seg(s.text, s.kind, list(s.sents) if s.sents else None) for s in orig["segs"]]
    title, extra = orig["title"], {}
    if typ == "near_duplicate":
        present = {x for s in segs if s.sents for x in s.sents}
        fill = [k for k, s in enumerate(segs) if s.kind == "filler" and s.sents]
        for k in rng.sample(fill, min(len(fill), rng.choice((1, 2)))):
            sents = segs[k].sents
            j = rng.randrange(len(sents))
            if len(sents) > 1 and rng.random() < 0.5:
                del sents[j]
            else:
                for _ in range(20):
                    new = filler_sentence(rng, _T_TEXT[0])[0]
                    if new not in present:
                        sents[j] = new
                        present.add(new)
                        break
            segs[k] = Seg(" ".join(sents), "filler", sents)
        title = rng.choice(["UPDATE: ", "", "Analysis: "]) + title
        if title == orig["title"]:
            title = title.rstrip(".") + " - report"
    elif typ == "changed_figures_duplicate":
        story = [k for k, s in enumerate(segs) if s.kind == "story"]
        rng.shuffle(story)
        for k in story:
            ch = change_figure(segs[k].text, rng)
            if ch:
                s, e, new = ch
                extra = {"seg": k, "start": s, "end": e, "quote": new,
                         "original": segs[k].text[s:e]}
                segs[k] = Seg(segs[k].text[:s] + new + segs[k].text[e:], "story")
                break
        if not extra:
            return make_duplicate(orig, "near_duplicate", rng)
    return segs, title, extra


# ---------------------------------------------------------------------------------------------
# writers


class Writer:
    def __init__(self, out: Path, fmt: str):
        self.fmt, self.out = fmt, out
        out.mkdir(parents=True, exist_ok=True)
        self.batch: list[dict] = []
        if fmt == "jsonl":
            self.fh = open(out / "archive.jsonl", "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        elif fmt == "csv":
            self.fh = open(out / "archive.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.csv = csv.writer(self.fh, lineterminator="\n")
            self.csv.writerow(["id", "title", "date", "source", "url", "body"])
        elif fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            self.pa = pa
            self.schema = pa.schema([(k, pa.string()) for k in
                                     ("id", "title", "date", "source", "url", "body")])
            self.pq = pq.ParquetWriter(out / "archive.parquet", self.schema, compression="zstd")
        else:
            (out / "articles").mkdir(exist_ok=True)
            if any((out / "articles").iterdir()):  # stale files would join the archive
                raise SystemExit(f"{out / 'articles'} is not empty")

    def header(self, rec: dict, as_txt: bool) -> str:
        """--format files: what comes before the body in the file."""
        if as_txt:
            return f"{rec['title']}\n\n{rec['source']} | {rec['date']}\n\n"
        title = rec["title"].replace('"', "'")
        return (f"---\ntitle: \"{title}\"\ndate: {rec['date']}\nsource: {rec['source']}\n"
                f"url: {rec['url']}\n---\n\n")

    def write(self, rec: dict, head: str = "", as_txt: bool = False) -> None:
        if self.fmt == "jsonl":
            self.fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            self.csv.writerow([rec[k] for k in ("id", "title", "date", "source", "url", "body")])
        elif self.fmt == "parquet":
            self.batch.append(rec)
            if len(self.batch) >= 5000:
                self.flush()
        else:
            ext = ".txt" if as_txt else ".md"
            (self.out / "articles" / f"{rec['id']}{ext}").write_text(head + rec["body"] + "\n",
                                                                  encoding="utf-8")

    def flush(self) -> None:
        if self.batch:
            cols = {k: [r[k] for r in self.batch] for k in self.schema.names}
            self.pq.write_table(self.pa.table(cols, schema=self.schema), row_group_size=5000)
            self.batch = []

    def close(self) -> None:
        if self.fmt in ("jsonl", "csv"):
            self.fh.close()
        elif self.fmt == "parquet":
            self.flush()
            self.pq.close()


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, required=True, help="number of articles")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--words", type=int, default=600, help="mean words per article")
    ap.add_argument("--format", choices=["jsonl", "csv", "parquet", "files"], default="jsonl")
    ap.add_argument("--errors", type=float, default=0.10, help="share of articles with an error")
    ap.add_argument("--dupes", type=float, default=0.05, help="share of articles that are copies")
    ap.add_argument("--corpus-share", type=float, default=0.3,
                    help="share of clean original articles built on a corpus article")
    ap.add_argument("--corpus-alarms", choices=["drop", "keep"], default="drop",
                    help="corpus paragraphs where the checker reports a mismatch or an "
                         "inconsistency that the hand verdicts do not: drop them (default), or "
                         "keep them (every copy of a corpus story then repeats the checker's "
                         "known false alarms)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()

    corpus, generated, _ = build_pools(args.seed, args.corpus_alarms == "keep")
    by_month: dict[str, list[Unit]] = {}
    for u in generated:
        by_month.setdefault(u.month, []).append(u)
    leads = [u for u in generated if u.lag == 1 and int(u.key.split(":")[4]) < 10]
    muts_by_type: dict[str, list[Mut]] = {}
    for u in corpus + generated:
        for m in u.mutations:
            muts_by_type.setdefault(m.type, []).append(m)
    types = [t for t in bi.TYPES if muts_by_type.get(t)]
    t_pools = time.perf_counter() - t0

    rng = random.Random(args.seed)
    file_rng = random.Random(f"files-{args.seed}")  # the same articles in every format
    out = Path(args.out)
    writer = Writer(out, args.format)
    with open(out / "planted.jsonl", "w", encoding="utf-8", newline="\n") as planted:
        width = max(6, len(str(args.articles)))
        recent: deque = deque(maxlen=RESERVOIR)
        counts: Counter = Counter()
        wc_hist: Counter = Counter()
        p_err = args.errors / max(1e-9, 1 - args.dupes)

        for n in range(args.articles):
            aid = f"a{n:0{width}d}"
            target = max(150, round(rng.gauss(args.words, args.words * 0.10)))
            outlet = OUTLETS[rng.randrange(len(OUTLETS))]
            rec_planted: list[dict] = []
            if recent and rng.random() < args.dupes:
                orig = recent[rng.randrange(len(recent))]
                typ = rng.choices([t for t, _ in DUP_TYPES], [w for _, w in DUP_TYPES])[0]
                segs, title, extra = make_duplicate(orig, typ, rng)
                if not extra and typ == "changed_figures_duplicate":
                    typ = "near_duplicate"
                others = [o for o in OUTLETS if o[0] != orig["outlet"][0]]
                outlet = others[rng.randrange(len(others))]
                b = Built(segs, title, orig["date"])
                body, starts = assemble(b)
                entry = {"article": aid, "type": typ, "of": orig["id"]}
                if extra:
                    s0 = starts[extra["seg"]]
                    entry.update(start=s0 + extra["start"], end=s0 + extra["start"] +
                                 len(extra["quote"]), quote=extra["quote"],
                                 original=extra["original"])
                rec_planted.append(entry)
                counts[typ] += 1
                kind = "copy"
            else:
                mut = None
                if rng.random() < p_err:
                    typ = types[rng.randrange(len(types))]
                    mut = muts_by_type[typ][rng.randrange(len(muts_by_type[typ]))]
                    unit = mut.unit
                elif rng.random() < args.corpus_share:
                    unit = corpus[rng.randrange(len(corpus))]
                else:
                    unit = leads[rng.randrange(len(leads))]
                if unit.kind == "corpus":
                    b = corpus_article(unit, mut, target, rng)
                else:
                    b = generated_article(unit, by_month, mut, target, outlet, rng)
                b.title = styled_title(b.title, outlet)
                body, starts = assemble(b)
                if b.error:
                    k, m, shift = b.error
                    s0 = starts[k] + shift
                    rec_planted.append({"article": aid, "type": m.type, "start": s0 + m.start,
                                        "end": s0 + m.end, "quote": m.text[m.start:m.end],
                                        "original": m.original,
                                        "claim": {"start": s0 + m.claim[0], "end": s0 + m.claim[1],
                                                  "text": m.text[m.claim[0]:m.claim[1]]}})
                    counts[f"error:{m.type}"] += 1
                    kind = "error"
                else:
                    kind = "clean"
                    counts[f"clean:{unit.kind}"] += 1
            counts[kind] += 1
            y, mo, d = b.date.split("-")
            rec = {"id": aid, "title": b.title, "date": b.date, "source": outlet[0],
                   "url": f"https://{outlet[1]}/{outlet[2]}/{y}/{mo}/{d}/{slug(b.title)}-{aid}",
                   "body": body}
            head, as_txt = "", False
            if args.format == "files":
                as_txt = file_rng.random() < 0.3
                head = writer.header(rec, as_txt)
                for e in rec_planted:
                    for key in ("start", "end"):
                        if key in e:
                            e[key] += len(head)
                    if "claim" in e:
                        e["claim"]["start"] += len(head)
                        e["claim"]["end"] += len(head)
            writer.write(rec, head, as_txt)
            for e in rec_planted:
                planted.write(json.dumps(e, ensure_ascii=False) + "\n")
            wc_hist[words(body)] += 1
            if kind == "clean":
                recent.append({"id": aid, "segs": b.segs, "title": b.title, "date": b.date,
                               "outlet": outlet})
    writer.close()

    total = sum(wc_hist.values())

    def pct(q: float) -> int:
        acc, want = 0, q * total
        for w in sorted(wc_hist):
            acc += wc_hist[w]
            if acc >= want:
                return w
        return 0

    mean = sum(w * c for w, c in wc_hist.items()) / total if total else 0
    manifest = {
        "articles": args.articles, "seed": args.seed, "words": args.words, "format": args.format,
        "errors": args.errors, "dupes": args.dupes, "corpus_share": args.corpus_share,
        "counts": dict(sorted(counts.items())),
        "word_count": {"mean": round(mean, 1), "p10": pct(0.10), "p50": pct(0.50),
                       "p90": pct(0.90)},
        "pools": {"corpus_units": len(corpus), "generated_paragraphs": len(generated),
                  "mutations": {t: len(muts_by_type.get(t, [])) for t in bi.TYPES}},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{args.articles} articles -> {out} ({args.format}) in "
          f"{time.perf_counter() - t0:.1f} s (pools {t_pools:.1f} s); "
          f"words mean {mean:.0f}, p10 {pct(0.1)}, p90 {pct(0.9)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
