"""Results -> the versioned JSON report (``factcheck.report/1``) and the rich table view."""

from __future__ import annotations

from typing import Any

from . import SCHEMA, __version__
from .errors import ERRORS, FactcheckError
from .extract import ArticleResult

OFFSETS = ("character offsets (Unicode code points, 0-based, end exclusive) into the exact "
           "decoded input text: the whole file for text/Markdown/HTML, the body field for "
           "JSONL/CSV records")


def error_dict(err: FactcheckError) -> dict[str, Any]:
    return {"code": err.code, "source": err.source, "line": err.line,
            "problem": ERRORS[err.code][0], "detail": err.detail, "message": str(err)}


def build_report(results: list[ArticleResult], errors: list[FactcheckError]) -> dict[str, Any]:
    articles, claims = [], []
    for r in results:
        articles.append({"id": r.id, "source": r.source, "title": r.title, "date": r.date,
                         "date_source": r.date_source, "characters": r.text_length,
                         "claims": len(r.claims), "notes": r.notes})
        for c in r.claims:
            d = c.to_dict()
            claims.append({"article": r.id, **d})
    return {"schema": SCHEMA, "generator": {"name": "factcheck", "version": __version__},
            "offsets": OFFSETS, "articles": articles, "claims": claims,
            "errors": [error_dict(e) for e in errors]}


def render_table(results: list[ArticleResult], console) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    for r in results:
        text = r.document.text
        head = f"[bold]{escape(r.title or r.id)}[/bold]  [dim]{escape(r.source)}[/dim]"
        date = f"date {r.date} ({r.date_source})" if r.date else "[yellow]no publication date[/yellow]"
        console.print(f"{head}\n{date} · {len(r.claims)} claims")
        for note in r.notes:
            console.print(f"[yellow]note:[/yellow] {escape(note)}")
        if not r.claims:
            continue
        table = Table(show_lines=True, expand=True)
        table.add_column("#", justify="right", width=3)
        table.add_column("in context", ratio=5)
        table.add_column("value", justify="right", ratio=1)
        table.add_column("unit / kind", ratio=1)
        table.add_column("frame", ratio=3)
        for n, c in enumerate(r.claims, 1):
            s0, s1 = c.sentence
            a, b = max(s0, c.start - 70), min(s1, c.end + 70)
            ctx = Text(("…" if a > s0 else "") + " ".join(text[a:c.start].split()) + " ")
            ctx.append(" ".join(text[c.start:c.end].split()), style="bold reverse")
            ctx.append(" " + " ".join(text[c.end:b].split()) + ("…" if b < s1 else ""))
            d = c.to_dict()
            value = d["value"]
            value = f"{value[0]:,}–{value[1]:,}" if isinstance(value, list) else f"{value:,}"
            marks = []
            if c.direction:
                marks.append("▲" if c.direction == "up" else "▼")
            if c.hedge:
                marks.append(c.hedge)
            if c.ambiguous:
                marks.append("[yellow]ambiguous[/yellow]")
            f = c.frame
            parts = [f"[bold]{f.measure}[/bold]"]
            for label, val in (("flow", f.flow), ("series", f.series), ("reporter", f.reporter),
                               ("partner", f.partner), ("period", f.period), ("basis", f.basis)):
                if val:
                    mark = "*" if label in f.inherited else ""
                    parts.append(f"{label} {escape(str(val))}{mark}")
            table.add_row(str(n), ctx, f"{value}\n{' '.join(marks)}",
                          f"{escape(c.unit or '—')}\n[dim]{c.kind}[/dim]", Text.from_markup(" · ".join(parts)))
        console.print(table)
        console.print("[dim]* inherited from an earlier sentence of the paragraph or the headline[/dim]")


# ---------------------------------------------------------------------------------------------
# factcheck check: verdicts

VERDICT_STYLE = {"supported": "green", "mismatch": "bold red", "unverifiable": "yellow"}
VERDICT_MARK = {"supported": "✓", "mismatch": "✗", "unverifiable": "?"}


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def document_report(checked, reference: dict | None = None) -> dict[str, Any]:
    """One input's report: its claims with their verdicts."""
    r = checked.result
    claims = []
    for c, v in zip(checked.claims, checked.verdicts, strict=True):
        line, col = line_col(r.document.text, c.start)
        claims.append({**c.to_dict(), "line": line, "column": col, **v.to_dict()})
    counts = checked.counts()
    out = {"schema": SCHEMA, "generator": {"name": "factcheck", "version": __version__},
           "offsets": OFFSETS,
           "document": {"id": r.id, "source": r.source, "title": r.title, "date": r.date,
                        "date_source": r.date_source, "characters": r.text_length},
           "summary": {"claims": len(claims), **counts}, "claims": claims, "notes": r.notes}
    if reference is not None:
        out["reference"] = reference
    return out


