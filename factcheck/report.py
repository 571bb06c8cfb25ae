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
