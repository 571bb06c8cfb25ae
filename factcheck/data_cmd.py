"""``factcheck data list|show|validate|import``: look at and extend the reference data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import FactcheckError


def add_data_parser(sub, add_output_flags, reference_flag) -> None:
    data = sub.add_parser("data", help="list, show, validate and import official figures",
                          description="The reference data: official figures, the series "
                                      "catalog and the partner gazetteer.")
    dsub = data.add_subparsers(dest="data_command")

    ls = dsub.add_parser("list", help="the series, with how many figures each has and when",
                         description="List the series in the catalog with their figures.")
    reference_flag(ls)
    add_output_flags(ls)
    show = dsub.add_parser("show", help="the figures of one series",
                           description="Show the figures of a series, with their sources.")
    show.add_argument("series", help="a series id (see factcheck data list)")
    show.add_argument("--partner", help="only this partner (e.g. 'United States', World)")
    show.add_argument("--flow", choices=["export", "import"], help="only this flow")
    reference_flag(show)
    add_output_flags(show)
    val = dsub.add_parser("validate", help="load every table strictly; list conflicts",
                          description="Load the reference tables strictly (exit 2 on the first "
                                      "malformed row, naming file, line and column) and list "
                                      "conflicting sources and unknown ids (exit 0).")
    reference_flag(val)
    add_output_flags(val)
    imp = dsub.add_parser(
        "import", help="add figures from a GAC platform CSV or UN Comtrade records",
        description="Convert GAC statistics-platform CSV (--format gac) or UN Comtrade records, "
                    "CSV or JSON (--format comtrade), into rows of DIR/figures.csv. The table "
                    "is written atomically; a re-import replaces that source's rows for the "
                    "same keys. Use the directory with --reference DIR.")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--format", dest="source_format", choices=["gac", "comtrade"], required=True,
                     help="the layout of FILE")
    imp.add_argument("--into", metavar="DIR", required=True,
                     help="reference directory to add the figures to (created if missing)")
    imp.add_argument("--flow", choices=["export", "import"],
                     help="GAC files do not record the flow (it was the query's iEType): "
                          "required with --format gac")
    imp.add_argument("--series", help="series id for the commodity code (default: the catalog "
                                      "series with exactly that HS code)")
    imp.add_argument("--source-date", default="", help="publication date of the data, YYYY-MM-DD")


def series_rows(ref) -> list[dict]:
    """Each catalog series with how many figures it has, for which periods and partners."""
    rows = []
    for sid, info in ref.series.items():
        figs = [f for f in ref.figures if f.series == sid]
        periods = sorted(f.period for f in figs)
        rows.append({"series": sid, "name": info.get("name") or info.get("label"),
                     "publisher": info.get("publisher"), "hs_code": info.get("hs_code"),
                     "figures": len(figs),
                     "periods": f"{periods[0]}..{periods[-1]}" if periods else None,
                     "partners": sorted({f.partner for f in figs}),
                     "scope": info.get("scope")})
    return rows


def cmd_data(args, emit, write_output) -> int:
    from .reference import load_catalogs, load_reference, validate_reference

    cmd = args.data_command
    if cmd is None:
        print("usage: factcheck data {list,show,validate,import} ...", file=sys.stderr)
        return 2
    if cmd == "import":
        return _import(args)
    dirs = tuple(args.reference)
    ref = load_reference(dirs)
    fmt = args.format or ("rich" if sys.stdout.isatty() and not args.output else "json")
    if cmd == "validate":
        notes = validate_reference(dirs)
        payload = {"directories": list(ref.dirs), "figures": len(ref.figures),
                   "series": len(ref.series), "partners": len(ref.partners),
                   "conflicts": len(ref.conflicts), "notes": notes}
        if fmt == "json":
            write_output(args, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        else:
            lines = [f"{len(ref.figures)} figures, {len(ref.series)} series, "
                     f"{len(ref.partners)} partners loaded from {', '.join(ref.dirs)}: OK",
                     *notes]
            write_output(args, "\n".join(lines) + "\n")
        return 0
    if cmd == "list":
        rows = series_rows(ref)
        if fmt == "json":
            write_output(args, json.dumps({"series": rows}, ensure_ascii=False, indent=2) + "\n")
            return 0
        from rich.table import Table

        table = Table(title="Series", expand=True)
        for col in ("series", "name", "figures", "periods", "partners"):
            table.add_column(col, ratio=1 if col in ("figures",) else 2)
        for r in rows:
            table.add_row(r["series"], r["name"] or "", str(r["figures"]), r["periods"] or "—",
                          ", ".join(r["partners"][:6]) + (" …" if len(r["partners"]) > 6 else ""))
        emit(args, "rich", None, lambda console: console.print(table))
        return 0
    # show
    _, partners, _ = load_catalogs(dirs)
    if args.series not in ref.series and not ref.has_series(args.series):
        raise FactcheckError("E012", args.series, "no such series; see factcheck data list")
    figs = [f for f in ref.figures if f.series == args.series
            and (not args.partner or f.partner == args.partner)
            and (not args.flow or f.flow == args.flow)]
    rows = [{"period": f.period, "flow": f.flow, "partner": f.partner, "measure": f.measure,
             "basis": f.basis or None, "value": str(f.value), "unit": f.unit,
             "stated": "stated" if f.stated else "derived", "status": f.status, **f.cite(),
             "file": f.file, "line": f.line}
            for f in sorted(figs, key=lambda f: (f.flow, f.partner, f.measure, f.basis, f.period))]
    info = ref.series.get(args.series, {})
    if fmt == "json":
        write_output(args, json.dumps({"series": args.series, "catalog": info, "figures": rows},
                                      ensure_ascii=False, indent=2) + "\n")
        return 0
    from rich.table import Table

    table = Table(title=f"{info.get('name', args.series)} — {len(rows)} figures", expand=True)
    for col in ("period", "partner", "measure", "value", "stated", "source"):
        table.add_column(col)
    for r in rows:
        measure = r["measure"] + (f" {r['basis']}" if r["basis"] else "")
        status = r["stated"] + ("" if r["status"] == "accepted" else " DISPUTED")
        table.add_row(r["period"], r["partner"], measure, f"{r['value']} {r['unit']}", status,
                      r["source"][:60])
    scope = info.get("scope")
    emit(args, "rich", None, lambda console: (console.print(table), scope and console.print(scope)))
    return 0


def _import(args) -> int:
    from .importers import import_comtrade, import_gac, merge_into
    from .reference import load_catalogs

    catalog, partners, reporters = load_catalogs((args.into,) if Path(args.into, "series.json")
                                                 .exists() else ())
    if args.series and args.series not in catalog:
        raise FactcheckError("E016", args.series, "not a series id in the catalog; see "
                             "factcheck data list, or add it to DIR/series.json")
    rows: list[dict] = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise FactcheckError("E001", name, "no such file")
        if args.source_format == "gac":
            if not args.flow:
                raise FactcheckError("E016", name, "a GAC platform file does not say whether it "
                                     "holds exports or imports: pass --flow export|import")
            rows += import_gac(path, args.flow, catalog, partners, args.series, args.source_date)
        else:
            rows += import_comtrade(path, catalog, partners, reporters, args.series,
                                    args.source_date)
    added, replaced, same = merge_into(Path(args.into), rows)
    print(f"{Path(args.into) / 'figures.csv'}: {added} added, {replaced} replaced, "
          f"{same} unchanged (from {len(args.files)} file(s))")
    return 0
