"""Reference data: official figures, the series catalog and the partner gazetteer.

A reference directory holds any of ``figures.csv`` (one official figure a row, see
docs/reference-data.md), ``series.json`` (the catalog) and ``partners.json`` (the gazetteer).
The shipped directory (``reference_data/`` in the checkout, or ``$FACTCHECK_REFERENCE_DATA``) is
always loaded first; each ``--reference DIR`` is laid over it: its catalog entries add to or
replace the shipped ones by id, and its figures join the shipped figures. Figures from different
sources for the same key are all kept; when they disagree beyond rounding that is a *conflict*,
reported, never silently resolved.

Loading is all or nothing: the first malformed row raises ``FactcheckError`` E012 naming the file,
line and column, and no partial table is returned.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from .errors import FactcheckError

FIGURE_COLUMNS = ["series", "flow", "reporter", "partner", "period", "measure", "basis", "of",
                  "value", "unit", "tolerance", "stated", "status", "source", "source_url",
                  "source_date", "notes"]
REQUIRED_COLUMNS = ["series", "flow", "reporter", "partner", "period", "measure", "value", "unit",
                    "stated", "status", "source"]
REFERENCE_FILES = ("figures.csv", "series.json", "partners.json")  # what a directory may hold
MEASURES = {"level", "cumulative", "change"}
BASES = {"", "mom", "yoy"}
FLOWS = {"export", "import"}
# unit as written in a table -> (canonical unit, power of ten to apply to the value)
UNITS = {"t": ("t", 0), "tonnes": ("t", 0), "tons": ("t", 0), "kg": ("t", -3),
         "kt": ("t", 3), "million kg": ("t", 3), "Mt": ("t", 6),
         "USD": ("USD", 0), "usd": ("USD", 0), "CNY": ("CNY", 0), "cny": ("CNY", 0),
         "USD/t": ("USD/t", 0), "usd_per_t": ("USD/t", 0), "pct": ("pct", 0)}
PERIOD_RE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:\.\.\d{4}-(?:0[1-9]|1[0-2]))?)?")
TOLERANCE_RE = re.compile(r"±?(?P<n>\d+(?:\.\d+)?)(?P<pct>%)?")


def shipped_dir() -> Path:
    env = os.environ.get("FACTCHECK_REFERENCE_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "reference_data"


@dataclass(frozen=True)
class Figure:
    """One official figure. ``value`` is in the canonical unit (t, USD, CNY, USD/t, pct) and keeps
    the digits the source printed, so its rounding is known."""

    series: str
    flow: str
    reporter: str
    partner: str
    period: str
    measure: str
    basis: str
    of: str  # for changes: the unit of the level that changed ("t" volume, "USD" value)
    value: Decimal
    unit: str
    tolerance: str  # "" = half the last printed digit; "±1%" or "±0.5" otherwise
    stated: bool
    status: str  # accepted | disputed
    source: str
    source_url: str = ""
    source_date: str = ""
    notes: str = ""
    file: str = ""
    line: int = 0

    @property
    def key(self) -> tuple:
        return (self.series, self.flow, self.reporter, self.partner, self.period, self.measure,
                self.basis, self.of, self.unit)

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    def bounds(self) -> tuple[Decimal, Decimal]:
        """The interval the true figure lies in, given how the source rounded it."""
        half = half_step(self.value, self.tolerance)
        return self.value - half, self.value + half

    @property
    def short_source(self) -> str:
        """'Reuters: China's exports of ...' -> 'Reuters'; the publisher a reader knows."""
        head = self.source.split(":")[0].split(" (")[0].strip()
        return head if len(head) <= 40 else head[:39] + "…"

    def cite(self) -> dict:
        return {"source": self.source, "url": self.source_url or None,
                "date": self.source_date or None,
                "stated": "stated" if self.stated else "derived", "status": self.status,
                "notes": self.notes or None}


def half_step(value: Decimal, tolerance: str = "") -> Decimal:
    if tolerance:
        m = TOLERANCE_RE.fullmatch(tolerance.strip())
        n = Decimal(m["n"])
        return abs(value) * n / 100 if m["pct"] else n
    return Decimal(1).scaleb(value.as_tuple().exponent) / 2


