"""Import official figures from the files people download: GAC's statistics platform CSV and
UN Comtrade records. Both become rows of the tidy ``figures.csv`` layout (see ``reference``).

GAC platform CSV (stats.customs.gov.cn): English or Chinese headers, mapped by name (the column
set and order depend on the query); ``YYYYMM`` periods; the first quantity in the line's legal
unit (kilograms for magnets and rare-earth chemicals); thousands separators; ``-`` (or ``?``,
``—``) for missing. The file does not say whether it holds exports or imports (that was the
query's ``iEType``), so ``--flow`` is required. Rows for the same month, partner and line under
different customs regimes are summed: news figures are totals over regimes.

UN Comtrade v1 records, CSV or the API's JSON (``{"data": [...]}``): ``netWgt`` in kg,
``primaryValue`` in USD, Comtrade's own partner codes (842 = USA, 0 = World). Comtrade stops at
HS6, so 850511 is *all* metal permanent magnets, not GAC's rare-earth line 8505111000: a code
maps only to a catalog series with exactly that code, or to ``--series``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from .errors import FactcheckError
from .reference import FIGURE_COLUMNS, parse_number

GAC_COLUMNS = {
    "period": ("Date of data", "数据年月"),
    "partner_code": ("Trading partner code", "贸易伙伴编码"),
    "partner": ("Trading partner", "贸易伙伴名称"),
    "code": ("Commodity code", "商品编码"),
    "commodity": ("Commodity", "商品名称"),
    "quantity": ("Quantity", "第一数量"),
    "unit": ("Unit", "第一计量单位"),
    "usd": ("US dollar", "美元"),
    "cny": ("Renminbi Yuan", "人民币"),
}
GAC_UNITS = {"kilogram": Decimal("0.001"), "千克": Decimal("0.001"), "kg": Decimal("0.001"),
             "ton": Decimal(1), "tonne": Decimal(1), "吨": Decimal(1)}
MISSING = {"", "-", "?", "—", "--"}
GAC_SOURCE = "GAC statistics platform (stats.customs.gov.cn)"
COMTRADE_SOURCE = "UN Comtrade (comtradeapi.un.org)"


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactcheckError("E016", str(path), exc.strerror or str(exc)) from None
    if not raw.strip():
        raise FactcheckError("E016", str(path), "empty file")
    if b"\x00" in raw[:4096]:
        raise FactcheckError("E016", str(path), "binary data, not CSV or JSON text")
    for encoding in ("utf-8-sig", "gb18030"):  # GAC's portal sends GB18030/GBK
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FactcheckError("E016", str(path), "neither UTF-8 nor GB18030 text")


def series_for_code(code: str, catalog: dict, override: str | None, source: str) -> str:
    if override:
        return override
    digits = "".join(ch for ch in code if ch.isdigit())
    for sid, info in catalog.items():
        hs = "".join(ch for ch in str(info.get("hs_code") or "") if ch.isdigit())
        # GAC's platform works at 8 digits; the catalog may hold the 10-digit tariff line
        if hs and (hs == digits or (len(digits) == 8 and hs.startswith(digits)
                                    and hs[8:].strip("0") == "")):
            return sid
    raise FactcheckError("E016", source, f"commodity code {code} matches no series in the "
                         "catalog with exactly that code; pass --series ID (factcheck data list "
                         "shows the ids)")


def _partner_by(partners: dict, key: str) -> dict:
    out = {}
    for pid, info in partners.items():
        code = info.get(key)
        if code is not None:
            out[str(code)] = pid
    return out


def import_gac(path: Path, flow: str, catalog: dict, partners: dict,
               series: str | None = None, source_date: str = "") -> list[dict]:
    src = str(path)
    text = _decode(path)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise FactcheckError("E016", src, "no header row")
    header = [h.strip() for h in rows[0]]
    pos = {}
    for key, names in GAC_COLUMNS.items():
        for name in names:
            if name in header:
                pos[key] = header.index(name)
    for key in ("period", "code", "quantity", "unit"):
        if key not in pos:
            raise FactcheckError("E016", src, f"no {' / '.join(GAC_COLUMNS[key])} column; the "
                                 "header must name the month, commodity code, quantity and unit "
                                 "(a single-month download has no month column: add one)", 1)
    by_code = _partner_by(partners, "gac")
    totals: dict[tuple, dict] = defaultdict(lambda: {"t": Decimal(0), "usd": Decimal(0),
                                                     "n": 0, "missing": 0, "usd_seen": False})
    for line_no, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue

        def cell(key: str, _row=row) -> str:
            i = pos.get(key)
            return _row[i].strip() if i is not None and i < len(_row) else ""

        def bad(key: str, why: str, _line=line_no) -> FactcheckError:
            return FactcheckError("E016", src, why, _line, GAC_COLUMNS[key][0])

        period = cell("period")
        if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
            raise bad("period", f"{period!r} is not a YYYYMM month")
        unit = cell("unit")
        if unit.lower() not in GAC_UNITS:
            raise bad("unit", f"unknown quantity unit {unit!r}: expected kilograms (千克)")
        sid = series_for_code(cell("code"), catalog, series, f"{src}:{line_no}")
        code = cell("partner_code")
        partner = by_code.get(code) or cell("partner") or "World" if "partner_code" in pos \
            else "World"
        key = (sid, partner, f"{period[:4]}-{period[4:]}")
        total = totals[key]
        total["n"] += 1
        quantity = cell("quantity")
        if quantity in MISSING:
            total["missing"] += 1
        else:
            try:
                total["t"] += parse_number(quantity) * GAC_UNITS[unit.lower()]
            except ValueError as exc:
                raise bad("quantity", str(exc)) from None
        usd = cell("usd")
        if usd not in MISSING and "usd" in pos:
            try:
                total["usd"] += parse_number(usd)
                total["usd_seen"] = True
            except ValueError as exc:
                raise bad("usd", str(exc)) from None
    out = []
    for (sid, partner, period), total in sorted(totals.items()):
        note = f"sum of {total['n']} customs-regime row(s) in {path.name}"
        if total["missing"]:
            note += f"; {total['missing']} row(s) had no quantity ('-')"
        base = {"series": sid, "flow": flow, "reporter": "China", "partner": partner,
                "period": period, "measure": "level", "basis": "", "of": "", "tolerance": "",
                "stated": "stated", "status": "accepted", "source": GAC_SOURCE,
                "source_url": "http://stats.customs.gov.cn/", "source_date": source_date,
                "notes": note}
        if total["n"] > total["missing"]:
            out.append({**base, "value": _plain(total["t"]), "unit": "t"})
        if total["usd_seen"]:
            out.append({**base, "value": _plain(total["usd"]), "unit": "USD"})
    if not out:
        raise FactcheckError("E016", src, "no data rows")
    return out


COMTRADE_FLOWS = {"X": "export", "M": "import", "RX": "export", "RM": "import"}


def import_comtrade(path: Path, catalog: dict, partners: dict, reporters: dict,
                    series: str | None = None, source_date: str = "") -> list[dict]:
    src = str(path)
    text = _decode(path)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise FactcheckError("E016", src, f"not JSON: {exc}") from None
        records = data.get("data") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise FactcheckError("E016", src, "JSON without a 'data' list of records")
        numbered = [(n, r) for n, r in enumerate(records, 1)]
        where = "record"
    else:
        reader = csv.DictReader(io.StringIO(text))
        numbered = [(n, r) for n, r in enumerate(reader, 2)]
        where = "line"
    by_code = _partner_by(partners, "comtrade")
    reporter_by_code = {str(info.get("comtrade")): rid for rid, info in reporters.items()
                        if info.get("comtrade") is not None}
    out = []
    for n, rec in numbered:
        if not isinstance(rec, dict):
            raise FactcheckError("E016", src, f"{where} {n} is not an object")

        def need(field: str, _rec=rec, _n=n) -> str:
            value = _rec.get(field)
            if value in (None, ""):
                raise FactcheckError("E016", src, f"{where} {_n}: no {field!r}",
                                     _n if where == "line" else None, field)
            return str(value).strip()

        flow = COMTRADE_FLOWS.get(need("flowCode"))
        if flow is None:
            raise FactcheckError("E016", src, f"{where} {n}: flowCode {rec.get('flowCode')!r}")
        period_raw = need("period")
        freq = str(rec.get("freqCode") or ("M" if len(period_raw) == 6 else "A"))
        if freq == "M" and len(period_raw) == 6:
            period, measure = f"{period_raw[:4]}-{period_raw[4:]}", "level"
        elif freq == "A" and len(period_raw) == 4:
            period, measure = period_raw, "cumulative"
        else:
            raise FactcheckError("E016", src, f"{where} {n}: period {period_raw!r} with "
                                 f"freqCode {freq!r}")
        reporter = reporter_by_code.get(need("reporterCode").split(".")[0],
                                        rec.get("reporterDesc"))
        partner_code = need("partnerCode").split(".")[0]
        partner = by_code.get(partner_code) or rec.get("partnerDesc") or f"Comtrade {partner_code}"
        sid = series_for_code(need("cmdCode"), catalog, series, f"{src} {where} {n}")
        base = {"series": sid, "flow": flow, "reporter": reporter, "partner": partner,
                "period": period, "measure": measure, "basis": "", "of": "", "tolerance": "",
                "stated": "stated", "status": "accepted", "source": COMTRADE_SOURCE,
                "source_url": "https://comtradeapi.un.org/", "source_date": source_date,
                "notes": f"{path.name} {where} {n}; cmdCode {rec.get('cmdCode')}"}
        for field, unit, scale in (("netWgt", "t", Decimal("0.001")),
                                   ("primaryValue", "USD", Decimal(1))):
            raw = rec.get(field)
            if raw in (None, ""):
                continue
            try:
                value = parse_number(str(raw)) * scale
            except ValueError as exc:
                raise FactcheckError("E016", src, f"{where} {n}: {exc}",
                                     n if where == "line" else None, field) from None
            out.append({**base, "value": _plain(value), "unit": unit})
    if not out:
        raise FactcheckError("E016", src, "no records with netWgt or primaryValue")
    return out


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text and not text.endswith(".0") else text


def merge_into(directory: Path, rows: list[dict]) -> tuple[int, int, int]:
    """Add ``rows`` to ``directory/figures.csv`` atomically: new keys are added, a row for a key
    the same source already gave is replaced (a revised download). Returns (added, replaced,
    unchanged). The existing table is validated first; nothing is written on any error."""
    from .reference import read_figures

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "figures.csv"
    existing: list[dict] = []
    if target.exists():
        read_figures(target)  # strict: refuse to merge into a broken table
        with target.open(encoding="utf-8-sig", newline="") as fh:
            existing = list(csv.DictReader(fh))

    def key(r: dict) -> tuple:
        return tuple(r.get(c, "") for c in ("series", "flow", "reporter", "partner", "period",
                                            "measure", "basis", "of", "unit", "source"))

    index = {key(r): i for i, r in enumerate(existing)}
    added = replaced = same = 0
    for r in rows:
        k = key(r)
        if k in index:
            old = existing[index[k]]
            if Decimal(old["value"].replace(",", "")) == Decimal(r["value"]):
                same += 1
                continue
            existing[index[k]] = r
            replaced += 1
        else:
            index[k] = len(existing)
            existing.append(r)
            added += 1
    existing.sort(key=lambda r: tuple(r.get(c, "") for c in ("series", "flow", "partner",
                                                              "measure", "unit", "period")))
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, FIGURE_COLUMNS, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(existing)
        read_figures(tmp)  # what we wrote must load
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return added, replaced, same
