"""Document -> mentions: every number a reader would check, with unit, kind, direction, hedge.

Rules, not a model: numerals (digits, words, multipliers), what stands right after them (unit,
"times", "-fold"), right before them (currency, hedge) and around them (direction words), plus a
list of shapes that are never claims (years, dates, times, citation markers, reading times,
product names, list numbers, page furniture). Everything reads ``Document.view`` so offsets are
offsets into the exact input text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from .document import Document, lowered, prefix_guard

# Patterns used inside functions, compiled once (re.match(<literal>, ...) looked each
# one up in re's cache on every call).
_RE_0 = re.compile(r"\bfrom\s+(?:a\s+|an\s+|the\s+)?$", re.I)
_RE_1 = re.compile(r"s\b")
_RE_2 = re.compile(r"\b(?:add(?:ed|s|ing)?|summ?(?:ed|s|ing)?|total(?:l?ed|s|l?ing)?)\s+up\s+to\s+$", re.I)
_RE_3 = re.compile(r"\bto\s+$", re.I)
_RE_4 = re.compile(r"\bfrom\s+(?:a\s+|an\s+)?$", re.I)
_RE_5 = re.compile(r"\s*to\b")
# (?<![\d,.])\d+,\d{1,2}(?![\d,]), opening with the digit so the engine skips other characters
_RE_6 = re.compile(r"\d(?<![\d,.]\d)\d*,\d{1,2}(?![\d,])")
_RE_7 = re.compile(r"\d,\d{3}\.\d")
_RE_8 = re.compile(r"(?:\bthe|\bthese|\bthose|\bits|\btheir|\bhis|\bher|\bour|\bno|\bevery|"
                     r"\beach|\bfirst|\blast|\bof)\s+$", re.I)
_RE_9 = re.compile(r"-(?:hour|minute|time|page|member|story|point|"
                    r"part|way|sided|fold)\b", re.I)
_RE_10 = re.compile(r"\[\s*$")
_RE_11 = re.compile(r"\s*\]")
_RE_12 = re.compile(r"[.)]\s")
_RE_13 = re.compile(r"\b(?:19|20)\d\d[-/]$")
_RE_14 = re.compile(r"\b(?:first|last|past|same|previous|next|final|opening)\s+$", re.I)
_RE_15 = re.compile(r"[A-Za-z]")
_RE_16 = re.compile(r"\d{1,2}")
_RE_17 = re.compile(r"[-/]\d")
_RE_18 = re.compile(r"\d+")
_RE_19 = re.compile(r"[\d,.]+\s+[A-Z]?[a-z]+(?:\s+[a-z]+)?")
_RE_20 = re.compile(r"\byuan\b|\bRMB\b|China|Chinese")
_RE_21 = re.compile(r"\b(?:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|anywhere)\s+from\s+$")
_RE_22 = re.compile(r"\s+of\b")
_RE_23 = re.compile(r"tens of thousands|thousands of|hundreds of thousands", re.I)
_RE_24 = re.compile(r"\s+(?:as|the|that|what|its|their|his|her|a year)\b", re.I)
_RE_25 = re.compile(r"-year[- ]old", re.I)
_RE_26 = re.compile(r"(?:%|k\b|m\b|bn\b|mn\b|mln\b|b\b|t\b|kg\b|km\b|mt\b|MT\b|Mt\b|tn\b|pp\b|bp|"
                r"st\b|nd\b|rd\b|th\b|x\b|s\b|fold\b|min|GW|MW|kW|GB|TB|mm\b|cm\b|ft\b|lb|oz\b|"
                r"mph\b|kph\b|hp\b|bpd\b|mpg\b|yr|year|ha\b|pc\b|[gmk]?hz\b|l\b|mah\b|mbps\b|"
                r"mil\b|sqm\b|p\b|mg\b|bhp\b|ppm\b|ppb\b)", re.I)
_RE_27 = re.compile(r"\s*(?:%|per ?cent|tons?|tonnes?)", re.I)
_RE_28 = re.compile(r"\d[-/]$")
_RE_29 = re.compile(r"\d{1,2}|\d{4}")
_RE_30 = re.compile(r"\d{4}|\d{1,2}")
_RE_31 = re.compile(r"[-/]\d{1,2}[-/]")
_RE_32 = re.compile(r"\d{8,10}")
_RE_33 = re.compile(r"\s*(?:%|per ?cent)", re.I)
_RE_34 = re.compile(r"\b(?:worth|cost|paid|spent|price|funds?|invest\w*|"
                                       r"revenue|profit|sterling|salary|budget|fine[ds]?)\b", re.I)
_RE_35 = re.compile(r"\s*and\s*")
_RE_36 = re.compile(r"between\s+$")
_RE_37 = re.compile(r"\s*(?:-|–|—)\s*")
_RE_38 = re.compile(r"\s*to\s*")
_RE_39 = re.compile(r"\bfrom\s+$")
_RE_40 = re.compile(r"\s*(?:by\s+)?")
_RE_41 = re.compile(r"\bto\s+(?:a\s+|an\s+)?(?:record\s+|new\s+|about\s+)?$", re.I)
_RE_42 = re.compile(r"\s*(?:by\s+)?(?:an?\s+)?")
_RE_43 = re.compile(r"[\s-]+(?:year|month|week|day)s?\b", re.I)
_RE_44 = re.compile(r"\s*(?:%|tons?|tonnes?|kg|kilo|yuan|dollars|people)", re.I)
_RE_45 = re.compile(r"\s*(?:%|per ?cent|tons?|tonnes?|metric|kg|kilograms?|people|"
                             r"workers|units|vehicles|companies|yuan|dollars|euros|times|t\b)", re.I)
_RE_46 = re.compile(r"\s+[a-z]+s\b")
_RE_47 = re.compile(r"\d+(?:\.\d+)?")
_RE_48 = re.compile(r"\baged\s+$", re.I)
_RE_49 = re.compile(r"[A-Z][a-z]+,\s*$")
_RE_50 = re.compile(r",")

# Between a number and its unit or currency: spaces, tabs, no-break and thin spaces, and the
# runs of spaces that masking leaves where HTML tags, entities or Markdown emphasis stood.
WS = "[ \\t\u00a0\u2009\u202f]"
Value = Decimal | tuple[Decimal, Decimal]


@dataclass
class Mention:
    start: int
    end: int
    text: str
    value: Value
    unit: str | None
    kind: str
    sentence: int
    num_start: int
    num_end: int
    direction: str | None = None
    hedge: str | None = None
    hedge_relation: str | None = None  # ~ > >= < <= ~< ~>
    decimals: int = 0
    noun: str | None = None  # the counted thing for bare counts ("workers")
    ambiguous: dict | None = None  # {"alternatives": [...], "reason": "..."}
    verb: str | None = None  # the direction word, as written
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# numerals

WORD_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
WORD_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
               "trillion": 10**12}
_NW = "|".join(sorted(list(WORD_UNITS) + list(WORD_SCALES), key=len, reverse=True))
FOLD_WORDS = {"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "sixfold": 6,
              "sevenfold": 7, "eightfold": 8, "ninefold": 9, "tenfold": 10, "twelvefold": 12,
              "twentyfold": 20, "hundredfold": 100}
VERB_MULTIPLES = {"halve": 0.5, "doubled": 2, "doubling": 2, "doubles": 2, "tripled": 3, "tripling": 3,
                  "trebled": 3, "triples": 3, "quadrupled": 4, "quadrupling": 4, "halved": 0.5,
                  "halving": 0.5, "halves": 0.5}
FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
ADJ_MULTIPLES = {"double": 2, "triple": 3, "twice": 2, "quadruple": 4, "half": 0.5}

DIGIT_NUM = (r"(?:\d{1,3}(?: *[\u00a0\u202f\u2009]\d{3})+(?:,\d+)?"  # 3 188 with no-break/thin spaces
             r"|\d{1,3}(?: \d{3})+(?:,\d+)?(?=\s?(?:%|tonnes|tons|t\b|kg|per ?cent|yuan|euros|dollars|"
             r"zloty|złotych|million|billion))"  # 3 188 tonnes
             r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,234,567.89
             r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 1.234.567,89 (also 62.585: decided later)
             r"|\d+(?:[.,]\d+)?|\.\d+)")
# Each alternative opens with a lookahead on its possible first characters so the engine drops
# most positions before trying the long word lists (measured: the main cost of extraction).
ATOM_RE = re.compile(
    rf"(?=[\d.])(?<![\w.,/:#@&])(?:(?<![A-Za-z]-)|(?<=minus-)|(?<=\dbn-)|(?<=\dm-)|(?<=\dk-)"
    rf"|(?<=illion-))(?P<d>{DIGIT_NUM})(?![\d]|[.,]\d)"
    rf"|(?=[A-Z])(?<![\w])(?:EUR|USD|GBP|JPY|CNY|RMB|AUD|CAD|SGD|HKD|INR|CHF|RM|Rs)"
    rf"(?P<dc>{DIGIT_NUM})(?![\d]|[.,]\d)"
    rf"|(?=[tfsenhTFSENH\d])(?<![\w-])(?P<fold>{'|'.join(FOLD_WORDS)}|\d+(?:\.\d+)?-?fold"
    rf"|(?:two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred)-fold)\b"
    rf"|(?=[oatfOATF])(?<![\w-])(?P<frac>(?:one|a|two|three|four)[- ](?:half|thirds?|quarters?|fifths?|tenths?))"
    rf"(?=\s+(?:of|the|that|as|its|their|what|to|from|in|on)\b|[,.;]| less| more| lower| higher)"
    rf"|(?=[otfsenhzmbOTFSENHZMB])(?<![\w-])(?P<w>(?:{_NW})(?:(?:[\s-]+|\s+and\s+)(?:{_NW}))*)\b"
    rf"|(?=[hdtqHDTQ])(?<![\w-])(?P<vm>{'|'.join(VERB_MULTIPLES)})\b"
    rf"|(?=[mnaoltdMNAOLTD])(?<![\w-])(?P<adj>(?:more than|nearly|almost|about|over|less than) "
    rf"(?:double|triple|twice|half)|twice|double|triple)\b",
    re.I)


# Run on a lower-cased copy of the text (document.lowered): case-blind without re.I, which is
# markedly slower on these long word lists. Match positions index the original text.
ATOM_RE = re.compile(ATOM_RE.pattern.lower().replace("(?p<", "(?P<"))
# Every alternative starts where no word character precedes, with a digit, a dot or one of
# these words (currency codes, number, fold, fraction, verb and adjective multiples); checked
# once up front, most positions fail at once instead of in each alternative.
_ATOM_STARTS = (
    ["eur", "usd", "gbp", "jpy", "cny", "rmb", "aud", "cad", "sgd", "hkd", "inr", "chf", "rm", "rs"]
    + list(WORD_UNITS) + list(WORD_SCALES) + list(FOLD_WORDS) + list(VERB_MULTIPLES)
    + [f"{n}{sep}{d}" for n in ("one", "a", "two", "three", "four") for sep in "- "
       for d in ("half", "third", "quarter", "fifth", "tenth")]
    + [f"{h} {w}" for h in ("more than", "nearly", "almost", "about", "over", "less than")
       for w in ("double", "triple", "twice", "half")]
    + ["twice", "double", "triple"])
ATOM_RE = re.compile(rf"(?<!\w)(?=[\d.]|{prefix_guard(_ATOM_STARTS)})(?:{ATOM_RE.pattern})")


_WORD_SPLIT_RE = re.compile(r"[\s-]+")


def parse_words(words: str) -> Decimal | None:
    total, current = 0, 0
    for w in _WORD_SPLIT_RE.split(words.lower()):
        if w == "and" or not w:
            continue
        if w in WORD_UNITS:
            current += WORD_UNITS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in WORD_SCALES:
            total += (current or 1) * WORD_SCALES[w]
            current = 0
        else:
            return None
    return Decimal(total + current)


def parse_digits(raw: str) -> tuple[Decimal, int, list[Decimal] | None, str]:
    """Return (value, decimals shown, alternatives if ambiguous, style).

    style is one of: plain, comma-thousands, dot-thousands, decimal-comma, dot-3 (one dot, three
    decimals: English decimal or European thousands, to be decided by context).
    """
    if " " in raw or "\u00a0" in raw or "\u202f" in raw or "\u2009" in raw:
        raw = raw.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "")
        if "," in raw:
            intpart, dec = raw.split(",")
            return Decimal(f"{intpart}.{dec}"), len(dec), None, "space-thousands"
        return Decimal(raw), 0, None, "space-thousands"
    if "," in raw and "." in raw:
        if raw.rfind(".") > raw.rfind(","):
            intpart, dec = raw.replace(",", "").split(".")
            return Decimal(f"{intpart}.{dec}"), len(dec), None, "comma-thousands"
        intpart, dec = raw.replace(".", "").split(",")
        return Decimal(f"{intpart}.{dec}"), len(dec), None, "dot-thousands"
    if "," in raw:
        groups = raw.split(",")
        if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            return Decimal(raw.replace(",", "")), 0, None, "comma-thousands"
        if len(groups) == 2:
            return Decimal(f"{groups[0]}.{groups[1]}"), len(groups[1]), None, "decimal-comma"
        return Decimal(raw.replace(",", "")), 0, None, "comma-thousands"
    if raw.count(".") > 1:
        return Decimal(raw.replace(".", "")), 0, None, "dot-thousands"
    if "." in raw:
        intpart, dec = raw.split(".")
        if len(dec) == 3 and 1 <= len(intpart) <= 3 and intpart != "0":
            return Decimal(raw), 3, [Decimal(raw), Decimal(intpart + dec)], "dot-3"
        return Decimal(raw), len(dec), None, "plain"
    return Decimal(raw), 0, None, "plain"


# ---------------------------------------------------------------------------------------------
# what can stand after a number

SCALE_RE = re.compile(
    WS + r"*(?P<s>trillion|billion|million|thousand|crore|lakh|mil|mln|mn|bln|bn|tn|trn|k|m|b)\b"
    r"(?!-(?![\d$€£¥]))", re.I)
SCALES = {"crore": 10**7, "lakh": 10**5, "trillion": 10**12, "tn": 10**12, "trn": 10**12, "billion": 10**9, "bln": 10**9,
          "bn": 10**9, "b": 10**9, "million": 10**6, "mil": 10**6, "mln": 10**6, "mn": 10**6, "m": 10**6,
          "thousand": 10**3, "k": 10**3}

CURRENCY_WORDS = [
    (r"(?:u\.?s\.?|american) dollars?", "USD"), (r"hong kong dollars?", "HKD"),
    (r"australian dollars?", "AUD"), (r"canadian dollars?", "CAD"), (r"singapore dollars?", "SGD"),
    (r"(?:new )?taiwan dollars?", "TWD"), (r"dollars?", "USD"), (r"usd", "USD"),
    (r"yuan|renminbi|rmb|cny", "CNY"), (r"euros?|eur", "EUR"), (r"yen|jpy", "JPY"),
    (r"pounds? sterling|sterling|gbp", "GBP"), (r"(?:south korean |korean )?won", "KRW"),
    (r"rupees?|inr", "INR"), (r"ringgit", "MYR"), (r"roubles?|rubles?", "RUB"),
    (r"swiss francs?|francs?", "CHF"), (r"pesos?", "MXN"), (r"reais", "BRL"), (r"baht", "THB"),
    (r"dong", "VND"), (r"shekels?", "ILS"), (r"danish crowns?|crowns?|kroner|krona", "DKK"),
]
# (regex, unit, kind); first match wins, so longer phrases come first.
UNIT_TABLE: list[tuple[str, str | None, str]] = [
    (r"percentage[- ]points?|pct[- ]points?|ppts?|pp|% points?", "pp", "percentage_points"),
    (r"basis[- ]points?|bps|bp", "bp", "basis_points"),
    (r"%|per ?cent|pct|percent|pc(?![\w])", "pct", "percent"),
    (r"short tons?", "short_ton", "mass"), (r"long tons?", "long_ton", "mass"),
    (r"metric (?:tons?|tonnes?)|tonnes?|tons?|mts?|MTs?|t(?![\w'’])", "t", "mass"),
    (r"Mt(?![\w])|megatonnes?|megatons?", "Mt", "mass"),
    (r"kilotonnes?|kilotons?|kt(?![\w])", "kt", "mass"),
    (r"kilogrammes?|kilograms?|kgs?|kilos?", "kg", "mass"),
    (r"grams?(?![\w])|g(?=\s)", "g", "mass"),
    (r"pounds?|lbs?", "lb", "mass"), (r"ounces?|oz", "oz", "mass"),
    (r"barrels? (?:per|a) day|bpd", "bbl/d", "other"), (r"barrels?", "bbl", "other"),
    (r"(?:-| )?years?[- ]old|years? of age", "year", "age"),
    (r"years?|yrs?", "year", "duration"), (r"decades?", "decade", "duration"),
    (r"months?", "month", "duration"), (r"weeks?", "week", "duration"),
    (r"days?", "day", "duration"), (r"hours?|hrs?", "hour", "duration"),
    (r"minutes?|mins?", "minute", "duration"), (r"seconds?|secs?", "second", "duration"),
    (r"kilometres? per hour|kilometers? per hour|km/h|kph", "km/h", "speed"),
    (r"miles? per hour|mph", "mph", "speed"), (r"miles? per gallon|mpg", "mpg", "other"),
    (r"square (?:metres?|meters?)|sq m|m2", "m2", "area"),
    (r"square (?:kilometres?|kilometers?)|sq km|km2", "km2", "area"),
    (r"square (?:feet|foot)|sq ft", "sq_ft", "area"), (r"hectares?|ha(?![\w])", "ha", "area"),
    (r"acres?", "acre", "area"),
    (r"kilometres?|kilometers?|km", "km", "length"), (r"miles?", "mile", "length"),
    (r"millimetres?|millimeters?|mm", "mm", "length"),
    (r"centimetres?|centimeters?|cm", "cm", "length"),
    (r"metres?|meters?", "m", "length"), (r"feet|foot|ft", "ft", "length"),
    (r"inches|inch", "inch", "length"), (r"yards?|yds?", "yard", "length"),
    (r"gigawatt[- ]hours?|GWh", "GWh", "energy"), (r"megawatt[- ]hours?|MWh", "MWh", "energy"),
    (r"kilowatt[- ]hours?|kWh", "kWh", "energy"), (r"terawatt[- ]hours?|TWh", "TWh", "energy"),
    (r"gigawatts?|GW", "GW", "power"), (r"megawatts?|MW", "MW", "power"),
    (r"kilowatts?|kW", "kW", "power"), (r"horsepower|hp", "hp", "power"),
    (r"degrees? (?:celsius|c)|°C|celsius|centigrade", "celsius", "temperature"),
    (r"degrees? (?:fahrenheit|f)|°F|fahrenheit", "fahrenheit", "temperature"),
    (r"degrees?", "degree", "other"),
    (r"gigabytes?|GB", "GB", "other"), (r"terabytes?|TB", "TB", "other"),
    (r"litres?|liters?", "litre", "other"), (r"gallons?", "gallon", "other"),
    (r"points?|pts", "point", "other"),
    (r"gigahertz|GHz", "GHz", "other"), (r"megahertz|MHz", "MHz", "other"),
    (r"hertz|Hz", "Hz", "other"), (r"micrometres?|micrometers?|μm|microns?", "um", "length"),
    (r"parts? per billion|ppb", "ppb", "other"), (r"parts? per million|ppm", "ppm", "other"),
    (r"milliampere[- ]hours?|mAh", "mAh", "other"), (r"″", "inch", "length"),
    (r"cents?", "cent", "money"), (r"pence|p(?=\s)", "pence", "money"), (r"sen", "sen", "money"),
    (r"milligrams?|mg", "mg", "mass"), (r"megabits? per second|Mbps", "Mbps", "other"),
    (r"brake horsepower|bhp", "bhp", "power"), (r"-month-old|months? old", "month_of_age", "age"),
]
CURRENCY_SUFFIX_RE = re.compile(
    WS + "+(?:of" + WS + "+)?(?P<c>" + "|".join(f"(?:{p})" for p, _ in CURRENCY_WORDS) + r")\b", re.I)
PERCENT_AFTER_RE = re.compile(WS + r"*-?" + WS + r"?(?:%|per ?cent|pct|percent)(?![A-Za-z])", re.I)
# case matters for MT/mt/Mt and t: MT and mt are metric tons, Mt is megatonnes.
def _unit_alternative(i: int, pat: str, unit: str | None) -> str:
    if unit == "t":
        body, ci = UNIT_RE_CASED["t"].pattern, True
    elif unit == "Mt":
        body, ci = UNIT_RE_CASED["Mt"].pattern, False
    else:
        body = WS + "*-?" + WS + "?(?:" + pat + r")(?![A-Za-z])"
        ci = not (pat[0].isupper() or "MT" in pat or "Mt" in pat or "GW" in pat)
    return f"(?P<u{i}>" + (f"(?i:{body})" if ci else body) + ")"



UNIT_RE_CASED = {"t": re.compile(WS + "*-?" + WS + r"?(?:metric (?:tons?|tonnes?)|tonnes?|tons?|mts?|MTs?|t(?![\w'’]))(?![A-Za-z])", re.I),
                 "Mt": re.compile(WS + r"*(?:Mt(?![\w])|MMT(?![\w])|[Mm]egatonnes?|[Mm]egatons?)")}
# All unit rows as one alternation: the engine tries them in table order, so the first row that
# matches wins, as before, in one call instead of one per row.
UNIT_ROWS = [(unit, kind) for _, unit, kind in UNIT_TABLE]
UNIT_ANY_RE = re.compile("|".join(_unit_alternative(i, pat, unit)
                                  for i, (pat, unit, _) in enumerate(UNIT_TABLE)))
TIMES_RE = re.compile(r"[ \t]+times\b(?![ \t]+(?:a|per|each|every|in a|this|that|so far)\b)", re.I)
FOLD_SUFFIX_RE = re.compile(r"-?fold\b", re.I)
GLUED_X_RE = re.compile(r"x\b(?!\s*\d)")  # "rose 7x" (but not "3x4")
PERSON_NOUNS = {"people", "persons", "workers", "employees", "staff", "jobs", "residents",
                "passengers", "students", "users", "customers", "fans", "children", "adults",
                "migrants", "patients", "voters", "members", "soldiers", "officials", "visitors"}
NOUN_RE = re.compile(r"[ \t]+(?P<mods>(?:(?:new|more|additional|other|of|full-time|metric|[A-Z][a-z]+|"
                     r"[a-z]+-[a-z]+)[ \t]+){0,2})"
                     r"(?P<n>[a-z][a-z-]{2,})\b(?:[ \t]+(?P<n2>[a-z]{3,}s)\b)?")
NOUN_MODIFIERS_DROPPED = {"new", "more", "additional", "other", "of"}
NOT_COUNT_NOUNS = {"and", "or", "the", "to", "from", "in", "on", "at", "a", "an", "of", "for",
                   "with", "by", "as", "than", "that", "which", "who", "is", "was", "were",
                   "are", "be", "has", "have", "had", "said", "compared", "according", "but",
                   "per", "while", "after", "before", "since", "during", "this", "its", "their",
                   "up", "down", "higher", "lower", "more", "less", "fewer", "into", "over",
                   "under", "about", "when", "if", "it", "he", "she", "they", "we", "will",
                   "would", "could", "also", "so", "not", "times", "fold"}

CURRENCY_PREFIX_RE = re.compile(
    r"(?P<c>US\s?\$|\$US|U\.S\.\s?\$|USD\s?|HK\s?\$|A\$|\$A|AU\$|AUD\s?|C\$|CA\$|CAD\s?|(?<![A-Z])S\s?\$|SGD\s?|NT\$|NZ\$|R\$|RM"
    r"|RMB\s?|CNY\s?|EUR\s?|GBP\s?|JPY\s?|Rs\.?\s?|\$|€|£|¥|₹|₩)" + WS + "*$")
PREFIX_CODES = {"HK $": "HKD", "US $": "USD", "$US": "USD", "$A": "AUD", "RM": "MYR", "S $": "SGD", "US$": "USD", "U.S.$": "USD", "USD": "USD", "HK$": "HKD", "A$": "AUD",
                "AU$": "AUD", "AUD": "AUD", "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "S$": "SGD",
                "SGD": "SGD", "NT$": "TWD", "NZ$": "NZD", "R$": "BRL", "RMB": "CNY", "CNY": "CNY",
                "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "Rs": "INR", "Rs.": "INR", "$": "USD",
                "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}

HEDGES = [
    ("just over", ">"), ("just under", "<"), ("just above", ">"), ("just below", "<"),
    ("a little over", ">"), ("a little more than", ">"), ("slightly more than", ">"),
    ("slightly less than", "<"), ("well over", ">"), ("well above", ">"), ("well below", "<"),
    ("more than", ">"), ("over", ">"), ("above", ">"), ("in excess of", ">"), ("upwards of", ">"),
    ("at least", ">="), ("no less than", ">="), ("not less than", ">="), ("as much as", "<="),
    ("as many as", "<="), ("as high as", "<="), ("up to", "<="), ("at most", "<="),
    ("no more than", "<="), ("not more than", "<="), ("less than", "<"), ("fewer than", "<"),
    ("under", "<"), ("below", "<"), ("nearly", "~<"), ("almost", "~<"), ("close to", "~<"),
    ("approximately", "~"), ("approx.", "~"), ("about", "~"), ("around", "~"),
    ("roughly", "~"), ("some", "~"), ("an estimated", "~"), ("estimated", "~"), ("circa", "~"),
    ("an approximate", "~"), ("approximate", "~"),
]
HEDGE_RE = re.compile(
    r"(?<![\w-])(?P<h>" + "|".join(re.escape(h) for h, _ in HEDGES) + r")\s+(?:a |an )?$", re.I)
HEDGE_REL = dict(HEDGES)
HEDGE_LAST_WORDS = {h.split()[-1].lower() for h, _ in HEDGES}
HEDGE_AFTER_RE = re.compile(r"\s*(?P<h>or so|or more|or less|plus)\b", re.I)

UP_WORDS = (
    "rose|rise|rises|rising|risen|jumped|jump|jumps|jumping|surged|surge|surges|surging|soared|"
    "soar|soars|soaring|climbed|climb|climbs|climbing|increased|increase|increases|increasing|"
    "grew|grow|grows|growing|grown|growth|gained|gain|gains|gaining|rebounded|rebound|rebounds|"
    "rebounding|up|higher|advanced|advance|spiked|spike|skyrocketed|skyrocketing|rocketed|"
    "expanded|expand|expanding|leapt|leaped|leap|recovered|recovery|boosted|boost|hike|hiked|"
    "raised|added|more|upswing|uptick|accelerated|rises|jumps|surges|soars|climbs|gains|grows|"
    "rebounds|leaps|spikes|doubles|triples")
DOWN_WORDS = (
    "fell|fall|falls|falling|fallen|dropped|drop|drops|dropping|declined|decline|declines|"
    "declining|slumped|slump|slumps|slumping|plunged|plunge|plunges|plunging|tumbled|tumble|"
    "tumbling|decreased|decrease|decreases|decreasing|down|lower|slid|slide|slides|sliding|sank|"
    "sink|sinking|shrank|shrink|shrinking|shrunk|contracted|contract|contraction|eased|easing|"
    "slipped|slip|dipped|dip|dips|plummeted|plummet|plummeting|retreated|cut|cuts|lost|loss|"
    "losses|less|reduced|reduction|slowed|downturn|fewer|weaker|crashed|collapsed|sagged|"
    "dwindled|lowest|sinks|sunk|slumps|plunges|tumbles|tumbled|slides|dips|eases|slips|"
    "plummets|retreats|shrinks|contracts|declines|drops|falls")
UP_SET = set(UP_WORDS.split("|"))
DOWN_SET = set(DOWN_WORDS.split("|"))
DIR_WORD_RE = re.compile(rf"\b({UP_WORDS}|{DOWN_WORDS})\b", re.I)
DIR_SET = UP_SET | DOWN_SET
WORD_RE = re.compile(r"\b([A-Za-z]+)\b")
DIR_AFTER_RE = re.compile(
    r"\s*(?:(?:year-on-year|month-on-month|y/y|m/m|yoy|mom|on-year|on-month|annual|monthly|"
    r"annualised|annualized|sequential|quarterly)\s+)?(?P<w>" + UP_WORDS + "|" + DOWN_WORDS + r"|above|below)\b",
    re.I)

MONTH_NAMES = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
               r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
DATE_AFTER_MONTH_RE = re.compile(rf"(?:{MONTH_NAMES})\.?\s+$", re.I)
DATE_BEFORE_MONTH_RE = re.compile(rf"\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTH_NAMES})\b", re.I)
TIME_AFTER_RE = re.compile(r"\s*(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])|:\d\d\b", re.I)
ORDINAL_RE = re.compile(r"(?:st|nd|rd|th)\b", re.I)
READ_TIME_RE = re.compile(r"\s*[-\s]?min(?:ute)?s?\.?\s+read(?:ing)?\b", re.I)
FURNITURE_BEFORE_RE = re.compile(
    r"(?:\b(?:views?|reads?|comments?|shares?|likes?|replies|followers|reading time)\s*[:(]\s*"
    r"|\b(?:GMT|UTC)\s?[+-]|\bpage\s+)$", re.I)
FURNITURE_AFTER_RE = re.compile(
    r"\s*(?:comments?|views|reads|shares|likes|replies|articles?\s*$|min(?:ute)?s?\.?\s+read(?:ing)?\b"
    r"|(?:hours?|minutes?|mins?|days?|weeks?)\s+ago\b)", re.I)
PERIOD_COUNT_RE = re.compile(r"[ \t]+(?:months?|quarters?|weeks?|years?)\b", re.I)
DATE_TOKEN_RE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}(?:T[\d:]+)?")


def _in_date_token(view: str, start: int, end: int) -> bool:
    a, b = start, end
    while a > 0 and (view[a - 1].isdigit() or view[a - 1] in "-/."):
        a -= 1
    while b < len(view) and (view[b].isdigit() or view[b] in "-/.T:"):
        b += 1
    token = view[a:b].rstrip(".-/:")
    return bool(DATE_TOKEN_RE.fullmatch(token)) and token.count(token[len(_RE_18.match(token).group(0))]) >= 2

# Bare integers right after these words are names or identifiers, not quantities.
NAME_BEFORE_RE = re.compile(
    r"(?:\b(?:Section|Article|Chapter|Rule|Phase|Model|Series|Class|Type|Level|Version|No\.?|"
    r"Number|Room|Row|Gate|Route|Highway|Interstate|Flight|Page|Item|Line|Grade|Stage|Tier|"
    r"Category|Form|Title|Act|Resolution|Announcement|Decree|Order|Batch|Round|Group|Block|Unit|"
    r"Channel|Apollo|Windows|iPhone|Galaxy|Pixel|Boeing|Airbus|Covid|COVID|Vol\.?|Issue|Ch\.|"
    r"S&P|Stoxx|STOXX|FTSE|Nikkei|CSI|Russell|Nasdaq|ASX|KOSPI|Sensex|Nifty|DAX|CAC|MSCI|Dow|"
    r"ZIP [Cc]ode|zip code|postcode|Postcode|Fortune|Global|Forbes)|"
    r"#|No\.)\s*$")
HS_CONTEXT_RE = re.compile(r"\b(?:HS|code|codes|heading|subheading|tariff line|line)\s*(?:No\.?\s*)?$",
                           re.I)


def _is_year(raw: str) -> bool:
    """A bare four-digit number from 1800 to 2100; the caller keeps "2025 tons" as a quantity."""
    return len(raw) == 4 and raw.isdigit() and 1800 <= int(raw) <= 2100


# Aggregator pages put widgets between stories ("Bias Distribution / - 43% of the sources are
# Center"). Short lines under one of these headers are page furniture, not copy.
FURNITURE_HEADER_RE = re.compile(
    r"\s*(?:Bias Distribution|Coverage Details|Factuality|Related (?:Articles|Stories|Coverage)|"
    r"Trending(?: Now)?|Most (?:Read|Popular|Viewed)|Recommended(?: for you)?|Read More|"
    r"Share this(?: article)?|Comments|Newsletter|Sponsored(?: Content)?)\s*:?\s*$", re.I)


def _furniture_paragraphs(doc: Document) -> set[int]:
    out: set[int] = set()
    in_block = False
    for pi, para in enumerate(doc.paragraphs):
        line = doc.view[para.start:para.end]
        if FURNITURE_HEADER_RE.fullmatch(line):
            in_block = True
            out.add(pi)
        elif in_block and len(line.strip()) <= 90:
            out.add(pi)
        else:
            in_block = False
    return out


def find_mentions(doc: Document) -> list[Mention]:
    mentions: list[Mention] = []
    view = doc.view
    furniture = _furniture_paragraphs(doc)
    for si, sent in enumerate(doc.sentences):
        if sent.paragraph in furniture:
            continue
        mentions.extend(_sentence_mentions(doc, view, si, sent.start, sent.end))
    _resolve_ambiguity(doc, mentions)
    return mentions


def _sentence_mentions(doc: Document, view: str, si: int, s0: int, s1: int) -> list[Mention]:
    out: list[Mention] = []
    for m in ATOM_RE.finditer(lowered(view), s0, s1):
        mention = _atom_to_mention(doc, view, si, s0, s1, m)
        if mention is not None:
            out.append(mention)
    out = _merge_ranges(doc, view, out)
    _share_price_units(view, out)
    for i, men in enumerate(out):
        _direction(view, s0, s1, men, out[i - 1] if i else None)
    return out


PRICE_LINK_RE = re.compile(r"\s*(?:\S+\s+){0,6}?(?:from|to|than|compared\s+with|versus|against)\s+"
                           r"(?:about\s+|roughly\s+|around\s+|nearly\s+|some\s+)?$", re.I)


def _share_price_units(view: str, mentions: list[Mention]) -> None:
    """ "climbed to $9,000 per ton from roughly $8,300 a year earlier": the base is a price too."""
    for a, b in pairwise(mentions):
        if a.kind != "money" or b.kind != "money" or not a.unit or not b.unit:
            continue
        if "/" in a.unit and b.unit == a.unit.split("/")[0]:
            rate, plain = a, b
        elif "/" in b.unit and a.unit == b.unit.split("/")[0]:
            rate, plain = b, a
        else:
            continue
        if PRICE_LINK_RE.fullmatch(view[a.end:b.start]):
            plain.unit = rate.unit


def _line_start(view: str, pos: int) -> int:
    return view.rfind("\n", 0, pos) + 1


def _atom_to_mention(doc: Document, view: str, si: int, s0: int, s1: int,
                     m: re.Match) -> Mention | None:
    start, end = m.start(), m.end()
    left = view[max(s0, start - 40):start]
    right = view[end:min(s1, end + 60)]
    value: Decimal
    decimals = 0
    alternatives = None
    style = "plain"
    unit: str | None = None
    kind = "count"
    hedge = None
    if m.group("fold"):
        raw = m.group("fold").lower()
        if raw in FOLD_WORDS:
            value = Decimal(FOLD_WORDS[raw])
        elif raw.endswith("-fold") and raw[:-5] in WORD_UNITS | WORD_SCALES:
            value = Decimal((WORD_UNITS | WORD_SCALES)[raw[:-5]])
        else:
            num = _RE_47.match(raw).group(0)
            value = Decimal(num)
            decimals = len(num.split(".")[1]) if "." in num else 0
        return _finish(doc, view, si, s0, s1, start, end, value, "x", "multiple", decimals, None,
                       None, start, end)
    if m.group("frac"):
        num_word, den_word = m.group("frac").lower().replace("-", " ").split()
        numerator = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4}[num_word]
        value = Decimal(numerator) / Decimal(FRACTIONS[den_word.rstrip("s")])
        return _finish(doc, view, si, s0, s1, start, end, value.quantize(Decimal("0.0001")).normalize(),
                       "x", "multiple", 0, None, None, start, end)
    if m.group("vm"):
        value = Decimal(str(VERB_MULTIPLES[m.group("vm").lower()]))
        men = _finish(doc, view, si, s0, s1, start, end, value, "x", "multiple", 0, None, None,
                      start, end)
        word = m.group("vm").lower()
        men.direction = "down" if word.startswith("halv") else "up"
        men.verb = m.group("vm")
        return men
    if m.group("adj"):
        text = m.group("adj").lower()
        parts = text.rsplit(" ", 1)
        if len(parts) == 2:
            hedge = parts[0]
            word = parts[1]
        else:
            word = text
        # "twice", "double" alone are multiples only when comparative: "twice as", "double the".
        if word in ("twice", "double", "triple") and not hedge and not _RE_24.match(right):
            return None
        value = Decimal(str(ADJ_MULTIPLES[word]))
        men = _finish(doc, view, si, s0, s1, start, end, value, "x", "multiple", 0, None, None,
                      start, end)
        if hedge:
            men.hedge, men.hedge_relation = hedge, HEDGE_REL.get(hedge, "~")
        return men
    if m.group("w"):
        words = m.group("w")
        low = words.lower()
        value = parse_words(words)
        if value is None:
            return None
        # "one" and bare scale words are pronouns/determiners far more often than figures.
        if low in WORD_SCALES or low.startswith(("hundred", "thousand", "million", "billion")):
            return None
        if _RE_8.search(left) and not TIMES_RE.match(right):
            return None
        if low == "one" and not (PERCENT_AFTER_RE.match(right) or TIMES_RE.match(right)
                                 or SPELLED_RANGE_RE.match(right)
                                 or _RE_43.match(right)):
            return None
        if _RE_9.match(right) and not _RE_25.match(right):
            return None  # "a six-month high", "two-way", "one-time": adjectives, not figures
        raw_num = words
    else:
        raw_num = m.group("d") or m.group("dc")
        if m.group("dc"):
            start = m.start("dc")  # the code glued before it is read as a currency prefix below
        # ---- never claims ---------------------------------------------------------------
        if _RE_10.search(left) and _RE_11.match(right):
            return None  # citation marker [1]
        line_start = _line_start(view, start)
        if not view[line_start:start].strip() and _RE_12.match(view[end:end + 2]) \
                and "." not in raw_num:
            return None  # list number "1. ..."
        if (left.rstrip()[-1:] in (":", "(", "+", "-") or left[-5:].lower() == "page ") \
                and FURNITURE_BEFORE_RE.search(left) or FURNITURE_AFTER_RE.match(view, end, s1 + 40):
            return None  # "Views: 1,284", "12 comments", "Updated 2 hours ago", "GMT+8"
        if _in_date_token(view, start, end):
            return None  # 20-08-2025, 2025/08/20, 2025-08-20T11:07
        if len(raw_num) == 2 and _RE_13.search(left):
            return None  # the second year of a split year: "2025-26", "2024/25"
        if PERIOD_COUNT_RE.match(right) and _RE_14.search(left):
            return None  # "the first 11 months of 2024": part of a period, not a figure
        if _RE_15.match(right) and not _RE_26.match(right):
            return None  # product or model code: "5G", "A100" (letter glued after)
        if _RE_1.match(right):
            return None  # decades: "1990s"
        if TIME_AFTER_RE.match(right):
            return None
        if READ_TIME_RE.match(right):
            return None
        if ORDINAL_RE.match(right):
            return None  # ordinals "20th"
        if len(raw_num) <= 2 and raw_num.isdigit() and DATE_AFTER_MONTH_RE.search(left) \
                and not _RE_27.match(right):
            return None  # "July 20"
        if _RE_16.fullmatch(raw_num) and DATE_BEFORE_MONTH_RE.match(right):
            return None  # "20 July"
        if _RE_17.match(right) or _RE_28.search(left) and _RE_29.fullmatch(raw_num):
            if _RE_30.fullmatch(raw_num) and _RE_31.match(right + "/"):
                return None  # ISO and slash dates
        if (len(raw_num) >= 4 and HS_CONTEXT_RE.search(left)) or (_RE_32.fullmatch(raw_num)
                                          and not _RE_44.match(right)
                                          and not CURRENCY_PREFIX_RE.search(left)):
            return None  # HS codes and other identifiers
        if raw_num.isdigit() and NAME_BEFORE_RE.search(left) \
                and not _RE_33.match(right):
            return None
        if _RE_18.fullmatch(raw_num) and _is_year(raw_num):
            if not (_RE_45.match(right) or CURRENCY_PREFIX_RE.search(left)):
                return None
        value, decimals, alternatives, style = parse_digits(raw_num)
        # page furniture: a short line that is just "<n> Articles", "12 comments"
        line_end = view.find("\n", end)
        line_end = len(view) if line_end < 0 else line_end
        line = view[line_start:line_end].strip()
        if line_start == start and len(line) <= 30 and _RE_19.fullmatch(line) and not PERCENT_AFTER_RE.match(right) \
                and not _unit_after(view, end, s1)[0]:
            return None
    # ---- a figure: currency before, scale and unit after ---------------------------------
    num_start, num_end = start, end
    cur = CURRENCY_PREFIX_RE.search(view[max(s0, start - 16):start])
    currency = None
    if cur:
        code = cur.group("c").strip()
        currency = PREFIX_CODES.get(code) or PREFIX_CODES.get(code.replace(" ", ""))
        if currency == "JPY" and _RE_20.search(view[s0:s1]):
            currency = "CNY"  # ¥ in China copy is the yuan
        start = start - len(cur.group(0))
        # a currency sign written as an entity (&euro;, &#36;): take the whole entity
        while start > s0 and view[start - 1] == " " and not doc.text[start - 1].isspace():
            start -= 1
    scale = 1
    sm = SCALE_RE.match(view, end, s1)
    if sm:
        s = sm.group("s").lower()
        after = view[sm.end():min(s1, sm.end() + 30)]
        single = s in ("m", "b", "k")
        ok = True
        if single:
            # "5m" is five million only with money or a counted noun after; otherwise metres.
            ok = bool(currency) or bool(_unit_after(view, sm.end(), s1)[0]) or \
                bool(CURRENCY_SUFFIX_RE.match(view, sm.end(), s1)) or \
                bool(_RE_46.match(after))
            if s == "m" and sm.group(0)[:1].isspace():
                ok = ok and bool(currency)
            if re.match(r"-\d+(?:\.\d+)?" + re.escape(s) + r"\b", view[sm.end():sm.end() + 12], re.I):
                ok = True  # "10m-12m tonnes", "$1bn-2bn": a range of scaled numbers
            if s == "k" and not sm.group(0)[:1].isspace():
                ok = True  # "25k": thousands; no unit is written "k" glued to a number
        if ok:
            scale = SCALES[s]
            end = sm.end()
    if scale != 1:
        value = value * scale
        alternatives = None if alternatives is None else [a * scale for a in alternatives]
    if not currency:
        sym = SYMBOL_SUFFIX_RE.match(view, end, s1)
        if sym:
            currency, end = PREFIX_CODES[sym.group("c")], sym.end()
    if currency:
        unit, kind = currency, "money"
        rate = RATE_RE.match(view, end, s1)
        if rate:
            # "US$8,818 per ton", "$52 a barrel": a price, not an amount
            unit, end = f"{currency}/{RATE_UNITS.get(rate.group('d').lower(), rate.group('d').lower())}", rate.end()
        # "$301.8m" done; "US$ 2 billion dollars" rare
    else:
        cm = CURRENCY_SUFFIX_RE.match(view, end, s1)
        u, k, uend = _unit_after(view, end, s1)
        if u and (not cm or uend - end <= cm.end() - end):
            unit, kind, end = u, k, uend
            if u == "lb" and _RE_34.search(view[s0:s1]):
                unit, kind = "GBP", "money"
        elif cm:
            unit, kind, end = _currency_code(cm.group("c")), "money", cm.end()
            rate = RATE_RE.match(view, end, s1)
            if rate:  # "2,100 yuan per tonne": a price
                unit = f"{unit}/{RATE_UNITS.get(rate.group('d').lower(), rate.group('d').lower())}"
                end = rate.end()
        else:
            tm = TIMES_RE.match(view, end, s1)
            fm = FOLD_SUFFIX_RE.match(view, end, s1) or GLUED_X_RE.match(view, end, s1)
            if fm:
                unit, kind, end = "x", "multiple", fm.end()
            elif tm:
                unit, kind, end = "x", "multiple", tm.end()
            else:
                helped = _secondary_unit(view, s0, s1, end, value) if m.group("d") else None
                if helped:
                    men = _finish(doc, view, si, s0, s1, start, helped[2], value, helped[0],
                                  helped[1], decimals, alternatives, style, num_start, num_end)
                    men.notes.append("unit from quantulum3")
                    return men
                nm = NOUN_RE.match(view, end, s1)
                noun = nm.group("n").lower() if nm else None
                if noun and noun not in NOT_COUNT_NOUNS and not DIR_WORD_RE.fullmatch(noun):
                    men = _finish(doc, view, si, s0, s1, start, end, value, None, "count",
                                  decimals, alternatives, style, num_start, num_end)
                    # the counted thing as a phrase: "European countries", "heart transplants"
                    words = [w.lower() for w in nm.group("mods").split()
                             if w.lower() not in NOUN_MODIFIERS_DROPPED] + [noun]
                    n2 = nm.group("n2")
                    if n2 and not noun.endswith("s") and n2.lower() not in NOT_COUNT_NOUNS:
                        words.append(n2.lower())
                    men.noun = " ".join(words)
                    men.unit = "people" if words[-1] in PERSON_NOUNS else None
                    return men
                if m.group("w") and not SPELLED_RANGE_RE.match(view, end, s1):
                    return None  # a spelled-out number with nothing measurable after it
                # "Smith, 62, said": an age
                if _RE_49.search(left) and _RE_50.match(right) \
                        and 15 <= value <= 110:
                    return _finish(doc, view, si, s0, s1, start, end, value, "year", "age",
                                   decimals, None, style, num_start, num_end)
                if _RE_48.search(left):
                    return _finish(doc, view, si, s0, s1, start, end, value, "year", "age",
                                   decimals, None, style, num_start, num_end)
    return _finish(doc, view, si, s0, s1, start, end, value, unit, kind, decimals, alternatives,
                   style, num_start, num_end)


# Set FACTCHECK_SECONDARY=off to never call quantulum3 (the rules alone decide).
SECONDARY = os.environ.get("FACTCHECK_SECONDARY", "quantulum") != "off"
KNOWN_WORDS = NOT_COUNT_NOUNS | PERSON_NOUNS


def _secondary_unit(view: str, s0: int, s1: int, end: int,
                    value: Decimal) -> tuple[str, str, int] | None:
    if not SECONDARY:
        return None
    from . import quantulum_adapter

    tok = quantulum_adapter.needs_help(view, end, s1, KNOWN_WORDS)
    if tok is None:
        return None
    found = quantulum_adapter.unit_for(view[s0:s1], value)
    if found is None:
        return None
    name, entity = found
    tok_end = view.find(tok, end) + len(tok)
    return name, entity if entity in ("length", "mass", "time", "currency") else "other", tok_end


def _currency_code(word: str) -> str:
    low = word.lower()
    for pat, code in CURRENCY_WORDS:
        if re.fullmatch(pat, low):
            return code
    return low.upper()


def _unit_after(view: str, pos: int, limit: int) -> tuple[str | None, str, int]:
    """The unit right after a number: the first row of UNIT_TABLE that matches, in one pass."""
    um = UNIT_ANY_RE.match(view, pos, limit)
    if um is None:
        return None, "count", pos
    unit, kind = UNIT_ROWS[int(um.lastgroup[1:])]
    if unit == "t" and um.group(0).strip(" \t-") == "Mt":
        unit = "Mt"  # the case-insensitive tonnes row also sees "Mt": megatonnes
    return unit, kind, um.end()


def _finish(doc: Document, view: str, si: int, s0: int, s1: int, start: int, end: int,
            value: Decimal, unit: str | None, kind: str, decimals: int,
            alternatives: list[Decimal] | None, style: str | None, num_start: int,
            num_end: int) -> Mention:
    men = Mention(start=start, end=end, text=doc.text[start:end], value=value, unit=unit,
                  kind=kind, sentence=si, num_start=num_start, num_end=num_end,
                  decimals=decimals)
    if alternatives and style == "dot-3":
        men.ambiguous = {"alternatives": alternatives, "style": style}
    neg = NEGATIVE_BEFORE_RE.search(view, max(s0, start - 8), start)
    if neg and kind in ("temperature", "money", "count", "other") and isinstance(value, Decimal):
        # "minus 387 Fahrenheit", "a net loss of -$5m": a negative level. Signed percentages
        # ("Stoxx 50 -1.3%") are changes and keep their sign as the direction instead.
        men.value = -value
        men.start = start = neg.start()
        men.text = doc.text[start:end]
    left = view[max(s0, start - 40):start]
    # the regex only runs when the word before the number can end a hedge phrase
    words = left.split()
    if words and words[-1].lower() in ("a", "an"):
        words = words[:-1]
    hm = HEDGE_RE.search(left) if words and words[-1].lower() in HEDGE_LAST_WORDS else None
    if hm and hm.group("h").lower() == "up to" and _RE_2.search(left):
        hm = None  # "added up to 16,001 tonnes": a sum, not a ceiling
    if hm:
        h = hm.group("h").lower()
        # "over" and "under" are hedges only before the number, not "over the year".
        men.hedge, men.hedge_relation = h, HEDGE_REL[h]
        men.start = hm.start() + max(s0, start - 40)
        men.text = doc.text[men.start:men.end]
    else:
        am = HEDGE_AFTER_RE.match(view, end, s1)
        if am and am.group("h").lower() in ("or so", "or more", "plus"):
            h = am.group("h").lower()
            men.hedge, men.hedge_relation = h, {"or so": "~", "or more": ">=", "plus": ">="}[h]
    return men


SPELLED_RANGE_RE = re.compile(rf"\s*(?:-|–|to|or)\s*(?:{_NW}|\d)", re.I)
NEGATIVE_BEFORE_RE = re.compile(r"(?:(?<=[\s(])|^)(?:minus[\s-]+|[-−])$", re.I)
SYMBOL_SUFFIX_RE = re.compile(r"\s?(?P<c>€|£|\$)(?![\w$])")
RATE_RE = re.compile(r"\s*(?:a|an|per|/)\s*(?P<d>metric ton|metric tonne|tonne|ton|mt|t|barrel|bbl|month|"
                     r"year|share|square foot|square metre|sq ft|gallon|bushel|bu|hour|day|week|kg|"
                     r"kilogram|pound|lb|ounce|oz|litre|liter|unit|head|person|night)\b"
                     # "$8,300 a year earlier" is a comparison, not a yearly rate
                     r"(?!\s+(?:earlier|ago|before|later|on\b|in\s+advance))", re.I)
RATE_UNITS = {"metric ton": "t", "metric tonne": "t", "tonne": "t", "ton": "t", "t": "t", "mt": "t",
              "bu": "bushel", "bbl": "barrel", "kilogram": "kg",
              "lb": "pound", "oz": "ounce", "liter": "litre", "sq ft": "square foot"}


def _merge_ranges(doc: Document, view: str, mentions: list[Mention]) -> list[Mention]:
    """"10-15%", "between 5,000 and 6,000 tons", "$1.8-2.7 billion" -> one range mention."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        if b is not None and isinstance(a.value, Decimal) and isinstance(b.value, Decimal):
            gap = view[a.end:b.num_start if b.start == b.num_start else b.start]
            before = view[max(0, a.start - 30):a.start].lower()
            between = _RE_35.fullmatch(gap) and _RE_36.search(before)
            # "from 5 to 6" is usually a change; "prices range from $370,000 to $5.5 million" is not
            spread = _RE_21.search(before)
            # "rose 1,950 tons to 22,319 tons" is a change and a level, not a range
            moved = any(w.lower() in DIR_SET for w in before.split()[-2:])
            dash = _RE_37.fullmatch(gap) or (
                _RE_38.fullmatch(gap) and not moved
                and (spread or not _RE_39.search(before)))
            # "$62 to $68 per share": the rate after the second number covers both
            same_unit = a.unit in (None, b.unit) or bool(
                a.unit and b.unit and b.unit.startswith(a.unit + "/"))
            # "$1.8-2.7 billion": the second number is bare, the first carries the currency
            b_bare = b.kind == "count" and b.unit is None and b.noun is None
            a_bare = a.kind == "count" and a.unit is None and a.noun is None
            unit, kind = (a.unit, a.kind) if (b_bare and a.unit) else (b.unit, b.kind)
            if (between or dash) and (same_unit or a.kind == "count" or (b_bare and a.unit)) \
                    and (b.kind != "count" or b_bare and a.unit or a_bare) or (between and same_unit):
                lo, hi = a.value, b.value
                scale_a, scale_b = _scale(a, doc), _scale(b, doc)
                if scale_a == 1 and scale_b > 1 and a.value <= b.value / scale_b:
                    lo = lo * scale_b  # "10 to 15 million", "$1.8-2.7 billion"
                if lo <= hi:
                    start = a.start - (len(before) - before.rfind("between")) if between else a.start
                    if spread:
                        start = a.start - (len(before) - before.rfind("from"))
                    merged = Mention(start=start, end=b.end, text=doc.text[start:b.end],
                                     value=(lo, hi), unit=unit, kind=kind,
                                     sentence=a.sentence, num_start=a.num_start,
                                     num_end=b.num_end, decimals=max(a.decimals, b.decimals),
                                     hedge=a.hedge, hedge_relation=a.hedge_relation, noun=b.noun)
                    out.append(merged)
                    i += 2
                    continue
            if a_bare and not (between or dash) and _RE_38.fullmatch(gap) \
                    and _RE_39.search(before) and b.unit:
                # "rose from 5 to 6 million tonnes": the base shares the target's scale and unit
                scale_b, bare_b = _scale(b, doc), _bare(b, doc)
                if bare_b and bare_b / 10 <= a.value <= bare_b * 10:
                    a.value, a.unit, a.kind = a.value * scale_b, b.unit, b.kind
        out.append(a)
        i += 1
    return out