@dataclass
class Reference:
    dirs: tuple[str, ...]
    series: dict[str, dict]
    partners: dict[str, dict]
    reporters: dict[str, dict]
    figures: list[Figure]
    index: dict[tuple, list[Figure]] = field(default_factory=dict)
    conflicts: list[tuple[Figure, Figure]] = field(default_factory=list)

    def lookup(self, series: str, flow: str, reporter: str, partner: str, period: str,
               measure: str, basis: str = "", of: str = "", unit: str = "t",
               accepted: bool = True) -> list[Figure]:
        rows = self.index.get((series, flow, reporter, partner, period, measure, basis, of, unit),
                              [])
        return [f for f in rows if f.accepted] if accepted else list(rows)

    def series_name(self, sid: str) -> str:
        info = self.series.get(sid)
        return info.get("name") or info.get("label") or sid if info else sid

    def __post_init__(self) -> None:
        # per-series facets, so checking a claim never scans the whole table
        self._facets: dict[str, dict[str, set]] = {}
        self._months: dict[tuple, list[str]] = {}
        for f in self.figures:
            facet = self._facets.setdefault(f.series, {"flow": set(), "reporter": set(),
                                                       "partner": set()})
            facet["flow"].add(f.flow)
            facet["reporter"].add(f.reporter)
            facet["partner"].add(f.partner)
            if f.measure == "level" and f.unit == "t" and len(f.period) == 7:
                self._months.setdefault((f.series, f.flow, f.reporter, f.partner), []) \
                    .append(f.period)
        for key, months in self._months.items():
            self._months[key] = sorted(set(months))
        # levels by unit, sorted by their lower bound, for "which rows does this number fit"
        self._by_low: dict[str, list[tuple[Decimal, Decimal, int]]] = {}
        for i, f in enumerate(self.figures):
            if f.measure != "change":
                lo, hi = f.bounds()
                self._by_low.setdefault(f.unit, []).append((lo, hi, i))
        for rows in self._by_low.values():
            rows.sort()

    def rows_fitting(self, unit: str, low: Decimal, high: Decimal) -> list[Figure]:
        """Level and total rows (any series, partner, period) whose interval meets [low, high]."""
        import bisect

        rows = self._by_low.get(unit, [])
        end = bisect.bisect_right(rows, (high, Decimal("Infinity"), len(self.figures)))
        return [self.figures[i] for lo, hi, i in rows[:end] if hi >= low]

    def has_series(self, sid: str) -> bool:
        return sid in self._facets

    def facet(self, sid: str, name: str) -> set:
        """The flows, reporters or partners the table has figures for in a series."""
        return self._facets.get(sid, {}).get(name, set())

    def months(self, series: str, flow: str, reporter: str, partner: str) -> list[str]:
        """Months with a monthly level row (tonnes) for this series, flow and partner."""
        return self._months.get((series, flow, reporter, partner), [])


# ---------------------------------------------------------------------------------------------
# loading


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FactcheckError("E012", str(path), exc.strerror or str(exc)) from None
    except ValueError as exc:
        raise FactcheckError("E012", str(path), f"not JSON: {exc}") from None


def _catalogs(directory: Path, series: dict, partners: dict, reporters: dict) -> None:
    if (directory / "series.json").exists():
        data = _read_json(directory / "series.json")
        for sid, info in _section(data, "series", directory / "series.json").items():
            if not isinstance(info, dict) or not isinstance(info.get("aliases", []), list):
                raise FactcheckError("E012", str(directory / "series.json"),
                                     f"series {sid!r} needs an object with an 'aliases' list")
            series[sid] = {**series.get(sid, {}), **info}
    if (directory / "partners.json").exists():
        path = directory / "partners.json"
        data = _read_json(path)
        for pid, info in _section(data, "partners", path).items():
            if not isinstance(info, dict) or not isinstance(info.get("aliases", []), list):
                raise FactcheckError("E012", str(path),
                                     f"partner {pid!r} needs an object with an 'aliases' list")
            partners[pid] = {**partners.get(pid, {}), **info}
        for rid, info in data.get("reporters", {}).items():
            reporters[rid] = {**reporters.get(rid, {}), **info}


