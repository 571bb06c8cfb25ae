"""The official side: figures a claim can be compared with, computed from the reference table.

Every figure is an *interval*: what the source printed, widened by its own rounding (3,188 t is
3,187.5..3,188.5; a derived figure ±1%). Arithmetic on them is interval arithmetic, so a ratio
of two rounded levels carries both roundings. Each result says how it was obtained (a formula a
reader can redo) and which rows it rests on, and whether any of them is derived or computed
rather than printed by the source.

Levels come from, in order: accepted stated rows; accepted derived rows; sums of months (a
year-to-date or full-year total); differences of year-to-date totals (one month); a neighbouring
month and GAC's published % change. Changes come from levels (P / base − 1) and, separately, from
published % changes, so either can support a claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .reference import Figure, Reference

ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass
class Official:
    low: Decimal
    high: Decimal
    value: Decimal  # the figure as printed, or the computed midpoint
    unit: str
    formula: str
    figures: tuple[Figure, ...] = ()
    derived: bool = False  # rests on a derived row, or computed by factcheck
    computed: bool = False
    conflict: str | None = None
    notes: list[str] = field(default_factory=list)

    def shown(self) -> str:
        """The figure as a reader would write it: as printed, or computed and rounded."""
        if not self.computed:
            return fmt(self.value, self.unit)
        places = {"pct": 1, "x": 2}.get(self.unit, 0 if abs(self.value) >= 100 else 1)
        sign = "+" if self.unit == "pct" and self.value > 0 else ""
        return sign + fmt(self.value, self.unit, places)

    def fits(self, low: Decimal, high: Decimal) -> bool:
        return self.low <= high and low <= self.high

    def to_dict(self) -> dict:
        return {"value": _plain(self.value), "low": _plain(self.low), "high": _plain(self.high),
                "unit": self.unit, "formula": self.formula,
                "stated": not self.derived and not self.computed,
                "derived": self.derived, "computed": self.computed,
                "conflict": self.conflict}


def _plain(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(round(d, 6))


def fmt(d: Decimal, unit: str = "", places: int | None = None) -> str:
    """3188 -> '3,188'; 157.48 -> '157.5' with places=1; keeps printed decimals otherwise."""
    if places is not None:
        d = round(d, places)
    text = f"{d:,f}" if d.as_tuple().exponent < 0 else f"{int(d):,}"
    if unit == "pct":
        return text + "%"
    if unit == "x":
        return text + "x"
    if unit == "USD":
        return "$" + text
    return f"{text} {unit}".strip()


# ---------------------------------------------------------------------------------------------
# periods


def shift_month(period: str, months: int) -> str:
    y, m = int(period[:4]), int(period[5:7])
    n = y * 12 + (m - 1) + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def shift_period(period: str, months: int) -> str:
    if ".." in period:
        a, b = period.split("..")
        return f"{shift_month(a, months)}..{shift_month(b, months)}"
    if len(period) == 4:
        return str(int(period) + months // 12)
    return shift_month(period, months)


def base_period(period: str, basis: str | None) -> str | None:
    """The comparison period of a change: mom -> previous month; yoy -> a year earlier; a period
    string -> itself."""
    if not basis:
        return None
    if basis == "mom":
        return shift_month(period, -1) if len(period) == 7 else None
    if basis == "yoy":
        return shift_period(period, -12)
    return basis if basis != period else None


def months_in(period: str) -> list[str]:
    if len(period) == 4:
        return [f"{period}-{m:02d}" for m in range(1, 13)]
    if ".." in period:
        a, b = period.split("..")
        out, cur = [], a
        while cur <= b and len(out) < 240:
            out.append(cur)
            cur = shift_month(cur, 1)
        return out
    return [period]


def cumulative_key(period: str) -> tuple[str, str]:
    """How the table writes a multi-month total: 'YYYY' for a calendar year, a range otherwise."""
    if len(period) == 4:
        return "cumulative", period
    if ".." in period:
        a, b = period.split("..")
        if a[5:] == "01" and b[5:] == "12" and a[:4] == b[:4]:
            return "cumulative", a[:4]
        return "cumulative", period
    return "level", period


def label_period(period: str) -> str:
    if ".." in period:
        a, b = period.split("..")
        return f"{a}..{b[5:]}" if a[:4] == b[:4] else period
    return period


# ---------------------------------------------------------------------------------------------
# the official side of one frame


@dataclass(frozen=True)
class Query:
    series: str
    flow: str
    reporter: str
    partner: str

    def label(self, ref: Reference, period: str) -> str:
        name = ref.series_name(self.series)
        where = "" if self.partner == "World" else (" from " if self.flow == "import" else " to ") \
            + self.partner
        return f"{name} {self.flow}s{where}, {label_period(period)}"


class OfficialSide:
    """Computes official figures for one reference, memoising levels, the one-figure level,
    changes, multiples and shares (each a pure function of its arguments and the reference;
    Official objects are never modified, so the memoised ones are shared)."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self._levels: dict[tuple, list[Official]] = {}
        self._level: dict[tuple, Official | None] = {}
        self._derived: dict[tuple, list[Official]] = {}

    # -- levels ----------------------------------------------------------------------------

    def levels(self, q: Query, period: str, unit: str = "t", depth: int = 0) -> list[Official]:
        """Every way the table gives this level: one candidate per accepted source, or a
        computed one when no row states it."""
        key = (q, period, unit, depth)
        if key not in self._levels:
            self._levels[key] = self._compute_levels(q, period, unit, depth)
        return self._levels[key]

    def _compute_levels(self, q: Query, period: str, unit: str, depth: int) -> list[Official]:
        measure, p = cumulative_key(period)
        rows = self.ref.lookup(q.series, q.flow, q.reporter, q.partner, p, measure, unit=unit)
        if rows:
            rows.sort(key=lambda f: (not f.stated, f.bounds()[1] - f.bounds()[0]))
            return [from_row(f) for f in rows]
        if depth > 1:
            return []
        months = months_in(period)
        if len(months) > 1:
            parts = [self.level(q, m, unit, depth + 1) for m in months]
            # a year-to-date row for the head of the range, plus the months after it
            for cut in range(len(months) - 1, 0, -1):
                head = f"{months[0]}..{months[cut - 1]}" if cut > 1 else months[0]
                head_level = self.level(q, head, unit, depth + 1) if cut > 1 else None
                if head_level and all(parts[cut:]):
                    return [_sum([head_level, *parts[cut:]], unit)]
            if all(parts):
                return [_sum(parts, unit)]
            return []
        out = []
        m = months[0]
        if m[5:] != "01":
            ytd, before = self.level(q, f"{m[:5]}01..{m}", unit, depth + 1), None
            prev = shift_month(m, -1)
            if ytd:
                before = self.level(q, f"{m[:5]}01..{prev}" if prev[5:] != "01" else prev, unit,
                                    depth + 1)
            if ytd and before:
                out.append(_difference(ytd, before, unit))
        if not out and unit == "t":
            for basis, back in (("mom", -1), ("yoy", -12)):
                base = self.level(q, shift_month(m, back), unit, depth + 1)
                pct = self.ref.lookup(q.series, q.flow, q.reporter, q.partner, m, "change",
                                      basis=basis, of="t", unit="pct")
                if base and pct:
                    out.append(_apply_change(base, from_row(pct[0]), basis))
                    break
        return out

    def level(self, q: Query, period: str, unit: str = "t", depth: int = 0) -> Official | None:
        """One figure for arithmetic: agreeing sources narrowed to what they share; conflicting
        sources widened to cover both, with the conflict named."""
        key = (q, period, unit, depth)
        try:
            return self._level[key]
        except KeyError:
            found = self._level[key] = self._compute_level(q, period, unit, depth)
            return found

    def _compute_level(self, q: Query, period: str, unit: str, depth: int) -> Official | None:
        cands = self.levels(q, period, unit, depth)
        if not cands:
            return None
        best = [c for c in cands if not c.derived and not c.computed] or cands
        if len(best) == 1:
            return best[0]
        low, high = max(c.low for c in best), min(c.high for c in best)
        if low <= high:
            first = min(best, key=lambda c: c.high - c.low)
            return Official(low, high, first.value, unit, first.formula,
                            tuple(f for c in best for f in c.figures))
        lo, hi = min(c.low for c in best), max(c.high for c in best)
        names = "; ".join(f"{fmt(c.value, unit)} ({c.figures[0].source})" for c in best)
        return Official(lo, hi, best[0].value, unit, best[0].formula,
                        tuple(f for c in best for f in c.figures),
                        conflict=f"sources disagree: {names}")

    # -- changes, multiples, shares ----------------------------------------------------------

    def _memo(self, key: tuple, compute) -> list[Official]:
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = compute()
        return list(found)  # a fresh list each call, as when computed

    def changes(self, q: Query, period: str, basis: str, of: str = "t") -> list[Official]:
        """Percent changes of ``period`` against ``basis``: from levels, and as published."""
        return self._memo(("changes", q, period, basis, of),
                          lambda: self._changes(q, period, basis, of))

    def _changes(self, q: Query, period: str, basis: str, of: str) -> list[Official]:
        out = []
        base = base_period(period, basis)
        if base:
            now, then = self.level(q, period, of), self.level(q, base, of)
            if now and then and then.low > 0:
                out.append(_ratio(now, then, "pct"))
        if basis in ("mom", "yoy"):
            _, p = cumulative_key(period)
            for f in self.ref.lookup(q.series, q.flow, q.reporter, q.partner, p, "change",
                                     basis=basis, of=of, unit="pct"):
                out.append(from_row(f))
        return out

    def multiples(self, q: Query, period: str, basis: str) -> list[Official]:
        return self._memo(("multiples", q, period, basis), lambda: self._multiples(q, period, basis))

    def _multiples(self, q: Query, period: str, basis: str) -> list[Official]:
        out = []
        base = base_period(period, basis)
        if base:
            now, then = self.level(q, period), self.level(q, base)
            if now and then and then.low > 0:
                out.append(_ratio(now, then, "x"))
        if basis in ("mom", "yoy"):
            for f in self.ref.lookup(q.series, q.flow, q.reporter, q.partner, period, "change",
                                     basis=basis, of="t", unit="pct"):
                o = from_row(f)
                out.append(Official(ONE + o.low / HUNDRED, ONE + o.high / HUNDRED,
                                    ONE + o.value / HUNDRED, "x",
                                    f"1 + {fmt(o.value, 'pct')} = {fmt(ONE + o.value / HUNDRED, 'x', 2)}",
                                    o.figures, o.derived, True))
        return out

    def shares(self, q: Query, period: str) -> list[Official]:
        return self._memo(("shares", q, period), lambda: self._shares(q, period))

    def _shares(self, q: Query, period: str) -> list[Official]:
        if q.partner == "World":
            return []
        part = self.level(q, period)
        whole = self.level(Query(q.series, q.flow, q.reporter, "World"), period)
        if not part or not whole or whole.low <= 0:
            return []
        lo, hi = part.low / whole.high * HUNDRED, part.high / whole.low * HUNDRED
        mid = part.value / whole.value * HUNDRED
        return [Official(lo, hi, mid, "pct",
                         f"{fmt(part.value, 't')} / {fmt(whole.value, 't')} = {fmt(mid, 'pct', 1)}",
                         part.figures + whole.figures, part.derived or whole.derived, True,
                         part.conflict or whole.conflict)]


