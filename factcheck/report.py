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


def newline_offsets(text: str) -> list[int]:
    """Where each newline is: with ``line_col_at``, many offsets of one text located cheaply."""
    out: list[int] = []
    nl = text.find("\n")
    while nl >= 0:
        out.append(nl)
        nl = text.find("\n", nl + 1)
    return out


def line_col_at(newlines: list[int], offset: int) -> tuple[int, int]:
    """``line_col`` from the text's ``newline_offsets``."""
    from bisect import bisect_left

    k = bisect_left(newlines, offset)
    return k + 1, offset - (newlines[k - 1] + 1 if k else 0) + 1


def document_report(checked, reference: dict | None = None, found=None,
                    policy=None) -> dict[str, Any]:
    """One input's report: its claims with their verdicts, and (given the run's findings) the
    findings reported, those suppressed inline, and how many the baseline or disabled codes
    held back."""
    r = checked.result
    claims = []
    for c, v in zip(checked.claims, checked.verdicts, strict=True):
        line, col = line_col(r.document.text, c.start)
        claims.append({**c.to_dict(), "line": line, "column": col, **v.to_dict()})
    counts = checked.counts()
    counts["inconsistent"] = len(checked.inconsistent)
    counts["duplicates"] = len(checked.duplicates)
    out = {"schema": SCHEMA, "generator": {"name": "factcheck", "version": __version__},
           "offsets": OFFSETS,
           "document": {"id": r.id, "source": r.source, "title": r.title, "date": r.date,
                        "date_source": r.date_source, "characters": r.text_length},
           "summary": {"claims": len(claims), **counts}, "claims": claims,
           "consistency": [f.to_dict(checked.claims) for f in checked.consistency],
           "duplicates": [g.to_dict() for g in checked.duplicates], "notes": r.notes}
    if found is not None:
        out["findings"] = [a.to_dict() for a in found.shown(policy)]
        out["suppressed"] = [a.to_dict() for a in found.suppressed]
        out["summary"]["findings"] = len(out["findings"])
        out["summary"]["failing"] = len(found.failing(policy))
        out["summary"]["suppressed"] = len(found.suppressed)
        out["summary"]["baselined"] = found.baselined
    if reference is not None:
        out["reference"] = reference
    return out


def reference_summary(ref) -> dict[str, Any]:
    return {"directories": list(ref.dirs), "figures": len(ref.figures),
            "conflicts": len(ref.conflicts)}


def build_check_report(checked_list: list, errors: list[FactcheckError], ref, found=None,
                       policy=None) -> dict[str, Any]:
    """One input: its report, with ``errors``. Several: ``documents`` holds one report each.
    ``found``: the run's DocumentFindings, one per checked article, in the same order."""
    reference = reference_summary(ref)
    found = found or [None] * len(checked_list)
    if len(checked_list) == 1:
        out = document_report(checked_list[0], reference, found[0], policy)
        out["errors"] = [error_dict(e) for e in errors]
        return out
    docs = [document_report(c, None, f, policy) for c, f in zip(checked_list, found, strict=True)]
    total = {"documents": len(docs), "claims": 0, "supported": 0, "mismatch": 0, "unverifiable": 0,
             "inconsistent": 0, "duplicates": 0}
    for d in docs:
        for k, v in d["summary"].items():
            total[k] = total.get(k, 0) + v
    return {"schema": SCHEMA, "generator": {"name": "factcheck", "version": __version__},
            "offsets": OFFSETS, "reference": reference, "summary": total, "documents": docs,
            "errors": [error_dict(e) for e in errors]}


DUPLICATE_CODES = {"exact": "D101", "near": "D102", "inconsistent": "D201"}


def duplicate_code(group) -> str:
    return DUPLICATE_CODES[group.kind]


def differences_text(group) -> str:
    diffs = [d for d in group.differences if not d.rounding]
    if not diffs:
        return ""
    return ": figures differ: " + ", ".join(f"{d.a} vs {d.b}" for d in diffs)


def render_check(checked_list: list, console, found=None, policy=None) -> None:
    """The article with each claim marked by verdict, then a table of the claims; given the
    run's findings, a closing list of them."""
    _render_check(checked_list, console)
    if found is not None:
        render_finding_list(found, policy, console)


def render_finding_list(found, policy, console) -> None:
    from rich.markup import escape

    from .formats import summary_line

    for d in found:
        shown = d.shown(policy)
        if not shown and not d.suppressed:
            continue
        console.print(f"[bold]Findings[/bold] in {escape(d.checked.result.source)}")
        for a in shown:
            style = "bold red" if a.category in policy.fail_on else "yellow"
            console.print(f"  [{style}]{a.code}[/{style}] line {a.line}:{a.column} "
                          f"{escape(a.label)}: {escape(a.message)}")
        for a in d.suppressed:
            reason = f" (reason: {a.suppressed})" if a.suppressed else ""
            console.print(f"  [dim]{a.code} line {a.line}:{a.column} suppressed{escape(reason)}[/dim]")
    console.print(escape(summary_line(found, policy)))


def _render_check(checked_list: list, console) -> None:
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
            render_findings(checked, console)
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
        render_findings(checked, console)


