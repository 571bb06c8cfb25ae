"""Framed claims -> verdicts against the official figures.

A claim is an interval too: its stated precision (3,188 -> ±0.5; a round "160%" may be rounded
at its last non-zero digit, by at most 2%), widened by its hedge ("about" ±5%, "nearly 75%" ->
[69.75, 75.5], "more than sevenfold" -> > 7). It is ``supported`` when that interval meets an
official interval (see ``official``), ``mismatch`` when official figures exist and none meets it,
and ``unverifiable`` when the table has nothing to compare with (the verdict names what was
missing). A mismatch is explained: the search tries, in order, the other direction, kg/t, a
misread thousands separator, the other comparison basis, other series, other partners, other
periods, and any figure in the table, and says where the stated number does fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .extract import Claim
from .official import (
    Official,
    OfficialSide,
    Query,
    base_period,
    fmt,
    from_row,
    label_period,
    shift_month,
    shift_period,
)
from .reference import Reference

# Patterns used inside functions, compiled once (re.match(<literal>, ...) looked each
# one up in re's cache on every call).
_RE_0 = re.compile(r"(?:\$|US\$|USD|dollars?)\s*[\d.,]+\s*(?:m|mn|million|bn|billion)?\b[^.;\d]{0,25}$")
_RE_1 = re.compile(r"\d")
_RE_2 = re.compile(r"\d\.\d{3}(?!\d)")

INF = Decimal("Infinity")
TO_TONNES = {"t": Decimal(1), "kg": Decimal("0.001"), "kt": Decimal(1000), "Mt": Decimal(10) ** 6,
             "lb": Decimal("0.00045359237"), "short_ton": Decimal("0.90718474"),
             "long_ton": Decimal("1.0160469088")}
MONEY = {"USD", "CNY", "USD/t"}

# How loosely a claim's own wording is read; `[tool.factcheck.tolerance]` sets them (Checker).
TOLERANCES = {"hedge": Decimal("0.05"), "round_number": Decimal("0.02"),
              "multiple_in_words": Decimal("0.10")}
DEFAULT_TOLERANCES = dict(TOLERANCES)

# verdict codes: stable, documented in docs/verdicts.md
CODES = {
    ("supported", None): "V100",
    ("mismatch", "value"): "V201",
    ("mismatch", "direction"): "V202",
    ("mismatch", "period"): "V203",
    ("mismatch", "basis"): "V204",
    ("mismatch", "series"): "V205",
    ("mismatch", "partner"): "V206",
    ("mismatch", "unit"): "V207",
    ("mismatch", "separator"): "V208",
    ("mismatch", "superlative"): "V209",
    ("unverifiable", "series"): "V301",
    ("unverifiable", "period"): "V302",
    ("unverifiable", "partner"): "V303",
    ("unverifiable", "measure"): "V304",
    ("unverifiable", "frame"): "V305",
}


@dataclass
class Verdict:
    verdict: str  # supported | mismatch | unverifiable
    reason: str | None  # mismatch: what is wrong; unverifiable: what is missing
    explanation: str
    official: Official | None = None
    tolerance: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return CODES[(self.verdict, self.reason if self.verdict != "supported" else None)]

    def to_dict(self) -> dict:
        sources = []
        if self.official:
            seen = set()
            for f in self.official.figures:
                if (f.source, f.line) not in seen:
                    seen.add((f.source, f.line))
                    sources.append(f.cite())
        return {"verdict": self.verdict, "code": self.code, "reason": self.reason,
                "official": self.official.to_dict() if self.official else None,
                "explanation": self.explanation, "tolerance": self.tolerance,
                "sources": sources, "notes": self.notes}


# ---------------------------------------------------------------------------------------------
# the claim's interval


def stated_interval(claim: Claim) -> tuple[Decimal, Decimal, str]:
    """The magnitudes the claim allows, from its printed precision and hedge.

    Computed once per claim (the verdict and the consistency check both need it): the result
    is kept on the claim with the very objects it was computed from, and recomputed if any of
    them was replaced since."""
    key = (claim.value, claim.step, claim.kind, claim.text, claim.hedge_relation, claim.hedge)
    memo = claim.__dict__.get("_stated_interval")
    if memo is not None and all(a is b for a, b in zip(memo[0], key, strict=True)):
        return memo[1]
    out = _stated_interval(claim)
    claim.__dict__["_stated_interval"] = (key, out)
    return out


def _pct(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def set_tolerances(values: dict) -> None:
    """Set the tolerances named (decimal shares, 0.05 = 5%); the others take their defaults."""
    TOLERANCES.update(DEFAULT_TOLERANCES)
    TOLERANCES.update({k: Decimal(str(v)) for k, v in values.items()})


def _stated_interval(claim: Claim) -> tuple[Decimal, Decimal, str]:
    step = claim.step
    half = step / 2
    if isinstance(claim.value, tuple):
        lo, hi = claim.value
        return lo - half, hi + half, f"a range, each end ±{fmt(half)}"
    v = abs(claim.value)
    why = f"stated to {fmt(step)}: ±{fmt(half)}"
    if claim.kind == "multiple" and not _RE_1.search(claim.text) and not claim.hedge_relation:
        # "doubled", "halved", "sevenfold": a word is about as exact as a round number
        share = TOLERANCES["multiple_in_words"]
        w = v * share
        return v - w, v + w, f"a multiple in words: ±{fmt(w.normalize())} ({_pct(share)})"
    if v and v == v.to_integral_value() and step >= 1:
        digits = int(v / step)
        zeros = len(str(digits)) - len(str(digits).rstrip("0"))
        if zeros:
            place = step * Decimal(10) ** zeros
            widened = place / 2 if claim.hedge_relation else min(place / 2, v * TOLERANCES["round_number"])
            if widened > half:
                half = widened
                why = f"a round number: ±{fmt(half.normalize())}"
    rel = claim.hedge_relation
    if rel == "~":
        share = TOLERANCES["hedge"]
        w = max(half, v * share)
        return v - w, v + w, f"'{claim.hedge}': ±{fmt(w.normalize())} ({_pct(share)} or the rounding)"
    if rel == "~<":
        return v * Decimal("0.93"), v + half, f"'{claim.hedge}': {fmt(v * Decimal('0.93'), '', 2)}..{fmt(v + half)}"
    if rel == "~>":
        return v - half, v * Decimal("1.07"), f"'{claim.hedge}': {fmt(v - half)}..{fmt(v * Decimal('1.07'), '', 2)}"
    if rel == ">":
        return v, INF, f"'{claim.hedge}': above {fmt(v)}"
    if rel == ">=":
        return v - half, INF, f"'{claim.hedge}': at least {fmt(v)}"
    if rel == "<":
        return -INF, v, f"'{claim.hedge}': below {fmt(v)}"
    if rel == "<=":
        return -INF, v + half, f"'{claim.hedge}': at most {fmt(v)}"
    return v - half, v + half, why


def _signed(lo: Decimal, hi: Decimal, direction: str | None, negative: bool) -> tuple[Decimal, Decimal]:
    if direction == "down" or negative:
        return -hi, -lo
    return lo, hi


# ---------------------------------------------------------------------------------------------
# checking one claim

VALUE_WORDS_RE = re.compile(r"\b(?:value|worth|revenue|earnings|receipts|dollar terms|"
                            r"in (?:US )?dollar)\b", re.I)


def change_of(claim: Claim, text: str) -> str:
    """What a % change is a change of: 'USD' (value: "worth US$103.7 million (-39.9%)") or 't'."""
    before = text[max(claim.sentence[0], claim.start - 80):claim.start]
    if VALUE_WORDS_RE.search(before) or _RE_0.search(before):
        return "USD"
    return "t"


@dataclass
class Context:
    ref: Reference
    side: OfficialSide
    text: str
    # claim -> {"partner": {...}, "period": {...}, "series": {...}, "basis": {...}}: what the
    # claim's sentence names, so a fit under another named value is not called a mismatch
    sentence_names: object = None


def _fail(reason: str, why: str, **kw) -> Verdict:
    return Verdict("unverifiable", reason, why, **kw)


def check_claim(claim: Claim, ctx: Context) -> Verdict:
    f = claim.frame
    ref = ctx.ref
    if claim.kind not in ("mass", "percent", "multiple", "money", "percentage_points"):
        return _fail("series", f"not a trade figure ({claim.kind})")
    if not f.series:
        return _fail("frame" if f.flow else "series",
                     "no commodity series named for it" if f.flow else "not a trade figure: no "
                     "commodity series or flow named")
    if not ref.has_series(f.series):
        return _fail("series", f"no official figures for {ref.series_name(f.series)} in the "
                     "reference data (add them with factcheck data import, or --reference DIR)")
    if not f.period:
        why = f.unresolved.get("period") or "no period stated"
        return _fail("frame", f"no period: {why}")
    flows = ref.facet(f.series, "flow")
    flow = f.flow or (next(iter(flows)) if len(flows) == 1 else None)
    if flow is None:
        return _fail("frame", "no flow (export or import) stated")
    reporters = ref.facet(f.series, "reporter")
    reporter = f.reporter or (next(iter(reporters)) if len(reporters) == 1 else None)
    if reporter is None or reporter not in reporters:
        return _fail("series", f"no official figures reported by {reporter or 'an unnamed reporter'}"
                     f" for {ref.series_name(f.series)}")
    if not f.partner:
        return _fail("frame", f"no partner: {f.unresolved.get('partner', 'none stated')}")
    if f.partner not in ref.facet(f.series, "partner"):
        return _fail("partner", f"no official figures for {ref.series_name(f.series)} "
                     f"{flow}s {'to' if flow == 'export' else 'from'} {f.partner}")
    q = Query(f.series, flow, reporter, f.partner)
    notes = []
    if not f.reporter:
        notes.append(f"reporter not stated: the table has {reporter} only")
    if not f.flow:
        notes.append(f"flow not stated: the table has {flow}s only")

    target = _targets(claim, ctx, q)
    if isinstance(target, Verdict):
        target.notes = notes + target.notes
        return target
    lo, hi, why, unit, candidates, described = target
    if not candidates:
        v = _fail("period", f"no official figure for {described}")
        v.notes = notes
        return v
    if claim.ambiguous and unit == "t" and not isinstance(claim.value, tuple):
        slip = _separator_slip(claim, candidates, described)
        if slip:
            slip.notes = notes + slip.notes
            return slip
    fitting = [c for c in candidates if c.fits(lo, hi)]
    if fitting:
        best = min(fitting, key=lambda c: (c.derived or c.computed, c.high - c.low))
        v = Verdict("supported", None, _supported_text(claim, best, described), best, why, notes)
        if best.conflict:
            v.notes.append(best.conflict)
        if best.derived:
            v.notes.append("rests on a derived figure (back-calculated from other stated "
                           "figures), not one the source printed")
        return v
    closest = min(candidates, key=lambda c: (c.derived or c.computed, _distance(c, lo, hi)))
    d = explain_mismatch(claim, ctx, q, lo, hi, unit, closest, described)
    unsure = _unsure_fields(claim, ctx, d.alt)
    if d.fit is not None and d.alt and unsure:
        # The number fits a reading of the sentence we were not sure of (a field carried from
        # elsewhere, or another value the same sentence names): our framing is the likelier error.
        return Verdict("supported", None, f"{d.fit.formula if d.fit.computed else d.fit.shown()}"
                       f" fits when read with {', '.join(unsure)}", d.fit, why,
                       notes + [f"read as {', '.join(unsure)}: {d.text}"])
    v = Verdict("mismatch", d.reason, d.text, closest, why, notes)
    if closest.conflict:
        v.notes.append(closest.conflict)
    return v


def _separator_slip(claim: Claim, candidates: list[Official], described: str) -> Verdict | None:
    """'62.585 metric tons' in English copy reads as 62.585 t. When only the thousands reading
    fits, the copy is wrong for its readers even if the translator meant 62,585."""
    from dataclasses import replace

    english, thousands = (Decimal(str(a)) for a in claim.ambiguous["alternatives"][:2])
    factor = TO_TONNES.get(claim.unit or "", Decimal(1))

    def fits(reading: Decimal) -> Official | None:
        decimals = max(0, -reading.as_tuple().exponent)
        probe = replace(claim, value=reading, decimals=decimals,
                        step=Decimal(1).scaleb(-decimals))
        lo, hi, _ = stated_interval(probe)
        return next((c for c in candidates if c.fits(lo * factor, hi * factor)), None)

    if fits(english):
        return None
    match = fits(thousands)
    if match is None:
        return None
    return Verdict("mismatch", "separator",
                   f"{claim.text!r} reads as {fmt(english)} {claim.unit} in English copy; {described}: "
                   f"{match.shown()}, so the dot is a thousands separator: write "
                   f"{fmt(thousands)}", match, "both readings of the separator tried")


def _unsure_fields(claim: Claim, ctx: Context, alt: dict) -> list[str]:
    """Each field of ``alt`` we did not read from the claim's own clause, as 'field value'.
    Empty unless every differing field is one we were unsure of."""
    f = claim.frame
    named = ctx.sentence_names(claim) if ctx.sentence_names else {}
    out = []
    for key, value in alt.items():
        carried = key in f.inherited or (key == "partner" and f.partner is None)
        if not carried and value not in named.get(key, set()):
            return []
        label = {"period": label_period(str(value)), "basis": _basis_words(str(value))}.get(
            key, ctx.ref.series_name(value) if key == "series" else value)
        out.append(f"{key} {label}")
    return out


def _distance(c: Official, lo: Decimal, hi: Decimal) -> Decimal:
    if c.high < lo:
        return lo - c.high
    if c.low > hi:
        return c.low - hi if hi != INF else Decimal(0)
    return Decimal(0)


def _supported_text(claim: Claim, o: Official, described: str) -> str:
    kind = "stated" if not (o.derived or o.computed) else "derived" if o.derived else "computed"
    return f"{described}: {o.formula}" if o.computed else \
        f"{described}: {o.shown()} ({kind})"


def _targets(claim: Claim, ctx: Context, q: Query):
    """(low, high, tolerance text, unit, official candidates, what was looked up) or a Verdict."""
    f = claim.frame
    side = ctx.side
    lo, hi, why = stated_interval(claim)
    negative = not isinstance(claim.value, tuple) and claim.value < 0
    period = f.period
    measure = f.measure or "level"
    if claim.kind == "mass":
        factor = TO_TONNES.get(claim.unit or "")
        if factor is None:
            return _fail("measure", f"unit {claim.unit!r} has no conversion to tonnes")
        lo, hi = lo * factor, hi * factor
        if measure not in ("level", "cumulative"):
            return _fail("measure", f"a {measure} in tonnes (an amount of change) is not in the table"
                         ) if measure != "change" else _amount_change(claim, ctx, q, lo, hi, why)
        described = q.label(ctx.ref, period)
        return lo, hi, why, "t", side.levels(q, period), described
    if claim.kind == "money":
        if claim.unit not in MONEY:
            return _fail("measure", f"no official figures in {claim.unit}")
        if measure not in ("level", "cumulative"):
            return _fail("measure", "a change in money terms is not in the table")
        described = q.label(ctx.ref, period) + f" ({claim.unit})"
        return lo, hi, why, claim.unit, side.levels(q, period, claim.unit), described
    if claim.kind == "multiple":
        basis = f.basis or "mom"
        lo, hi = (1 / hi if hi != INF else Decimal(0), 1 / lo if lo else INF) \
            if claim.direction == "down" and claim.value > 1 else (lo, hi)
        described = q.label(ctx.ref, period) + f" vs {_basis_words(basis)}"
        note = [] if f.basis else ["no basis stated: read as against the previous month"]
        cands = side.multiples(q, period, basis)
        return (lo, hi, why + ("; " + note[0] if note else ""), "x", cands, described)
    if claim.kind == "percentage_points":
        return _fail("measure", "percentage-point changes of shares are not in the table")
    # percent
    if measure == "share":
        return lo, hi, why, "pct", side.shares(q, period), q.label(ctx.ref, period) + " share of the total"
    if measure in ("level", "cumulative") and not f.basis:
        # "accounted for 11.1%", "took 38% of the total": a partner's percentage is its share
        if q.partner != "World" and not claim.direction:
            return lo, hi, why + "; read as a share of the total", "pct", side.shares(q, period), \
                q.label(ctx.ref, period) + " share of the total"
        return _fail("measure", "a percentage that is not a change or a share")
    # a change in value: "export value fell 36%", "US$26.74m, up 4.2%"
    of = change_of(claim, ctx.text)
    slo, shi = _signed(lo, hi, claim.direction, negative)
    if not f.basis:
        cands = [c for b in ("mom", "yoy") for c in side.changes(q, period, b, of)]
        if not any(c.fits(slo, shi) for c in cands):
            flipped = next((c for c in cands if c.fits(-shi, -slo)), None)
            if flipped is not None and claim.direction:
                word = "rose" if flipped.value > 0 else "fell"
                return Verdict("mismatch", "direction", f"stated {claim.text!r} "
                               f"({claim.direction}), but it {word}: {q.label(ctx.ref, period)}: "
                               f"{flipped.shown()}", flipped, why)
            return _fail("frame", "no comparison basis stated (checked month-on-month and "
                         "year-on-year: neither fits)")
        return slo, shi, why + "; basis not stated: m/m or y/y", "pct", cands, \
            q.label(ctx.ref, period) + " change"
    described = q.label(ctx.ref, period) + f" change vs {_basis_words(f.basis)}" + \
        (" (value)" if of == "USD" else "")
    return slo, shi, why, "pct", side.changes(q, period, f.basis, of), described


def _amount_change(claim, ctx, q, lo, hi, why):
    """'rose 1,950 tons': now − base."""
    f = claim.frame
    base = base_period(f.period, f.basis or "mom")
    now, then = ctx.side.level(q, f.period), ctx.side.level(q, base) if base else None
    if not now or not then:
        return _fail("period", f"no official levels for {q.label(ctx.ref, f.period)} and {base}")
    diff = now.value - then.value
    o = Official(now.low - then.high, now.high - then.low, diff, "t",
                 f"{fmt(now.value)} − {fmt(then.value)} = {fmt(diff, 't')}",
                 now.figures + then.figures, now.derived or then.derived, True)
    slo, shi = _signed(lo, hi, claim.direction, False)
    return slo, shi, why, "t", [o], q.label(ctx.ref, f.period) + f" change vs {_basis_words(f.basis or 'mom')}"


def _basis_words(basis: str | None) -> str:
    return {"mom": "the previous month", "yoy": "a year earlier", None: "?"}.get(
        basis, label_period(basis or ""))


# ---------------------------------------------------------------------------------------------
# explaining a mismatch


@dataclass
class Diagnosis:
    reason: str
    text: str
    alt: dict = field(default_factory=dict)  # the frame fields under which the number fits
    fit: Official | None = None


def explain_mismatch(claim: Claim, ctx: Context, q: Query, lo: Decimal, hi: Decimal, unit: str,
                     closest: Official, described: str) -> Diagnosis:
    side, ref, f = ctx.side, ctx.ref, claim.frame
    official_text = f"{described}: {closest.formula if closest.computed else closest.shown()}"
    stated = f"stated {claim.text!r}"

    def same_frame(q2: Query, period: str, basis: str | None = f.basis) -> list[Official]:
        if unit == "pct" and f.measure == "share":
            return side.shares(q2, period)
        if unit == "pct":
            return side.changes(q2, period, basis) if basis else []
        if unit == "x":
            return side.multiples(q2, period, basis or "mom")
        return side.levels(q2, period, unit)

    # 1. direction
    if unit in ("pct", "t") and f.measure == "change" and closest.fits(-hi, -lo):
        word = "rose" if closest.value > 0 else "fell"
        return Diagnosis("direction", f"{stated}, but it {word}: {official_text}")
    # 2. kg vs t, 3. separator
    if unit == "t":
        for factor in (Decimal(1000), Decimal("0.001")):
            fit = next((c for c in side.levels(q, f.period) if c.fits(lo * factor, hi * factor)),
                       None)
            if fit:
                sep = claim.ambiguous or _RE_2.search(claim.text)
                reason = "separator" if sep and factor > 1 else "unit"
                what = ("a thousands separator read as a decimal point" if reason == "separator"
                        else "kilograms and tonnes mixed up (off by 1,000)")
                return Diagnosis(reason, f"{stated}: {what}; {official_text}", fit=fit)
    # 4. the other basis
    if unit in ("pct", "x") and f.basis:
        for other in ("mom", "yoy"):
            if other == f.basis:
                continue
            for c in same_frame(q, f.period, other):
                if c.fits(lo, hi):
                    return Diagnosis("basis", f"{stated} is the change vs {_basis_words(other)} "
                                     f"({c.formula if c.computed else c.shown()}), not vs "
                                     f"{_basis_words(f.basis)}: {official_text}",
                                     {"basis": other}, c)
    # 5. another series (same flow, partner, period), 6. another partner, 7. another period.
    # A monthly level only fits somewhere if some row of the table fits it: skip the search
    # (the costly part of checking) when none does.
    if unit != "pct" and unit != "x" and len(f.period) == 7 and not ref.rows_fitting(unit, lo, hi):
        return Diagnosis("value", f"{stated}; {official_text}")
    for sid in ref.series:
        if sid == q.series or not ref.has_series(sid):
            continue
        for partner in dict.fromkeys((q.partner, "World")):
            q2 = Query(sid, q.flow, q.reporter, partner)
            for c in same_frame(q2, f.period):
                if c.fits(lo, hi):
                    alt = {"series": sid} if partner == q.partner else \
                        {"series": sid, "partner": partner}
                    return Diagnosis("series", f"{c.shown()} is "
                                     f"{_describe(ref, q2, f.period, unit)}; {official_text}",
                                     alt, c)
    partners = sorted(ref.facet(q.series, "partner") - {q.partner})
    for partner in partners:
        for c in same_frame(Query(q.series, q.flow, q.reporter, partner), f.period):
            if c.fits(lo, hi):
                return Diagnosis("partner", f"{c.shown()} is the figure for {partner}; "
                                 f"{official_text}", {"partner": partner}, c)
    for other in _nearby_periods(f.period):
        for c in same_frame(q, other):
            if c.fits(lo, hi):
                return Diagnosis("period", f"{c.shown()} is the figure for "
                                 f"{label_period(other)}, not {label_period(f.period)}; "
                                 f"{official_text}", {"period": other}, c)
    # 8. disputed figures and 9. any figure in the table that the number fits
    if unit in ("t", "USD", "CNY", "USD/t") and _precise(claim):
        for x in ref.rows_fitting(unit, lo, hi):
            x_query = Query(x.series, x.flow, x.reporter, x.partner)
            if not x.accepted:
                return Diagnosis("series" if "scope" in x.notes.lower() else "value",
                                 f"{fmt(x.value, unit)} is a disputed figure ({x.source}: "
                                 f"{x.notes}); {official_text}")
            alt = {k: v for k, v in (("series", x.series), ("partner", x.partner),
                                     ("period", x.period), ("flow", x.flow))
                   if v != {"series": q.series, "partner": q.partner, "period": f.period,
                            "flow": q.flow}[k]}
            reason = next((k for k in ("series", "partner", "period") if k in alt), "value")
            return Diagnosis(reason, f"{fmt(x.value, unit)} is "
                             f"{_describe(ref, x_query, x.period, unit)}; {official_text}",
                             alt, from_row(x))
    return Diagnosis("value", f"{stated}; {official_text}")


def _describe(ref: Reference, q: Query, period: str, unit: str) -> str:
    info = ref.series.get(q.series, {})
    publisher = info.get("publisher")
    name = ref.series_name(q.series)
    owner = f"{publisher}'s " if publisher else ""
    where = "" if q.partner == "World" else f" to {q.partner}" if q.flow == "export" else \
        f" from {q.partner}"
    return f"{owner}{name} {q.flow}{where} for {label_period(period)}"


def _nearby_periods(period: str) -> list[str]:
    if len(period) == 7:
        out = [shift_month(period, d) for d in (-1, 1, -12, 12, -2, 2, -3, 3)]
        return list(dict.fromkeys(out))
    return [shift_period(period, -12), shift_period(period, 12)]


def _precise(claim: Claim) -> bool:
    """Worth a table-wide search: at least three significant digits, no open hedge."""
    if isinstance(claim.value, tuple) or claim.hedge_relation in (">", "<", ">=", "<="):
        return False
    v = abs(claim.value)
    return v > 0 and claim.step / v <= Decimal("0.01")