def _section(data: dict, name: str, path: Path) -> dict:
    section = data.get(name) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise FactcheckError("E012", str(path), f"needs a top-level {name!r} object")
    return section


def parse_number(text: str) -> Decimal:
    """A figure as printed: thousands separators and spaces dropped; digits kept."""
    cleaned = text.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not re.fullmatch(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", cleaned):
        raise ValueError(f"{text!r} is not a number")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


def read_figures(path: Path) -> list[Figure]:
    """Parse one figures.csv, strictly. Raises E012 with file, line and column."""
    src = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactcheckError("E012", src, exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FactcheckError("E012", src, "not UTF-8 text") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header:
        raise FactcheckError("E012", src, "empty table: it needs a header row", 1)
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FactcheckError("E012", src, f"missing column(s) {', '.join(missing)}; the header "
                             f"must name {', '.join(REQUIRED_COLUMNS)}", 1)
    pos = {name: i for i, name in enumerate(header)}
    figures: list[Figure] = []
    seen: dict[tuple, Figure] = {}
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            raise FactcheckError("E012", src, f"{len(row)} cells but the header has "
                                 f"{len(header)} columns", line_no)

        def cell(name: str, _row=row) -> str:
            i = pos.get(name)
            return _row[i].strip() if i is not None and i < len(_row) else ""

        def bad(column: str, why: str, _line=line_no):
            return FactcheckError("E012", src, why, _line, column)

        for name in REQUIRED_COLUMNS:
            if not cell(name):
                raise bad(name, "empty cell")
        if cell("flow") not in FLOWS:
            raise bad("flow", f"{cell('flow')!r}: use export or import")
        if not PERIOD_RE.fullmatch(cell("period")):
            raise bad("period", f"{cell('period')!r}: use YYYY-MM, YYYY-MM..YYYY-MM or YYYY")
        if cell("measure") not in MEASURES:
            raise bad("measure", f"{cell('measure')!r}: use one of {', '.join(sorted(MEASURES))}")
        basis = cell("basis")
        if basis not in BASES:
            raise bad("basis", f"{basis!r}: use mom, yoy or leave it empty")
        if (cell("measure") == "change") != bool(basis):
            raise bad("basis", "a change needs a basis (mom or yoy); levels take none")
        if cell("unit") not in UNITS:
            raise bad("unit", f"unknown unit {cell('unit')!r}: use one of "
                      f"{', '.join(sorted(UNITS))}")
        unit, power = UNITS[cell("unit")]
        if (unit == "pct") != (cell("measure") == "change"):
            raise bad("unit", "changes are in pct; levels in t, kg, USD, CNY or USD/t")
        try:
            value = parse_number(cell("value")).scaleb(power)
        except ValueError as exc:
            raise bad("value", str(exc)) from None
        tolerance = cell("tolerance")
        if tolerance and not TOLERANCE_RE.fullmatch(tolerance):
            raise bad("tolerance", f"{tolerance!r}: use e.g. ±1% or ±0.5 (in the row's unit)")
        if tolerance and power and not tolerance.endswith("%"):
            tolerance = str(Decimal(TOLERANCE_RE.fullmatch(tolerance)["n"]).scaleb(power))
        stated = cell("stated")
        if stated not in ("stated", "derived"):
            raise bad("stated", f"{stated!r}: use stated or derived")
        if cell("status") not in ("accepted", "disputed"):
            raise bad("status", f"{cell('status')!r}: use accepted or disputed")
        of = cell("of") or ("t" if unit == "pct" else "")
        fig = Figure(series=cell("series"), flow=cell("flow"), reporter=cell("reporter"),
                     partner=cell("partner"), period=cell("period"), measure=cell("measure"),
                     basis=basis, of=of, value=value, unit=unit, tolerance=tolerance,
                     stated=stated == "stated", status=cell("status"), source=cell("source"),
                     source_url=cell("source_url"), source_date=cell("source_date"),
                     notes=cell("notes"), file=src, line=line_no)
        same = seen.get((fig.key, fig.source))
        if same is not None and same.value != fig.value:
            raise bad("value", f"duplicate key with a different value: line {same.line} gives "
                      f"{same.value} from the same source for {'/'.join(fig.key[:6])}")
        seen[(fig.key, fig.source)] = fig
        figures.append(fig)
    return figures


def find_conflicts(figures: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Pairs of accepted figures for the same key whose rounding intervals do not meet."""
    by_key: dict[tuple, list[Figure]] = {}
    for f in figures:
        if f.accepted:
            by_key.setdefault(f.key, []).append(f)
    out = []
    for rows in by_key.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                (alo, ahi), (blo, bhi) = a.bounds(), b.bounds()
                if alo > bhi or blo > ahi:
                    out.append((a, b))
    return out


def _dirs(extra_dirs: tuple[str, ...]) -> list[Path]:
    dirs = [shipped_dir(), *map(Path, extra_dirs)]
    for i, directory in enumerate(dirs):
        if not directory.is_dir():
            raise FactcheckError("E015", str(directory), "not a directory" if directory.exists()
                                 else "no such directory")
        if i and not any((directory / n).exists()
                         for n in REFERENCE_FILES):
            raise FactcheckError("E015", str(directory),
                                 "holds none of figures.csv, series.json, partners.json")
    return dirs


@lru_cache(maxsize=8)
def load_catalogs(extra_dirs: tuple[str, ...] = ()) -> tuple[dict, dict, dict]:
    """(series, partners, reporters) from the shipped catalogs and each extra directory."""
    series: dict[str, dict] = {}
    partners: dict[str, dict] = {}
    reporters: dict[str, dict] = {}
    for directory in _dirs(extra_dirs):
        _catalogs(directory, series, partners, reporters)
    return series, partners, reporters


@lru_cache(maxsize=8)
def load_reference(extra_dirs: tuple[str, ...] = ()) -> Reference:
    """The shipped reference data with each of ``extra_dirs`` laid over it, in order."""
    series, partners, reporters = load_catalogs(extra_dirs)
    figures: list[Figure] = []
    dirs = tuple(str(d) for d in _dirs(extra_dirs))
    for d in dirs:
        if (Path(d) / "figures.csv").exists():
            figures.extend(read_figures(Path(d) / "figures.csv"))
    index: dict[tuple, list[Figure]] = {}
    for f in figures:
        index.setdefault(f.key, []).append(f)
    # a figure for a series or partner nobody catalogued is still usable, but says so
    return Reference(dirs=dirs, series=series, partners=partners, reporters=reporters,
                     figures=figures, index=index, conflicts=find_conflicts(figures))


def validate_reference(extra_dirs: tuple[str, ...] = ()) -> list[str]:
    """Problems that do not stop loading: unknown series/partner ids, conflicts."""
    ref = load_reference(extra_dirs)
    notes = []
    for f in ref.figures:
        if f.series not in ref.series:
            notes.append(f"{f.file}:{f.line}: series {f.series!r} is not in any series.json")
        if f.partner not in ref.partners:
            notes.append(f"{f.file}:{f.line}: partner {f.partner!r} is not in any partners.json")
    for a, b in ref.conflicts:
        notes.append(f"conflict: {'/'.join(a.key[:6])}: {a.value} ({a.source}, line {a.line}) vs "
                     f"{b.value} ({b.source}, line {b.line}); both kept")
    return notes


def reference_fingerprint(extra_dirs: tuple[str, ...] = ()) -> list[dict]:
    """The reference tables in use (shipped and ``extra_dirs``), by content hash: verdicts
    depend on them, so a resumed audit must find the same ones."""
    import hashlib

    out = []
    for d in _dirs(extra_dirs):
        for name in REFERENCE_FILES:
            p = d / name
            if p.exists():
                out.append({"path": str(p.resolve()),
                            "sha256": hashlib.sha256(p.read_bytes()).hexdigest()[:16]})
    return out