def render_findings(checked, console) -> None:
    """The article's own arithmetic and its duplicated passages, after the claims table."""
    from rich.markup import escape

    text = checked.result.document.text
    if checked.consistency:
        bad = checked.inconsistent
        console.print(f"[bold]Arithmetic[/bold]: {len(checked.consistency)} relations between "
                      f"claims checked, {len(bad)} inconsistent")
        for f in checked.consistency:
            style = "bold red" if f.verdict == "inconsistent" else "green"
            mark = "✗" if f.verdict == "inconsistent" else "✓"
            where = ", ".join(f"line {line_col(text, checked.claims[i].start)[0]}" for i in f.claims)
            console.print(f"  [{style}]{mark} {f.code}[/{style}] {escape(f.arithmetic)} [dim]({where})[/dim]")
    if checked.duplicates:
        console.print(f"[bold]Duplicated passages[/bold]: {len(checked.duplicates)} groups")
        for g in checked.duplicates:
            style = "bold red" if g.kind == "inconsistent" else "yellow"
            console.print(f"  [{style}]{duplicate_code(g)} {g.kind}[/{style}] {g.level}, similarity "
                          f"{g.similarity:.2f}, {len(g.passages)} copies{escape(differences_text(g))}")
            for n, p in enumerate(g.passages):
                line, col = line_col(text, p.start)
                excerpt = " ".join(p.text.split())
                excerpt = excerpt if len(excerpt) <= 70 else excerpt[:67] + "..."
                label = "first" if n == 0 else "copy "
                console.print(f"    {label} line {line}:{col} [{p.start}:{p.end}] {escape(excerpt)}")


# ---------------------------------------------------------------------------------------------
# factcheck dupes

DUPES_SCHEMA = "factcheck.dupes/1"


def build_dupes_report(result, errors: list[FactcheckError]) -> dict[str, Any]:
    kinds = {"exact": 0, "near": 0, "inconsistent": 0}
    for g in result.groups:
        kinds[g.kind] += 1
    return {"schema": DUPES_SCHEMA, "generator": {"name": "factcheck", "version": __version__},
            "offsets": OFFSETS + " Each passage names its document in `doc`.",
            "summary": {**result.stats, "groups": len(result.groups), **kinds,
                        "boilerplate": len(result.boilerplate)},
            "groups": [g.to_dict() for g in result.groups],
            "boilerplate": [b.to_dict() for b in result.boilerplate],
            "errors": [error_dict(e) for e in errors]}


def dupes_concise_lines(result) -> list[str]:
    """``doc:start-end: CODE kind-duplicate of doc:start-end (similarity)``, a line a copy."""
    out = []
    for g in result.groups:
        first = g.passages[0]
        for p in g.passages[1:]:
            out.append(f"{p.doc}:{p.start}-{p.end}: {duplicate_code(g)} {g.kind}-duplicate of "
                       f"{first.doc}:{first.start}-{first.end} (similarity {g.similarity:.2f})"
                       + differences_text(g))
    for b in result.boilerplate:
        excerpt = " ".join(b.text.split())[:60]
        out.append(f"{b.docs[0]}: D301 boilerplate in {b.count} documents: {excerpt}")
    return out


def _highlighted(p, diffs, side: str):
    """A passage as rich Text with the figures that differ from its copy in bold red."""
    from rich.text import Text

    t = Text(p.text)
    for d in diffs:
        start, end = (d.a_start, d.a_end) if side == "a" else (d.b_start, d.b_end)
        if p.start <= start and end <= p.end:
            t.stylize("yellow" if d.rounding else "bold red reverse", start - p.start, end - p.start)
    return t


def render_dupes(result, console) -> None:
    """Each group as copies side by side, differing figures highlighted; boilerplate summarised."""
    from rich.markup import escape
    from rich.table import Table

    st = result.stats
    kinds = {k: sum(g.kind == k for g in result.groups) for k in ("exact", "near", "inconsistent")}
    console.print(f"[bold]{st.get('documents', 0)} documents, {st.get('passages', 0)} passages[/bold]: "
                  f"{len(result.groups)} duplicate groups ({kinds['inconsistent']} inconsistent, "
                  f"{kinds['near']} near, {kinds['exact']} exact), {len(result.boilerplate)} boilerplate")
    for n, g in enumerate(result.groups, 1):
        style = "bold red" if g.kind == "inconsistent" else "yellow" if g.kind == "near" else "cyan"
        title = (f"[{style}]{n}. {duplicate_code(g)} {g.kind}[/{style}] similarity {g.similarity:.2f}"
                 f"{escape(differences_text(g))}")
        shown = g.passages[:2] if len(g.passages) > 2 else g.passages
        table = Table(title=title, title_justify="left", expand=True, show_lines=False)
        for side, p in zip("ab", shown, strict=False):
            table.add_column(escape(f"{p.doc} [{p.start}:{p.end}]" + (" (first)" if side == "a" else "")),
                             ratio=1)
        table.add_row(*[_highlighted(p, g.differences, side) for side, p in zip("ab", shown, strict=False)])
        console.print(table)
        if len(g.passages) > 2:
            more = ", ".join(f"{p.doc} [{p.start}:{p.end}]" for p in g.passages[2:12])
            extra = f" and {len(g.passages) - 12} more" if len(g.passages) > 12 else ""
            console.print(f"  also in: {escape(more)}{extra}")
    for b in result.boilerplate:
        excerpt = " ".join(b.text.split())
        excerpt = excerpt if len(excerpt) <= 90 else excerpt[:87] + "..."
        console.print(f"[dim]boilerplate in {b.count} documents (e.g. {escape(', '.join(b.docs[:3]))}):"
                      f"[/dim] {escape(excerpt)}")