def from_row(f: Figure) -> Official:
    lo, hi = f.bounds()
    how = "stated" if f.stated else f"derived ({f.notes})" if f.notes else "derived"
    return Official(lo, hi, f.value, f.unit, f"{fmt(f.value, f.unit)} ({how}: {f.source})", (f,),
                    derived=not f.stated)


def _sum(parts: list[Official], unit: str) -> Official:
    lo = sum((p.low for p in parts), Decimal(0))
    hi = sum((p.high for p in parts), Decimal(0))
    val = sum((p.value for p in parts), Decimal(0))
    return Official(lo, hi, val, unit,
                    " + ".join(fmt(p.value) for p in parts) + f" = {fmt(val, unit)}",
                    tuple(f for p in parts for f in p.figures),
                    derived=any(p.derived for p in parts), computed=True,
                    conflict=next((p.conflict for p in parts if p.conflict), None))


def _difference(total: Official, before: Official, unit: str) -> Official:
    val = total.value - before.value
    return Official(total.low - before.high, total.high - before.low, val, unit,
                    f"{fmt(total.value)} − {fmt(before.value)} = {fmt(val, unit)}",
                    total.figures + before.figures, total.derived or before.derived, True)


def _apply_change(base: Official, change: Official, basis: str) -> Official:
    lo = base.low * (ONE + change.low / HUNDRED)
    hi = base.high * (ONE + change.high / HUNDRED)
    val = base.value * (ONE + change.value / HUNDRED)
    sign = "+" if change.value >= 0 else "−"
    return Official(lo, hi, val, base.unit,
                    f"{fmt(base.value)} × (1 {sign} {fmt(abs(change.value), 'pct')} {basis}) = "
                    f"{fmt(val, base.unit, 0)}",
                    base.figures + change.figures, True, True)


def _ratio(now: Official, then: Official, unit: str) -> Official:
    """now / then as a multiple ('x') or as a percent change ('pct')."""
    lo, hi, mid = now.low / then.high, now.high / then.low, now.value / then.value
    derived = now.derived or then.derived
    conflict = now.conflict or then.conflict
    figs = now.figures + then.figures
    if unit == "x":
        return Official(lo, hi, mid, "x",
                        f"{fmt(now.value)} / {fmt(then.value)} = {fmt(mid, 'x', 2)}",
                        figs, derived, True, conflict)
    pct = (mid - ONE) * HUNDRED
    sign = "+" if pct >= 0 else "−"
    return Official((lo - ONE) * HUNDRED, (hi - ONE) * HUNDRED, pct, "pct",
                    f"{fmt(now.value)} / {fmt(then.value)} − 1 = {sign}{fmt(abs(pct), 'pct', 1)}",
                    figs, derived, True, conflict)