def _scale(m: Mention, doc: Document) -> Decimal:
    """The multiplier a mention's words applied: 1,000,000 for "2.7 million", else 1."""
    bare = _bare(m, doc)
    return m.value / bare if bare and abs(m.value) > bare else Decimal(1)


def _bare(m: Mention, doc: Document) -> Decimal | None:
    """The number as written, before any "million"/"bn" multiplier."""
    raw = doc.view[m.num_start:m.num_end]
    if raw[:1].isdigit() or raw[:1] == ".":
        return parse_digits(raw)[0]
    return parse_words(raw)


CLAUSE_BREAK_RE = re.compile(r"[;:()]|,\s+(?:while|but|although|though|whereas|and|which|as)\b|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\byet\b", re.I)


OR_RESTATE_RE = re.compile(r",\s*or\s+(?:about\s+|roughly\s+|nearly\s+|some\s+)?$", re.I)
SIGN_BEFORE_RE = re.compile(r"(?:^|[\s(\[])(?P<s>[+\-−–])$")


def _direction(view: str, s0: int, s1: int, men: Mention, prev: Mention | None) -> None:
    if men.direction:
        return
    sign = SIGN_BEFORE_RE.search(view[max(s0, men.num_start - 2):men.num_start]) \
        if men.start == men.num_start else None
    if sign and men.kind in ("percent", "percentage_points", "basis_points"):
        men.direction = "up" if sign.group("s") == "+" else "down"
        men.verb = sign.group("s")
        return
    if prev is not None and prev.direction and OR_RESTATE_RE.search(view, max(s0, men.start - 12), men.start) \
            and not _RE_22.match(view[men.end:men.end + 4]):
        # "fell 1.1 million tonnes, or 7%, to ...": the same change restated
        men.direction, men.verb = prev.direction, prev.verb
        return
    if men.kind == "multiple" and isinstance(men.value, Decimal) and men.value != 1:
        # "more than double", "seven times the May level", "a fifth of": the comparison says
        # which way the figure moved
        men.direction = "up" if men.value > 1 else "down"
        return
    # After: "38% lower", "a 660 percent increase", "an 18.9% decline"
    am = DIR_AFTER_RE.match(view, men.end, s1)
    if am and men.kind in ("percent", "percentage_points", "basis_points", "multiple", "mass",
                           "money", "count", "other"):
        w = am.group("w").lower()
        if w not in ("up", "down", "more", "less") or men.kind in ("percent", "percentage_points",
                                                                   "basis_points"):
            if not (w in ("more", "less") and men.kind == "multiple"):
                men.direction = "up" if w in UP_SET or w == "above" else "down"
                men.verb = am.group("w")
                return
    # Before, within the clause: "rose 18.9%", "up 660%", "fell ... to 22,319 tons"
    lo = max(s0, men.start - 90)
    if prev is not None and prev.end > lo:
        lo = prev.end
        gap = view[prev.end:men.start]
        to_target = _RE_3.search(gap)
        from_base = _RE_4.search(gap)
        if from_base:
            return
        if to_target and prev.direction and not CLAUSE_BREAK_RE.search(gap):
            # "fell 18.9% ... to 22,319 tons": the level moved the same way
            men.direction, men.verb = prev.direction, prev.verb
            return
    window = view[lo:men.start]
    breaks = list(CLAUSE_BREAK_RE.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    if _RE_0.search(window):
        return  # "up 157.5% from 1,238 tons": the base level has no direction
    # one cheap word scan plus set lookups: far faster than a 200-word alternation
    # (the words are ASCII letters, so lower-casing them joined gives each one lower-cased)
    if DIR_SET.isdisjoint(" ".join(WORD_RE.findall(window)).lower().split()):
        return
    w = None
    for cand in WORD_RE.finditer(window):
        if cand.group(1).lower() in DIR_SET:
            w = cand
    if w is None:
        return
    word = w.group(1).lower()
    tail = window[w.end():]
    if word in ("more", "less", "fewer", "lower", "higher", "cut", "added", "loss", "lost",
                "boost", "growth", "recovery", "lowest"):
        # comparatives and nouns need to sit right before: "more than" is a hedge, not a rise
        if not _RE_40.fullmatch(tail) or word in ("more", "less", "fewer"):
            return
    if word == "up" and _RE_5.match(tail):
        return
    n_words = len(tail.split())
    if n_words > 8:
        return
    # Levels take the direction only as the target: "rose to 353 tons", "surged to".
    if men.kind not in ("percent", "percentage_points", "basis_points", "multiple"):
        if not _RE_41.search(window) \
                and not _RE_42.fullmatch(tail):
            return
    men.direction = "up" if word in UP_SET else "down"
    men.verb = w.group(1)


def _resolve_ambiguity(doc: Document, mentions: list[Mention]) -> None:
    """62.585 t: English decimal or European thousands? Decide only with evidence."""
    decimal_comma_doc = bool(_RE_6.search(doc.view))
    comma_thousands_doc = bool(_RE_7.search(doc.view))
    for men in mentions:
        if not men.ambiguous:
            continue
        alts = men.ambiguous["alternatives"]
        if men.kind in ("percent", "percentage_points", "money") and not decimal_comma_doc:
            men.ambiguous = None
            continue
        sent = doc.sentences[men.sentence]
        para = doc.paragraphs[sent.paragraph]
        peers = [o for o in mentions if o is not men and o.kind == men.kind and o.unit == men.unit
                 and isinstance(o.value, Decimal)
                 and para.start <= o.start < para.end]
        big_context = any(o.value >= 1000 for o in peers) or _RE_23.search(doc.view[para.start:para.end])
        if decimal_comma_doc and not comma_thousands_doc:
            # The text writes decimals with commas ("18,9%"), so a dot groups thousands: this
            # is the document's own convention, not a guess. Both readings stay visible.
            men.value = alts[1]
            men.decimals = 0
            men.ambiguous = {"alternatives": [alts[0], alts[1]],
                             "reason": "read as thousands: this text writes decimals with commas",
                             "resolved": True}
        elif decimal_comma_doc or big_context:
            men.ambiguous = {"alternatives": [alts[0], alts[1]],
                             "reason": ("a dot with three decimals reads as a thousands separator "
                                        "in European copy; other figures here are in the "
                                        "thousands" if big_context else
                                        "this text uses decimal commas, so the dot may separate "
                                        "thousands")}
        else:
            men.ambiguous = None
