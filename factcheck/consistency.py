"""Internal arithmetic: do the article's own numbers agree with each other?

No official data is needed. Claims that describe related quantities of the same thing — same
series, flow, reporter and partner as framed — are checked against each other with the tolerance
rules of the verdicts (``verdicts.stated_interval``: printed precision, round numbers, hedges)
and interval arithmetic, so "3,188 tons, up 157.5% from 1,238 tons" is consistent when *some*
values each figure allows satisfy the relation.

Relations (codes in docs/consistency.md):

- ``change_triple`` (C202): a level, the level it is compared with, and the stated change.
- ``change_multiple`` (C203): a change in percent and a multiple of the same comparison.
- ``restated`` (C201): the same quantity stated twice with different figures.
- ``part_total`` (C204): a country's figure, or several countries' together, above the total.
- ``share`` (C205): a share and the part and whole it is a share of.
- ``ytd_months`` (C206): months inside a year-to-date (or year) total that add up to more.

Only ``inconsistent`` findings are problems; ``consistent`` ones are kept in the report so an
editor can see what was checked.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from .deadline import check_deadline
from .extract import Claim
from .official import base_period, fmt, months_in
from .verdicts import INF, TO_TONNES, change_of, stated_interval

# Patterns used inside functions, compiled once (re.match(<literal>, ...) looked each
# one up in re's cache on every call).
_RE_0 = re.compile(r"\d")
_RE_1 = re.compile(r"[^.;]{0,30}\b(?:region|regional|of which|of (?:its|their|the) )", re.I)
_RE_2 = re.compile(r"\s*of (?:the |all |total |China's )*(?:total|exports|shipments|imports)", re.I)

CODES = {"consistent": "C100", "restated": "C201", "change_triple": "C202",
         "change_multiple": "C203", "part_total": "C204", "share": "C205", "ytd_months": "C206"}
LEVEL_MEASURES = ("level", "cumulative")
HUNDRED = Decimal(100)
Interval = tuple[Decimal, Decimal]


@dataclass
class Finding:
    relation: str
    verdict: str  # consistent | inconsistent
    claims: list[int]  # indexes into the article's claims, in text order
    arithmetic: str  # the computation as an editor would check it by hand

    @property
    def code(self) -> str:
        return CODES["consistent"] if self.verdict == "consistent" else CODES[self.relation]

    def to_dict(self, claims: list[Claim]) -> dict:
        return {"relation": self.relation, "verdict": self.verdict, "code": self.code,
                "claims": [{"index": i, "text": claims[i].text, "start": claims[i].start,
                            "end": claims[i].end} for i in self.claims],
                "arithmetic": self.arithmetic}


# ---------------------------------------------------------------------------------------------
# the figures as intervals

# Relations compare every pair of claims, so each claim's interval is computed once per article
# (stated_interval also writes its explanation, the costly part); a context variable keeps the
# memo private to one check_consistency call, whatever the threads.
_INTERVALS: ContextVar[dict[int, tuple[Decimal, Decimal]] | None] = ContextVar("intervals", default=None)


def _interval(c: Claim) -> tuple[Decimal, Decimal]:
    memo = _INTERVALS.get()
    if memo is None:
        return stated_interval(c)[:2]
    found = memo.get(id(c))
    if found is None:
        found = memo[id(c)] = stated_interval(c)[:2]
    return found


def _level(c: Claim) -> tuple[Interval, str] | None:
    """A level's interval in a comparable unit (tonnes for masses), and that unit."""
    if c.value is None or c.frame.measure not in LEVEL_MEASURES or c.kind not in ("mass", "money"):
        return None
    lo, hi = _interval(c)
    if c.kind == "mass":
        factor = TO_TONNES.get(c.unit or "")
        if factor is None:
            return None
        return (lo * factor, hi * factor if hi != INF else INF), "t"
    return (lo, hi), c.unit or ""


def _change(c: Claim) -> list[Interval] | None:
    """A % change as signed intervals; both signs when the copy gives no direction."""
    if c.value is None or c.kind != "percent" or c.frame.measure != "change" or isinstance(c.value, tuple):
        return None
    lo, hi = _interval(c)
    if c.direction == "down" or c.value < 0:
        return [(-hi, -lo)]
    if c.direction == "up":
        return [(lo, hi)]
    return [(lo, hi), (-hi, -lo)]


