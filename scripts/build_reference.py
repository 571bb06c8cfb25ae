"""Build reference_data/figures.csv from the collected customs figures.

    python scripts/build_reference.py [../shared/reference/customs_figures.csv]

The input is the project's research table (one figure a row with its public source; see its
README). This script only reshapes it into the tidy layout factcheck reads (docs/reference-data.md), and adds the figures that
scripts/reference_notes.csv transcribes from the table's notes column:
series ids from the catalog, measure/basis/unit columns instead of unit suffixes, YTD periods as
ranges. Every row keeps its source, stated/derived flag and status; nothing is dropped or merged.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from factcheck.reference import FIGURE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "customs_figures.csv"

SERIES = {
    "rare earth permanent magnets": "rare_earth_magnets",
    "rare earths (GAC headline item '稀土')": "rare_earths",
    "rare earth products (Bloomberg calculation from GAC data)": "rare_earth_products",
    "rare earth concentrates": "rare_earth_ores",
    "rare earth metal ores": "rare_earth_ores",
    "rare earth ores": "rare_earth_ores",
    "rare earth oxides": "rare_earth_oxides",
    "unlisted rare earth oxides": "rare_earth_oxides_unlisted",
    "rare earth metals and alloys": "rare_earth_metals_alloys",
    "rare earth raw materials (broad scope)": "rare_earth_raw_materials",
}
PARTNERS = {"Asia (region)": "Asia", "Europe (region)": "Europe",
            "North America (region)": "North America"}
# unit suffix -> (measure, basis, of, unit, period kind)
UNITS = {
    "t": ("level", "", "", "t", "month"),
    "t_ytd": ("cumulative", "", "", "t", "ytd"),
    "t_fy": ("cumulative", "", "", "t", "year"),
    "pct_mom": ("change", "mom", "t", "pct", "month"),
    "pct_yoy": ("change", "yoy", "t", "pct", "month"),
    "pct_yoy_ytd": ("change", "yoy", "t", "pct", "ytd"),
    "pct_yoy_value": ("change", "yoy", "USD", "pct", "month"),
    "usd": ("level", "", "", "USD", "month"),
    "usd_ytd": ("cumulative", "", "", "USD", "ytd"),
    "usd_fy": ("cumulative", "", "", "USD", "year"),
    "usd_per_t": ("level", "", "", "USD/t", "month"),
    "cny": ("level", "", "", "CNY", "month"),
}
COLUMNS = FIGURE_COLUMNS  # the layout factcheck.reference reads


def period_of(period: str, kind: str) -> str:
    year, month = period.split("-")
    if kind == "year":
        return year
    if kind == "ytd" and month != "01":
        return f"{year}-01..{period}"
    return period


def tolerance_of(row: dict) -> str:
    """Derived rows inherit the rounding of the stated % they come from (README: ±0.5-1%).
    Money written as "$301.8m" or "about $60 million" is rounded at its last non-zero digit."""
    if row["stated_or_derived"] == "derived":
        return "±1%"
    value = row["value"]
    if row["unit"].startswith(("usd", "cny")) and "." not in value and value.endswith("000"):
        digits = value.lstrip("-")
        zeros = len(digits) - len(digits.rstrip("0"))
        return f"±{5 * 10 ** (zeros - 1)}"
    return ""


NOTES_FIGURES = ROOT / "scripts" / "reference_notes.csv"


def build(source: Path, target: Path) -> int:
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    out = []
    # Figures printed by a source but recorded only in another row's notes ("+46% MoM",
    # "SMM: 6,145.623 t"), transcribed one a row with the parent row's source and line.
    for r in csv.DictReader(NOTES_FIGURES.open(encoding="utf-8")):
        r.pop("parent_line")
        out.append(r)
    for r in rows:
        measure, basis, of, unit, kind = UNITS[r["unit"]]
        out.append({
            "series": SERIES[r["commodity"]], "flow": r["flow"], "reporter": r["reporter"],
            "partner": PARTNERS.get(r["partner"], r["partner"]),
            "period": period_of(r["period"], kind), "measure": measure, "basis": basis, "of": of,
            "value": r["value"], "unit": unit, "tolerance": tolerance_of(r),
            "stated": r["stated_or_derived"], "status": r["status"],
            "source": r["source_title"], "source_url": r["source_url"],
            "source_date": r["source_date"], "notes": r["notes"],
        })
    out.sort(key=lambda r: (r["series"], r["flow"], r["partner"], r["measure"], r["basis"],
                            r["of"], r["unit"], r["period"], r["source"]))
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    tmp.replace(target)
    return len(out)


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    n = build(src, ROOT / "reference_data" / "figures.csv")
    print(f"wrote {n} figures to reference_data/figures.csv")
