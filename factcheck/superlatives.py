"""Checkable superlatives: "record", "highest since January", "a six-month high", "second-highest
on record", "lowest of 2025", "outpaced all of last year".

Each phrase is tied to the trade level it describes (the nearest tonnage in its sentence, else
the last one earlier in the paragraph) and tested against that series' monthly levels. What the
table cannot settle stays ``unverifiable``: a record needs the whole history, and the shipped
figures start in 2024, so "record" can be refuted (a higher month is known) but not confirmed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from .document import lowered
from .extract import Claim
from .official import Official, Query, shift_month
from .verdicts import Context, Verdict

# Patterns used inside functions, compiled once (re.match(<literal>, ...) looked each
# one up in re's cache on every call).
_RE_0 = re.compile(r"low|small|weak", re.I)
_RE_1 = re.compile(r"\s*(?:books|keeping|label)")

NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "18": 18, "24": 24}
RANKS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
HIGH = r"highest|biggest|largest|strongest|high|peak"
LOW = r"lowest|smallest|weakest|low"
SUPERLATIVE_RE = re.compile(
    r"(?P<nmonth>\b(?P<n>\w+)[- ]month\s+(?P<ndir>high|low)\b)"
    r"|(?P<rank_phrase>\b(?P<rank>second|third|fourth|fifth)[- ](?P<rdir>highest|lowest)\b"
    r"(?:\s+\w+){0,2}?\s+(?:on\s+record|ever))"
    r"|(?P<since_phrase>\b(?P<sdir>" + HIGH + "|" + LOW + r")\s+(?:\w+\s+){0,2}?since\s+"
    r"(?P<since>(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
    r"(?:\s+(?:of\s+)?(?P<since_year>20\d\d|19\d\d))?|(?P<since_only_year>20\d\d|19\d\d))\b)"
    r"|(?P<year_phrase>\b(?P<ydir>highest|lowest)\s+(?:\w+\s+){0,2}?(?:of|in|for)\s+"
    r"(?P<year>20\d\d)\b)"
    r"|(?P<record>\b(?:an?\s+|the\s+)?(?:new\s+)?(?:all-time\s+)?record(?:[- ](?P<recdir>high|low))?"
    r"(?![\w-])(?!\s+(?:of|for|keeping))"
    r"|\b(?P<edir>highest|lowest)\s+(?:\w+\s+){0,2}?(?:on\s+record|ever)\b"
    r"|\ball-time\s+(?P<adir>high|low)\b)"
    r"|(?P<outpaced>\b(?:outpaced|exceeded|surpassed|topped|overtook)\s+(?:all\s+of\s+|the\s+"
    r"whole\s+of\s+|the\s+total\s+for\s+)?(?:last\s+year|(?P<oyear>20\d\d))(?:'s\s+total)?)",
    re.I)


QUICK_RE = re.compile(r"record|highest|lowest|biggest|largest|smallest|strongest|weakest|"
                      r"month high|month low|-month|all-time|outpaced|exceeded|surpassed|topped|"
                      r"overtook")


def find_superlatives(result, claims: list[Claim]) -> list[tuple[int, int, re.Match, Claim]]:
    """(start, end, match, anchor claim) for each superlative phrase with a trade level to test."""
    view = result.document.view
    out = []
    low = lowered(view)
    hits = [m.start() for m in QUICK_RE.finditer(low)]
    if not hits:
        return out
    levels = [c for c in claims if c.kind == "mass" and c.frame.series
              and (c.frame.measure in ("level", "cumulative"))]
    import bisect

    for sent in result.document.sentences:
        k = bisect.bisect_left(hits, sent.start)
        if k == len(hits) or hits[k] >= sent.end:
            continue  # no superlative word in this sentence
        for m in SUPERLATIVE_RE.finditer(view, sent.start, sent.end):
            if m.group("record") and _RE_1.match(view[m.end():]):
                continue
            inside = [c for c in levels if sent.start <= c.start < sent.end]
            if inside:
                anchor = min(inside, key=lambda c: abs(c.start - m.start()))
            else:
                before = [c for c in levels if c.paragraph == sent.paragraph and c.end <= m.start()]
                if not before:
                    continue
                anchor = before[-1]
            if m.group("outpaced") and anchor.frame.measure != "cumulative":
                continue
            out.append((m.start(), m.end(), m, anchor))
    return out


def superlative_claim(result, start: int, end: int, anchor: Claim) -> Claim:
    return replace(anchor, text=result.document.text[start:end], start=start, end=end,
                   value=None, unit=None, kind="superlative", direction=None, hedge=None,
                   hedge_relation=None, decimals=0, step=Decimal(1), ambiguous=None)


def check_superlative(m: re.Match, anchor: Claim, ctx: Context) -> Verdict:
    f = anchor.frame
    if not (f.series and f.flow and f.period and f.partner):
        return Verdict("unverifiable", "frame", "the level it describes has no full frame")
    q = Query(f.series, f.flow, f.reporter or "China", f.partner)
    side = ctx.side
    if m.group("outpaced"):
        year = int(m.group("oyear") or int(f.period[:4]) - 1)
        ytd, fy = side.level(q, f.period), side.level(q, str(year))
        if not ytd or not fy:
            return Verdict("unverifiable", "period", f"no official total for {year} or for "
                           f"{f.period} to compare")
        if ytd.low > fy.high:
            return Verdict("supported", None, f"{ytd.shown()} so far is more than {year}'s "
                           f"{fy.shown()}", ytd)
        return Verdict("mismatch", "superlative", f"{ytd.shown()} so far is not more than "
                       f"{year}'s {fy.shown()}", ytd)
    if len(f.period) != 7:
        return Verdict("unverifiable", "frame", "a superlative about a multi-month total")
    now = side.level(q, f.period)
    if now is None:
        return Verdict("unverifiable", "period", f"no official figure for {f.period}")
    high = not _is_low(m)
    months = ctx.ref.months(q.series, q.flow, q.reporter, q.partner)
    span, cur = [], months[0] if months else f.period
    while months and cur <= months[-1]:
        span.append(cur)
        cur = shift_month(cur, 1)
    known = {p: side.level(q, p) for p in span if p != f.period}  # rows, sums, published changes
    known = {p: o for p, o in known.items() if o is not None}

    def beats(o: Official) -> bool:  # o is clearly above (for highs) / below (for lows) now
        return o.low > now.high if high else o.high < now.low

    word = "higher" if high else "lower"
    label = f"{f.period} ({now.shown()})"
    if m.group("nmonth"):
        n = NUMBER_WORDS.get(m.group("n").lower()) or (int(m.group("n"))
                                                        if m.group("n").isdigit() else None)
        if not n:
            return Verdict("unverifiable", "frame", f"cannot read {m.group('n')!r} months")
        window = [shift_month(f.period, -k) for k in range(1, n)]
        return _window(window, known, beats, label, word, now,
                       f"{n}-month {'high' if high else 'low'}")
    if m.group("since_phrase"):
        since = _since(m, f.period)
        if since is None:
            return Verdict("unverifiable", "frame", "cannot read the 'since' date")
        window, cur = [], shift_month(f.period, -1)
        while cur > since:
            window.append(cur)
            cur = shift_month(cur, -1)
        verdict = _window(window, known, beats, label, word, now,
                          f"{'highest' if high else 'lowest'} since {since}")
        if verdict.verdict == "supported" and since in known and not (
                known[since].high >= now.low if high else known[since].low <= now.high):
            return Verdict("mismatch", "superlative", f"{label} is {word} than {since} "
                           f"({known[since].shown()}) too, so it is the {'highest' if high else 'lowest'}"
                           f" since an earlier month", now)
        return verdict
    if m.group("year_phrase"):
        year = m.group("year")
        window = [f"{year}-{k:02d}" for k in range(1, 13) if f"{year}-{k:02d}" != f.period
                  and (f"{year}-{k:02d}" < f.period or f.period[:4] != year)]
        return _window(window, known, beats, label, word, now,
                       f"{'highest' if high else 'lowest'} of {year}")
    # record / all-time / second-highest on record
    rank = RANKS.get((m.group("rank") or "").lower(), 1)
    above = sorted((p for p, o in known.items() if beats(o)),
                   key=lambda p: known[p].value, reverse=high)
    if len(above) >= rank:
        shown = ", ".join(f"{p} ({known[p].shown()})" for p in above[:3])
        return Verdict("mismatch", "superlative", f"not a record: {label} is below {shown}"
                       if high else f"not a record low: {label} is above {shown}", now)
    first = min(known) if known else f.period
    return Verdict("unverifiable", "period", f"no month in the reference data ({first} on) "
                   f"beats {label}, but a record needs the whole history", now)


def _is_low(m: re.Match) -> bool:
    words = " ".join(filter(None, (m.group(k) for k in ("ndir", "rdir", "sdir", "ydir", "recdir",
                                                          "edir", "adir"))))
    return bool(_RE_0.search(words))


def _since(m: re.Match, period: str) -> str | None:
    if m.group("since_only_year"):
        return f"{m.group('since_only_year')}-01"
    name = m.group("since").lower().rstrip(".")
    month = MONTHS.get(name) or MONTHS.get(name[:3])
    if not month:
        return None
    if m.group("since_year"):
        return f"{m.group('since_year')}-{month:02d}"
    year = int(period[:4]) if month < int(period[5:7]) else int(period[:4]) - 1
    return f"{year}-{month:02d}"


def _window(window: list[str], known: dict, beats, label: str, word: str, now: Official,
            what: str) -> Verdict:
    clash = [p for p in window if p in known and beats(known[p])]
    if clash:
        shown = ", ".join(f"{p} ({known[p].shown()})" for p in clash[:3])
        return Verdict("mismatch", "superlative", f"not the {what}: {shown} "
                       f"{'was' if len(clash) == 1 else 'were'} {word} than {label}", now)
    missing = [p for p in window if p not in known]
    if missing:
        return Verdict("unverifiable", "period", f"no official figure for {', '.join(missing[:3])}"
                       f"{' …' if len(missing) > 3 else ''} to test '{what}'", now)
    return Verdict("supported", None, f"the {what}: none of the {len(window)} months before "
                   f"{label} was {word}", now)