def reference_summary(ref) -> dict[str, Any]:
    return {"directories": list(ref.dirs), "figures": len(ref.figures),
            "conflicts": len(ref.conflicts)}


def build_check_report(checked_list: list, errors: list[FactcheckError], ref) -> dict[str, Any]:
    """One input: its report, with ``errors``. Several: ``documents`` holds one report each."""
    reference = reference_summary(ref)
    if len(checked_list) == 1:
        out = document_report(checked_list[0], reference)
        out["errors"] = [error_dict(e) for e in errors]
        return out
    docs = [document_report(c) for c in checked_list]
    total = {"documents": len(docs), "claims": 0, "supported": 0, "mismatch": 0, "unverifiable": 0}
    for d in docs:
        for k, v in d["summary"].items():
            total[k] += v
    return {"schema": SCHEMA, "generator": {"name": "factcheck", "version": __version__},
            "offsets": OFFSETS, "reference": reference, "summary": total, "documents": docs,
            "errors": [error_dict(e) for e in errors]}


def concise_lines(checked_list: list) -> list[str]:
    """``path:line:col: CODE verdict message``, one line a finding (mismatches and claims that
    could not be checked; supported claims are not findings)."""
    out = []
    for checked in checked_list:
        r = checked.result
        for c, v in zip(checked.claims, checked.verdicts, strict=True):
            if v.verdict == "supported":
                continue
            line, col = line_col(r.document.text, c.start)
            message = " ".join(f"{c.text!r}: {v.explanation}".split())
            out.append(f"{r.source}:{line}:{col}: {v.code} {v.verdict} {message}")
    return out


def render_check(checked_list: list, console) -> None:
    """The article with each claim marked by verdict, then a table of the claims."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    for checked in checked_list:
        r = checked.result
        text = r.document.text
        counts = checked.counts()
        console.print(f"[bold]{escape(r.title or r.id)}[/bold]  [dim]{escape(r.source)}[/dim]")
        date = f"date {r.date} ({r.date_source})" if r.date else "no publication date"
        console.print(f"{date} · {len(r.claims)} claims: {counts['supported']} supported, "
                      f"{counts['mismatch']} mismatch, {counts['unverifiable']} unverifiable")
        for note in r.notes:
            console.print(f"note: {escape(note)}")
        body = Text()
        pos = 0
        for n, (c, v) in enumerate(zip(checked.claims, checked.verdicts, strict=True), 1):
            if c.start < pos:
                continue
            body.append(text[pos:c.start])
            body.append(text[c.start:c.end], style=VERDICT_STYLE[v.verdict] + " underline")
            body.append(f"[{n}{VERDICT_MARK[v.verdict]}]", style=VERDICT_STYLE[v.verdict])
            pos = c.end
        body.append(text[pos:])
        console.print(body)
        if not r.claims:
            continue
        table = Table(show_lines=True, expand=True)
        table.add_column("#", justify="right", width=4, no_wrap=True)
        table.add_column("claim", ratio=2)
        table.add_column("official", ratio=2)
        table.add_column("verdict", ratio=2)
        table.add_column("why", ratio=4)
        table.add_column("source", ratio=2)
        for n, (c, v) in enumerate(zip(checked.claims, checked.verdicts, strict=True), 1):
            o = v.official
            official = o.shown() if o else "—"
            if o and (o.derived or o.computed):
                official += " (derived)" if o.derived else " (computed)"
            why = v.explanation + ("" if not v.notes else " · " + " · ".join(v.notes))
            if v.tolerance:
                why += f" · tolerance: {v.tolerance}"
            sources = "; ".join(dict.fromkeys(f"{f.short_source} {f.source_date}".strip()
                                              for f in o.figures)) if o else ""
            table.add_row(f"{n}{VERDICT_MARK[v.verdict]}", escape(c.text), escape(official),
                          Text(f"{v.verdict}\n{v.code}" + (f" {v.reason}" if v.reason else ""),
                               style=VERDICT_STYLE[v.verdict]),
                          escape(why), escape(sources))
        console.print(table)