def _multiple(c: Claim) -> Interval | None:
    if c.value is None or c.kind != "multiple" or isinstance(c.value, tuple):
        return None
    lo, hi = _interval(c)
    if not _RE_0.search(c.text) and c.hedge_relation in ("~<", "~>", "~"):
        # "nearly doubled" for +84.5%: a hedged word is looser than a hedged figure
        lo, hi = min(lo, c.value * Decimal("0.9")), max(hi, c.value * Decimal("1.1"))
    return lo, hi


PRICE_RE = re.compile(r"\b(?:price|unit value|per (?:metric )?ton(?:ne)?)", re.I)


def _change_unit(c: Claim, text: str) -> str:
    """What a % change or multiple is of: 't' (volume), 'USD' (value) or 'USD/t' (price)."""
    if PRICE_RE.search(text[max(c.sentence[0], c.start - 80):c.start]):
        return "USD/t"
    return change_of(c, text)


def _overlap(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _pct_of_ratio(r: Interval) -> Interval:
    return (r[0] - 1) * HUNDRED, (r[1] - 1) * HUNDRED if r[1] != INF else INF


def _ratio(num: Interval, den: Interval) -> Interval | None:
    if den[0] <= 0:
        return None
    hi = INF if num[1] == INF or den[0] == 0 else num[1] / den[0]
    lo = num[0] / den[1] if den[1] != INF else Decimal(0)
    return lo, hi


def _show(v: Decimal, places: int = 1) -> str:
    return fmt(v.quantize(Decimal(1).scaleb(-places)) if abs(v) < 10**12 else v, "", places)


def _range(i: Interval, unit: str = "") -> str:
    lo = "−∞" if i[0] == -INF else _show(i[0], 2)
    hi = "∞" if i[1] == INF else _show(i[1], 2)
    return f"{lo}..{hi}{unit}"


def _mid(c: Claim) -> Decimal:
    """The printed figure, in tonnes for a mass (so 2,51 million kg and 764 tonnes add up)."""
    v = abs(c.value[0] if isinstance(c.value, tuple) else c.value)
    if c.kind == "mass" and c.frame.measure in LEVEL_MEASURES and TO_TONNES.get(c.unit or ""):
        factor = TO_TONNES[c.unit]
        return v if factor == 1 else (v * factor).normalize()
    return v


# ---------------------------------------------------------------------------------------------
# which claims talk about the same thing


def _subject(c: Claim) -> tuple | None:
    f = c.frame
    if not f.series or not f.flow:
        return None
    return f.series, f.flow, f.reporter, f.partner


MULTIPLE_BASE_RE = re.compile(r"\s*(?:the|that of|those of|its|from|than)?\s*$", re.I)


def _bases(claims: list[Claim], text: str) -> dict[int, int]:
    """Base levels: claim j is what claim i is compared with ("up 157.5% from 1,238 tons",
    "more than double the 2,627 tons shipped in April")."""
    out: dict[int, int] = {}
    same_sentence: dict[tuple[int, int], list[int]] = {}
    for j, o in enumerate(claims):
        same_sentence.setdefault(o.sentence, []).append(j)
    for i, c in enumerate(claims):
        bv = c.frame.basis_value
        for j in same_sentence[c.sentence]:  # the later claims of the same sentence, in order
            if j <= i:
                continue
            o = claims[j]
            if not isinstance(o.value, Decimal):
                continue
            if (bv is not None and float(o.value) == bv) or (
                    c.kind == "multiple" and MULTIPLE_BASE_RE.fullmatch(text[c.end:o.start])):
                out[j] = i
                break
    return out


def _period_of(claims: list[Claim], i: int, bases: dict[int, int]) -> str | None:
    """A claim's period; for a base level, the comparison period of the change it is the base of."""
    own = claims[i].frame
    if i in bases:
        ch = claims[bases[i]].frame
        if own.period and "period" not in own.inherited and own.period != ch.period:
            return own.period  # "the 2,627 tons shipped in April"
        return base_period(ch.period, ch.basis) if ch.period and ch.basis else None
    return own.period


def _strict(c: Claim) -> bool:
    """Nothing about the figure's subject was carried from another sentence or defaulted."""
    return not ({"period", "partner", "series"} & set(c.frame.inherited))


def _explicit(c: Claim) -> bool:
    """The period and partner were written near the figure, not carried from elsewhere (a
    partner defaulted to the world total, with no country named, counts as written)."""
    f = c.frame
    return "period" not in f.inherited and ("partner" not in f.inherited or f.partner == "World")


# ---------------------------------------------------------------------------------------------
# the relations


def check_consistency(claims: list[Claim], text: str, partners: dict | None = None) -> list[Finding]:
    """Every relation found among ``claims`` (one article's claims, in text order; ``text`` is
    the article they were read from). ``partners`` is the partner catalog (``Reference.partners``):
    only partners it calls countries are summed against a total; without it, none are."""
    token = _INTERVALS.set({})
    try:
        return _check(claims, text, partners)
    finally:
        _INTERVALS.reset(token)


def _check(claims: list[Claim], text: str, partners: dict | None) -> list[Finding]:
    bases = _bases(claims, text)
    units = {i: _change_unit(c, text) for i, c in enumerate(claims) if c.kind in ("percent", "multiple")}
    findings: list[Finding] = []
    findings += _change_triples(claims, bases, units)
    check_deadline()
    findings += _change_multiples(claims, units, bases)
    check_deadline()
    findings += _restated(claims, bases, units, text)
    check_deadline()
    findings += _parts(claims, bases, partners or {})
    check_deadline()
    findings += _shares(claims, bases, text)
    check_deadline()
    findings += _ytd(claims, bases)
    findings.sort(key=lambda f: (claims[f.claims[0]].start, f.relation))
    # a paragraph printed twice holds the same relation twice: report it once
    seen: set[tuple] = set()
    unique = []
    for f in findings:
        key = (f.relation, f.verdict, tuple(sorted(claims[i].text for i in f.claims)))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _verdict(ok: bool) -> str:
    return "consistent" if ok else "inconsistent"


def _change_triples(claims: list[Claim], bases: dict[int, int], units: dict[int, str]) -> list[Finding]:
    out = []
    # each claim's level and subject once (pure functions of the claim)
    levels = [_level(o) for o in claims]
    subjects = [_subject(o) for o in claims]
    for i, c in enumerate(claims):
        check_deadline()
        changes = _change(c)
        mult = _multiple(c) if c.frame.measure == "multiple" else None
        if not changes and not mult:
            continue
        subject, period, unit = subjects[i], c.frame.period, units[i]

        def level_in(j: int, i: int = i, unit: str = unit) -> bool:
            lv = levels[j]
            return bool(lv) and lv[1] == unit and j != i and j not in bases

        # the level now: in the sentence (the nearest before the change first), else the
        # same subject and period anywhere
        near = sorted((j for j, o in enumerate(claims) if o.sentence == c.sentence and level_in(j)
                       and subjects[j] in (subject, None)
                       and not (o.frame.period and period and o.frame.period != period)),
                      key=lambda j: (claims[j].start > c.start, abs(claims[j].start - c.start)))
        now_idx = near[0] if near else None
        if now_idx is None and subject and period:
            now_idx = next((j for j, o in enumerate(claims) if level_in(j) and subjects[j] == subject
                            and o.frame.period == period), None)
        # the base: "from 1,238 tons" in the sentence, else a level of the comparison period
        base_idx = next((j for j, k in bases.items() if k == i), None)
        if base_idx is None and period and c.frame.basis and subject and "basis" not in c.frame.inherited:
            want = base_period(period, c.frame.basis)
            base_idx = next((j for j, o in enumerate(claims) if j != i and subjects[j] == subject
                             and levels[j] and levels[j][1] == unit
                             and _period_of(claims, j, bases) == want and want), None)
        if base_idx is None or now_idx is None or not levels[base_idx] \
                or levels[base_idx][1] != levels[now_idx][1]:
            continue
        base, now = levels[base_idx][0], levels[now_idx][0]
        ratio = _ratio(now, base)
        if ratio is None:
            continue
        a, b = claims[now_idx], claims[base_idx]
        central_ratio = _mid(a) / _mid(b)
        if mult:
            ok = _overlap(ratio, mult)
            text = (f"{a.text} / {b.text} = {_show(central_ratio, 2)}x, stated {c.text!r} "
                    f"({_range(mult, 'x')})")
            exact = mult[0] <= central_ratio <= mult[1]
            within = _range(ratio, "x")
        else:
            computed = _pct_of_ratio(ratio)
            ok = any(_overlap(computed, ch) for ch in changes)
            central = (central_ratio - 1) * HUNDRED
            text = (f"{a.text} / {b.text} − 1 = {'+' if central >= 0 else ''}{_show(central)}%, "
                    f"stated {c.text!r} ({' or '.join(_range(ch, '%') for ch in changes)})")
            exact = any(ch[0] <= central <= ch[1] for ch in changes)
            within = _range(computed, "%")
        if ok:
            text += ": consistent" + ("" if exact else f" within the figures' rounding ({within})")
        else:
            text += f": inconsistent (the levels allow {within})"
        relation = "change_triple"
        out.append(Finding(relation, _verdict(ok), sorted({i, base_idx, now_idx}), text))
    return out


def _same_comparison(a: Claim, b: Claim) -> str | None:
    """'same' (same subject, period and basis), 'maybe' (one states no basis: only agreement
    is reported, since a disagreement may be a comparison with another period), or None."""
    if _subject(a) != _subject(b) or a.frame.period != b.frame.period:
        return None
    if not (_explicit(a) and _explicit(b)) and a.sentence != b.sentence:
        return None
    if a.frame.basis and b.frame.basis:
        return "same" if a.frame.basis == b.frame.basis else None
    if a.frame.basis or b.frame.basis:
        return "maybe"
    return "same" if a.sentence == b.sentence else "maybe"


def _change_multiples(claims: list[Claim], units: dict[int, str], bases: dict[int, int]) -> list[Finding]:
    out = []
    with_base = set(bases.values())  # "double the 2,627 tons shipped in April": a triple
    # each claim's change, multiple and subject once (pure functions of the claim); a pair
    # matters only when one side is a change with a subject and the other a multiple
    changes_of = [_change(c) for c in claims]
    mults_of = [_multiple(c) for c in claims]
    is_change = [bool(ch) and _subject(c) is not None for c, ch in zip(claims, changes_of, strict=True)]
    for (i, a), (j, b) in combinations(enumerate(claims), 2):
        if not ((is_change[i] and mults_of[j]) or (is_change[j] and mults_of[i])):
            continue
        if units.get(i) != units.get(j) or i in with_base or j in with_base:
            continue
        for ch_claim, mult_claim, ci, mi in ((a, b, i, j), (b, a, j, i)):
            changes, mult = changes_of[ci], mults_of[mi]
            if not changes or not mult or _subject(ch_claim) is None:
                continue
            same = _same_comparison(ch_claim, mult_claim)
            if not same:
                continue
            implied = [((lo / HUNDRED) + 1, (hi / HUNDRED) + 1 if hi != INF else INF) for lo, hi in changes]
            ok = any(_overlap(r, mult) for r in implied)
            if not ok and same == "maybe":
                continue
            central = _mid(ch_claim) / HUNDRED * (-1 if ch_claim.direction == "down" else 1) + 1
            text = (f"1 + {ch_claim.text} = {_show(central, 2)}x; {mult_claim.text!r} allows "
                    f"{_range(mult, 'x')}: {_verdict(ok)}")
            out.append(Finding("change_multiple", _verdict(ok), sorted((i, j)), text))
    return out


def _restated(claims: list[Claim], bases: dict[int, int], units: dict[int, str],
              text: str) -> list[Finding]:
    out = []
    # a pair can only be a restatement with the same subject, period and measure: compare those
    # keys first (the checks below are pure, so their order does not change the result)
    keys = []
    for c in claims:
        subj = _subject(c)
        keys.append(None if subj is None or c.frame.period is None
                    else (subj, c.frame.period, c.frame.measure))
    for (i, a), (j, b) in combinations(enumerate(claims), 2):
        if keys[i] is None or keys[i] != keys[j]:
            continue
        check_deadline()
        if i in bases or j in bases or a.value is None or b.value is None:
            continue
        # two figures in one sentence are two quantities ("3,188 tons ... by August 6,146 tons"),
        # unless one converts the other: "roughly 46,000 kilograms (about 51 short tons)"
        converted = a.unit != b.unit and len(text[a.end:b.start].strip(" ,(")) == 0
        if (a.sentence == b.sentence and not converted) or units.get(i) != units.get(j):
            continue
        if _subject(a) is None or _subject(a) != _subject(b) or a.frame.period is None \
                or a.frame.period != b.frame.period or a.frame.measure != b.frame.measure:
            continue
        if not (_explicit(a) and _explicit(b)):
            continue  # a figure whose period or partner was carried over may be about another
        la, lb = _level(a), _level(b)
        maybe = False
        if la and lb:
            if la[1] != lb[1]:
                continue
            ia, ib, unit = la[0], lb[0], la[1]
        else:
            ca, cb = _change(a), _change(b)
            if not (ca and cb):
                continue
            if a.frame.basis != b.frame.basis:
                if a.frame.basis and b.frame.basis:
                    continue
                maybe = True  # one states no basis: it may compare with another period
            ia, ib, unit = ca[0], cb[0], "%"
            if len(ca) > 1 or len(cb) > 1:  # one gives no direction: compare the sizes
                ia, ib = _abs(ca[0]), _abs(cb[0])
        ok = _overlap(ia, ib)
        if not ok and (maybe or not (_strict(a) and _strict(b))):
            continue  # a disagreement is reported only between figures framed from their own words
        shown = unit if unit != "t" else " t"
        arithmetic = (f"{a.text!r} allows {_range(ia, shown)}, {b.text!r} allows {_range(ib, shown)}: "
                      f"{_verdict(ok)}")
        out.append(Finding("restated", _verdict(ok), [i, j], arithmetic))
    return out


def _abs(i: Interval) -> Interval:
    return (i[0], i[1]) if i[0] >= 0 else (-i[1], -i[0])


def _parts(claims: list[Claim], bases: dict[int, int], catalog: dict) -> list[Finding]:
    """Country figures against the world total of the same series, flow and period. Each part is
    checked alone; countries are also summed (never a union or region with its own members)."""
    out = []
    by_frame: dict[tuple, dict[str, list[int]]] = {}
    for i, c in enumerate(claims):
        lv = _level(c)
        period = _period_of(claims, i, bases)
        if not lv or not c.frame.series or not c.frame.flow or not period:
            continue
        key = (c.frame.series, c.frame.flow, c.frame.reporter, period, c.frame.measure, lv[1])
        by_frame.setdefault(key, {}).setdefault(c.frame.partner or "World", []).append(i)
    for key, partners in by_frame.items():
        totals = partners.get("World", [])
        if not totals:
            continue
        countries = {p: idx for p, idx in partners.items()
                     if catalog.get(p, {}).get("kind") == "country"}
        parts = {p: idx for p, idx in partners.items() if p != "World"}
        unit = key[-1]
        for t in totals:
            if "period" in claims[t].frame.inherited:
                continue  # a total whose period was carried over may be another month's
            total, _ = _level(claims[t])
            for p, idx in parts.items():
                for k in idx:
                    part, _ = _level(claims[k])
                    ok = part[0] <= total[1]
                    if ok and len(countries) > 1:
                        continue  # reported below, as the sum
                    text = (f"{claims[k].text} ({p}) against the total {claims[t].text}: part "
                            f"{'≤' if ok else '>'} total: {_verdict(ok)}")
                    out.append(Finding("part_total", _verdict(ok), sorted((k, t)), text))
            if len(countries) > 1:
                firsts = [idx[0] for idx in countries.values()]
                lo = sum(_level(claims[k])[0][0] for k in firsts)
                ok = lo <= total[1]
                names = " + ".join(f"{claims[k].text} ({p})" for p, k in zip(countries, firsts, strict=True))
                text = (f"{names} = {fmt(sum(_mid(claims[k]) for k in firsts))} {unit}, total "
                        f"{claims[t].text}: parts {'≤' if ok else '>'} total: {_verdict(ok)}")
                out.append(Finding("part_total", _verdict(ok), sorted(firsts + [t]), text))
    return out


def _shares(claims: list[Claim], bases: dict[int, int], text: str) -> list[Finding]:
    """"2,140 tons in July, or 38% of all exports": the part in the sentence, the world total."""
    out = []
    for i, c in enumerate(claims):
        if c.kind != "percent" or c.frame.measure != "share" or c.value is None or isinstance(c.value, tuple):
            continue
        f = c.frame
        if not f.series or f.partner in ("World", None) or not f.period:
            continue
        if _RE_1.match(text[c.end:c.end + 40]) \
                and not _RE_2.match(text[c.end:c.end + 40]):
            continue  # a share of something other than the total
        before = [j for j, o in enumerate(claims) if o.sentence == c.sentence and o.end <= c.start
                  and j not in bases and _level(o)]
        if before:
            part = before[-1]
        else:  # the part stated elsewhere: the same partner and period, written there
            part = next((j for j, o in enumerate(claims) if j not in bases and _level(o) and _explicit(o)
                         and _subject(o) == _subject(c) and o.frame.period == f.period), None)
            if part is None:
                continue
        whole = next((j for j, o in enumerate(claims) if j not in bases and j != part and _level(o)
                      and _subject(o) == (f.series, f.flow, f.reporter, "World")
                      and _explicit(o) and o.frame.period == f.period and o.frame.measure == claims[part].frame.measure
                      and _level(o)[1] == _level(claims[part])[1]), None)
        if whole is None:
            continue
        ratio = _ratio(_level(claims[part])[0], _level(claims[whole])[0])
        if ratio is None:
            continue
        computed = (ratio[0] * HUNDRED, ratio[1] * HUNDRED if ratio[1] != INF else INF)
        lo, hi = _interval(c)
        ok = _overlap(computed, (lo, hi))
        central = _mid(claims[part]) / _mid(claims[whole]) * HUNDRED
        arithmetic = (f"{claims[part].text} / {claims[whole].text} = {_show(central)}%, stated "
                      f"{c.text!r} ({_range((lo, hi), '%')}): {_verdict(ok)}")
        out.append(Finding("share", _verdict(ok), sorted({i, part, whole}), arithmetic))
    return out


def _ytd(claims: list[Claim], bases: dict[int, int]) -> list[Finding]:
    """Months stated inside a cumulative total: together they cannot exceed it."""
    out = []
    # each claim's period, level and subject once (pure functions of the claims)
    periods = [_period_of(claims, j, bases) for j in range(len(claims))]
    levels = [_level(o) for o in claims]
    subjects = [_subject(o) for o in claims]
    for t, c in enumerate(claims):
        lv = levels[t]
        period = periods[t]
        if not lv or not period or (".." not in period and len(period) != 4) or not subjects[t]:
            continue
        span = set(months_in(period))
        months: dict[str, int] = {}
        for j in range(len(claims)):
            p = periods[j]
            lo_ = levels[j]
            if j != t and p in span and lo_ and lo_[1] == lv[1] and subjects[j] == subjects[t]:
                months.setdefault(p, j)
        if not months:
            continue
        idx = [months[m] for m in sorted(months)]
        low = sum(_level(claims[j])[0][0] for j in idx)
        high = sum(_level(claims[j])[0][1] for j in idx)
        complete = len(months) == len(span)
        ok = low <= lv[0][1] and (not complete or high >= lv[0][0])
        total = sum(_mid(claims[j]) for j in idx)
        rel = "=" if complete else "≤"
        text = (f"{' + '.join(claims[j].text for j in idx)} = {fmt(total)} {lv[1]}"
                f"{'' if complete else f' ({len(months)} of {len(span)} months)'}, "
                f"must be {rel} {c.text} for {period}: {_verdict(ok)}")
        out.append(Finding("ytd_months", _verdict(ok), sorted(idx + [t]), text))
    return out
