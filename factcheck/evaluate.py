"""Measure the extractor: the project's gold corpus, and the public NewsQuant benchmark.

Gold corpus (``corpora/``): ``articles/NAME.*`` with ``gold/NAME.json`` (format in
``corpora/README.md``). A gold claim is located by ``quote`` + ``occurrence`` in the raw file; a
predicted claim matches it when their spans overlap (one-to-one, value-equal pairs first).

NewsQuant: reproduces the published scoring (README beside the data): per sentence each gold
quantity is matched in turn; values equal within relative tolerance 1e-5, a range only to a
range; value+unit also needs the lower-cased normalized unit, value+change the change label.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FactcheckError

FRAME_FIELDS = ("measure", "flow", "series", "reporter", "partner", "period", "basis")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def row(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.p, 4),
                "recall": round(self.r, 4), "f1": round(self.f1, 4)}


def _val(v):
    if isinstance(v, list | tuple):
        return (float(v[0]), float(v[1]))
    return None if v is None else float(v)


def values_equal(a, b, tol: float = 1e-5) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)):
            return False
        return values_equal(a[0], b[0], tol) and values_equal(a[1], b[1], tol)
    if a is None or b is None:
        return False
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-12)


# ---------------------------------------------------------------------------------------------
# gold corpus

@dataclass
class GoldResult:
    metrics: dict[str, PRF] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)
    seeds: dict[str, dict] = field(default_factory=dict)
    articles: int = 0


GOLD_VOCAB = {
    "direction": {"up", "down", None},
    "measure": {"level", "change", "multiple", "share", "cumulative"},
    "flow": {"export", "import", None},
}
PERIOD_SHAPE = re.compile(r"^\d{4}(-\d{2})?(\.\.\d{4}(-\d{2})?)?$")
CLAIM_KEYS = {"quote", "occurrence", "value", "unit", "kind", "direction", "hedge", "frame"}


def validate_gold(corpus: Path) -> tuple[int, list[str]]:
    """Check every gold file of a corpus: it parses, each quote is found at its occurrence and
    not inside a longer number, claims are in text order, values and fields are well formed,
    listed non-claims are in the text. Returns (claims checked, problems)."""
    problems: list[str] = []
    total = 0
    articles = {p.stem: p for p in (corpus / "articles").iterdir() if p.is_file()}
    for gold_file in sorted((corpus / "gold").glob("*.json")):
        name = gold_file.name
        try:
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            problems.append(f"{name}: not JSON ({exc})")
            continue
        if gold_file.stem not in articles:
            problems.append(f"{name}: no article with this name")
            continue
        text = articles[gold_file.stem].read_text(encoding="utf-8")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(gold.get("date", ""))):
            problems.append(f"{name}: date must be YYYY-MM-DD")
        last = -1
        for n, claim in enumerate(gold.get("claims", []), 1):
            total += 1
            tag = f"{name}#{n} {claim.get('quote')!r}"
            if set(claim) != CLAIM_KEYS:
                problems.append(f"{tag}: keys {sorted(set(claim) ^ CLAIM_KEYS)} missing or extra")
                continue
            try:
                start, end = _locate(text, claim["quote"], claim["occurrence"], name)
            except FactcheckError:
                problems.append(f"{tag}: occurrence {claim['occurrence']} not in the article")
                continue
            if start <= last:
                problems.append(f"{tag}: not in text order")
            last = start
            if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()
                                                          and claim["quote"][-1].isalnum()):
                problems.append(f"{tag}: lands inside a longer token")
            value = claim["value"]
            is_num = lambda x: isinstance(x, int | float) and not isinstance(x, bool)  # noqa: E731
            if not (is_num(value) or (isinstance(value, list) and len(value) == 2
                                      and all(map(is_num, value)) and value[0] <= value[1])):
                problems.append(f"{tag}: value must be a number or [low, high]")
            frame = claim["frame"] or {}
            for field_name, vocab in GOLD_VOCAB.items():
                got = claim.get(field_name) if field_name == "direction" else frame.get(field_name)
                if got not in vocab:
                    problems.append(f"{tag}: {field_name} {got!r} not one of {sorted(map(str, vocab))}")
            for field_name in ("period", "basis"):
                got = frame.get(field_name)
                if got is not None and got not in ("mom", "yoy") and not PERIOD_SHAPE.match(got):
                    problems.append(f"{tag}: {field_name} {got!r} is not a period")
        for quote in gold.get("non_claims", []):
            if quote not in text:
                problems.append(f"{name}: non-claim {quote!r} not in the article")
    return total, problems


def _locate(text: str, quote: str, occurrence: int, source: str) -> tuple[int, int]:
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            raise FactcheckError("E011", source, f"quote {quote!r} occurrence {occurrence} not found")
    return pos, pos + len(quote)


def evaluate_gold(corpus: Path) -> GoldResult:
    from .extract import extract_article
    from .inputs import read_inputs

    res = GoldResult()
    keys = ["value", "value+unit", "value+direction", "value+hedge", "value+kind"] + \
        [f"frame.{f}" for f in FRAME_FIELDS]
    res.metrics = {k: PRF() for k in keys}
    gold_dir = corpus / "gold"
    for gold_file in sorted(gold_dir.glob("*.json")):
        try:
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise FactcheckError("E011", str(gold_file), str(exc)) from None
        matches = list((corpus / "articles").glob(gold_file.stem + ".*"))
        if not matches:
            raise FactcheckError("E011", str(gold_file), "no article with this name")
        items = [a for a in read_inputs([str(matches[0])]) if not isinstance(a, FactcheckError)]
        if not items:
            raise FactcheckError("E011", str(matches[0]), "article unreadable")
        article = items[0]
        result = extract_article(article, gold.get("date"))
        res.articles += 1
        text = article.text
        preds = [c.to_dict() for c in result.claims]
        golds = []
        for g in gold.get("claims", []):
            s, e = _locate(text, g["quote"], g.get("occurrence", 1), str(gold_file))
            golds.append((s, e, g))
        _score_article(res, gold_file.stem, text, golds, preds)
        non_claim_hits = []
        for q in gold.get("non_claims", []):
            pos = text.find(q)
            while pos >= 0:
                if any(p["start"] < pos + len(q) and pos < p["end"] for p in preds):
                    non_claim_hits.append(q)
                    break
                pos = text.find(q, pos + 1)
        if "seed" in gold_file.stem:
            found = sum(1 for s, e, g in golds if any(p["start"] < e and s < p["end"] for p in preds))
            extra = [p["text"] for p in preds
                     if not any(p["start"] < e and s < p["end"] for s, e, _ in golds)]
            res.seeds[gold_file.stem] = {"gold_claims": len(golds), "found": found,
                                         "non_claims_returned": extra + non_claim_hits}
    return res


def _score_article(res: GoldResult, name: str, text: str, golds: list, preds: list[dict]) -> None:
    m = res.metrics
    used: set[int] = set()
    pairs = []
    for gs, ge, g in golds:
        gv = _val(g["value"])
        overl = [i for i, p in enumerate(preds) if i not in used and p["start"] < ge and gs < p["end"]]
        overl.sort(key=lambda i: not values_equal(_val(preds[i]["value"]), gv))
        if overl:
            used.add(overl[0])
            pairs.append((g, preds[overl[0]]))
        else:
            pairs.append((g, None))
            res.misses.append(f"{name}: {g['quote']!r} (gold {g['value']} {g.get('unit')})")
    for i, p in enumerate(preds):
        if i not in used:
            res.false_alarms.append(f"{name}: {p['text']!r} ({p['value']} {p['unit']})")
    n_pred = len(preds)
    n_gold = len(golds)
    counts = defaultdict(int)
    for g, p in pairs:
        if p is None or not values_equal(_val(p["value"]), _val(g["value"])):
            if p is not None:
                res.field_errors.append(f"{name}: value {p['text']!r}: {p['value']} != {g['value']}")
            continue
        counts["value"] += 1
        for key, field_name in (("value+unit", "unit"), ("value+direction", "direction"),
                                ("value+hedge", "hedge"), ("value+kind", "kind")):
            pv, gv = p[field_name] or None, g.get(field_name) or None
            if pv == gv:
                counts[key] += 1
            else:
                res.field_errors.append(f"{name}: {field_name} {p['text']!r}: {pv} != {gv}")
        gf = g.get("frame") or {}
        for fname in FRAME_FIELDS:
            gv, pv = gf.get(fname), p["frame"].get(fname)
            prf = m[f"frame.{fname}"]
            if gv is not None and pv == gv:
                prf.tp += 1
            else:
                if pv is not None:
                    prf.fp += 1
                if gv is not None:
                    prf.fn += 1
                if pv != gv:
                    res.field_errors.append(f"{name}: {fname} {p['text']!r}: {pv} != {gv}")
    for key in ("value", "value+unit", "value+direction", "value+hedge", "value+kind"):
        m[key].tp += counts[key]
        m[key].fp += n_pred - counts[key]
        m[key].fn += n_gold - counts[key]


# ---------------------------------------------------------------------------------------------
# NewsQuant

QUANTULUM_UNITS = {
    "pct": "percentage", "USD": "dollar", "CNY": "chinese yuan", "EUR": "euro", "JPY": "japanese yen",
    "GBP": "pound sterling", "AUD": "australian dollar", "HKD": "hong kong dollar",
    "CAD": "canadian dollar", "SGD": "singapore dollar", "MYR": "malaysian ringgit", "ILS": "shekel",
    "INR": "indian rupee", "KRW": "south korean won", "DKK": "danish krone", "CHF": "swiss franc",
    "point": "point", "year": "year", "mph": "mile per hour",
    "mile": "mile", "inch": "inch", "yard": "yard", "hp": "horsepower", "km": "kilometre",
    "day": "day", "degree": "degree", "month": "month", "GB": "gigabyte", "TB": "terabyte",
    "litre": "litre", "minute": "minute", "second": "second", "m": "metre", "m2": "square metre",
    "ft": "foot", "celsius": "celsius", "fahrenheit": "fahrenheit", "kW": "kilowatt",
    "mpg": "mile per gallon", "hour": "hour", "week": "week", "mm": "millimetre",
    "bbl/d": "barrel per day", "bbl": "barrel", "km/h": "kilometre per hour", "lb": "pound-mass",
    "kg": "kilogram", "GW": "gigawatt", "MW": "megawatt", "t": "ton",
    "GHz": "gigahertz", "MHz": "megahertz", "Hz": "hertz", "um": "micrometre", "ppb": "parts-per-billion",
    "ppm": "parts-per-million", "mAh": "milliampere-hour", "people": "people",
    "cm": "centimetre", "decade": "decade", "acre": "acre", "ha": "hectare", "gallon": "gallon",
    "g": "gram", "cent": "cent", "sen": "sen", "mg": "milligram", "Mbps": "megabit per second", "bhp": "brake horsepower", "month_of_age": "month of age", "pence": "penny", "revolutions per minute": "revolutions per minute", "oz": "ounce", "pp": "percentage point", "bp": "basis point", "x": "count",
}
HEDGE_TO_CHANGE = {"~": "~", "~<": "~", "~>": "~", ">": ">", ">=": ">", "<": "<", "<=": "<"}


def _singular_phrase(phrase: str) -> str:
    words = phrase.split()
    return " ".join(words[:-1] + [_singular(words[-1])]) if words else phrase


def _singular(noun: str) -> str:
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun[:-1]
    return noun


def ours_newsquant(text: str) -> list[tuple]:
    from .extract import extract_text

    out = []
    for c in extract_text(text):
        d = c.to_dict()
        unit = "year of age" if c.kind == "age" else QUANTULUM_UNITS.get(c.unit or "", None)
        if c.unit == "t" and "tonne" in c.text.lower():
            unit = "tonne"
        if c.unit and "/" in c.unit:  # "USD/barrel" -> "dollar per barrel"
            money, per = c.unit.split("/", 1)
            unit = f"{QUANTULUM_UNITS.get(money, money.lower())} per {per}"
        if unit is None:
            unit = _singular_phrase(c.noun) if c.noun else "-"
        if c.unit == "people" and c.noun and c.noun != "people":
            unit = _singular_phrase(c.noun)
        change = "="
        if c.hedge_relation:
            change = HEDGE_TO_CHANGE.get(c.hedge_relation, "=")
        elif c.direction and c.frame.measure == "change":
            change = c.direction
        out.append((_val(d["value"]), unit, change))
    return out


def quantulum_newsquant(text: str, parser) -> list[tuple]:
    out = []
    for q in parser.parse(text):
        out.append((float(q.value), q.unit.name.lower(), "="))
    return out


def score_newsquant(data: list[dict], system, midpoint_ranges: bool = False) -> dict[str, PRF]:
    res = {"value": PRF(), "value+unit": PRF(), "value+change": PRF()}
    for item in data:
        sys_q = system(item["text"])
        gold = []
        for q in item["quantities"]:
            v = q["value"]
            try:
                gv = float(v)
            except ValueError:
                a, b = re.match(r"\s*(-?[\d.eE+]+?)\s*-\s*(-?[\d.eE+]+)\s*$", v).groups()
                gv = (float(a), float(b))
                if midpoint_ranges:
                    gv = (gv[0] + gv[1]) / 2
            gold.append((gv, q["normalized_unit"].lower(), q["change"]))
        for key, pos in (("value", None), ("value+unit", 1), ("value+change", 2)):
            used: set[int] = set()
            tp = 0
            for g in gold:
                for i, s in enumerate(sys_q):
                    if i in used or not values_equal(s[0], g[0]):
                        continue
                    if pos is not None and s[pos] != g[pos]:
                        continue
                    used.add(i)
                    tp += 1
                    break
            res[key].tp += tp
            res[key].fp += len(sys_q) - tp
            res[key].fn += len(gold) - tp
    return res


def default_newsquant_path() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "newsquant" / "NewsQuant.json"


def cmd_eval(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from .cli import write_output

    console = Console()
    out: dict = {}
    # a FactcheckError (unreadable gold) propagates to cli.main: one line on stderr, exit 2
    corpus = Path(args.corpus) if args.corpus else Path.cwd() / "corpora"
    if args.newsquant:
        path = default_newsquant_path() if args.newsquant == "auto" else Path(args.newsquant)
        if not path.exists():
            print(f"E001 {path}: file not found; NewsQuant lives in ../shared/benchmarks/newsquant/",
                  file=sys.stderr)
            return 2
        data = json.loads(path.read_text(encoding="utf-8"))
        systems = {"factcheck": score_newsquant(data, ours_newsquant)}
        if args.quantulum:
            from quantulum3 import parser as qparser

            systems["quantulum3"] = score_newsquant(
                data, lambda t: quantulum_newsquant(t, qparser), midpoint_ranges=True)
        published = {"CQE (published)": {"value": 92.0, "value+unit": 85.6, "value+change": 88.1},
                     "quantulum3 (published)": {"value": 73.0, "value+unit": 47.2}}
        out["newsquant"] = {name: {k: v.row() for k, v in r.items()} for name, r in systems.items()}
        out["newsquant_published_f1"] = published
        table = Table(title=f"NewsQuant ({len(data)} sentences): F1 x100 (P / R)")
        table.add_column("system")
        for k in ("value", "value+unit", "value+change"):
            table.add_column(k, justify="right")
        for name, r in systems.items():
            table.add_row(name, *[f"{v.f1 * 100:.1f} ({v.p * 100:.1f}/{v.r * 100:.1f})"
                                  for v in r.values()])
        for name, r in published.items():
            table.add_row(name, *[f"{r[k]:.1f}" if k in r else "—"
                                  for k in ("value", "value+unit", "value+change")])
    elif args.consistency:
        from .evaluate_consistency import evaluate_consistency

        details = []
        figures = evaluate_consistency(corpus, details=details)
        out["consistency"] = figures
        if args.details:
            out["disagreements"] = details
        table = Table(title=f"Consistency: {figures['items']} gold relations in {figures['articles']} "
                            f"articles ({', '.join(f'{v} {k}' for k, v in figures['gold'].items())})")
        table.add_column("figure")
        for split in ("dev", "heldout", "all"):
            table.add_column(split, justify="right")
        for key in ("inconsistent_recall", "false_inconsistent", "consistent_linked",
                    "unrelated_not_flagged"):
            cells = []
            for split in ("dev", "heldout", "all"):
                f = figures[split][key]
                cells.append("—" if f["value"] is None else f"{f['value']:.3f} ({f['n']}/{f['of']})")
            table.add_row(key.replace("_", " "), *cells)
        table.add_row("unexpected inconsistent findings", "", "",
                      str(figures["unexpected_inconsistent_findings"]))
    elif args.verdicts:
        from .evaluate_verdicts import evaluate_verdicts

        details: list[str] = []
        figures = evaluate_verdicts(corpus, details=details).figures()
        out["verdicts"] = figures
        if args.details:
            out["disagreements"] = details
        table = Table(title=f"Verdicts: {figures['articles']} articles, {figures['gold_claims']} "
                            f"gold claims ({', '.join(f'{v} {k}' for k, v in figures['gold'].items())})")
        table.add_column("figure")
        table.add_column("value", justify="right")
        for key in ("accuracy", "mismatch_recall", "mismatch_reason_accuracy", "false_alarm_rate",
                    "false_alarm_rate_supported", "supported_rate"):
            value = figures[key]
            table.add_row(key.replace("_", " "), "—" if value is None else f"{value:.3f}")
    elif args.validate:
        from .evaluate_verdicts import validate_verdicts

        total, problems = validate_gold(corpus)
        if (corpus / "verdicts").is_dir():
            problems += validate_verdicts(corpus)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{total} gold claims checked in {corpus}: "
              f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        return 2 if problems else 0
    else:
        res = evaluate_gold(corpus)
        out["gold"] = {k: v.row() for k, v in res.metrics.items()}
        out["articles"] = res.articles
        out["seeds"] = res.seeds
        table = Table(title=f"Gold corpus: {res.articles} articles, "
                            f"{res.metrics['value'].tp + res.metrics['value'].fn} gold claims")
        for col in ("measure", "P", "R", "F1", "tp", "fp", "fn"):
            table.add_column(col, justify="right" if col != "measure" else "left")
        for k, v in res.metrics.items():
            table.add_row(k, f"{v.p:.3f}", f"{v.r:.3f}", f"{v.f1:.3f}", str(v.tp), str(v.fp), str(v.fn))
        if args.details:
            out["misses"], out["false_alarms"] = res.misses, res.false_alarms
            out["field_errors"] = res.field_errors
    if (args.format or "table") == "json":
        write_output(args, json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return 0
    console.print(table)
    if "seeds" in out:
        for name, s in out["seeds"].items():
            console.print(f"{name}: {s['found']}/{s['gold_claims']} claims found; "
                          f"non-claims returned: {s['non_claims_returned'] or 'none'}")
    if args.details and "disagreements" in out:
        for line in out["disagreements"]:
            console.print("  " + line, markup=False, highlight=False)
    if args.details and "misses" in out:
        for label in ("misses", "false_alarms", "field_errors"):
            console.print(f"[bold]{label}[/bold] ({len(out[label])})")
            for line in out[label]:
                console.print("  " + line, markup=False, highlight=False)
    return 0
