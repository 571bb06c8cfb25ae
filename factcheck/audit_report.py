"""An audit's summary for people: a rich terminal summary and a standalone HTML page.

The page has no scripts and loads nothing: inline CSS, inline SVG charts (hover a bar for its
figures), every text from the archive escaped. It is a function of ``summary.json`` alone, so a
resumed audit writes the same bytes.
"""

from __future__ import annotations

from html import escape

COLOURS = {"supported": "#2e7d32", "mismatch": "#c62828", "unverifiable": "#9e9e9e"}
VERDICTS = ("supported", "mismatch", "unverifiable")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _timeline(by_month: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Every month from the first to the last, empty ones included, so gaps show as gaps."""
    dated = sorted(m for m in by_month if len(m) == 7 and m[4] == "-" and m[:4].isdigit())
    if not dated:
        return by_month
    y, mo = int(dated[0][:4]), int(dated[0][5:])
    out: dict[str, dict[str, int]] = {}
    while f"{y:04d}-{mo:02d}" <= dated[-1] and len(out) < 1200:
        key = f"{y:04d}-{mo:02d}"
        out[key] = by_month.get(key, {})
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    out.update({m: c for m, c in by_month.items() if m not in out})  # "undated" last
    return out


def _bars_by_month(by_month: dict[str, dict[str, int]]) -> str:
    by_month = _timeline(by_month)
    months = list(by_month)
    if not months:
        return "<p>No claims.</p>"
    width, height, pad = max(320, 28 * len(months)) + 30, 220, 30
    top = max(sum(c.values()) for c in by_month.values()) or 1
    bar = (width - pad - 30) / len(months)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 40}" role="img" '
             f'aria-label="claims by verdict and publication month">']
    for i, month in enumerate(months):
        counts = by_month[month]
        x = pad + i * bar
        y = height
        for verdict in VERDICTS:
            h = counts.get(verdict, 0) / top * (height - 10)
            if h <= 0:
                continue
            y -= h
            parts.append(f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{max(bar - 4, 1):.1f}" '
                         f'height="{h:.1f}" fill="{COLOURS[verdict]}"><title>{escape(month)}: '
                         f'{counts.get(verdict, 0):,} {verdict}</title></rect>')
        total = sum(counts.values())
        parts.append(f'<title>{escape(month)}: {total:,} claims, {counts.get("mismatch", 0):,} '
                     f'mismatches</title>')
        if len(months) <= 24 or i % max(1, len(months) // 12) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 16}" text-anchor="middle" '
                         f'font-size="10">{escape(month)}</text>')
    parts.append(f'<text x="0" y="12" font-size="10">{top:,}</text>'
                 f'<line x1="{pad}" y1="{height}" x2="{width}" y2="{height}" stroke="#555"/></svg>')
    return "".join(parts)


def _bars_by_outlet(by_outlet: dict[str, dict[str, int]], limit: int = 15) -> str:
    rows = list(by_outlet.items())[:limit]
    if not rows:
        return "<p>No claims.</p>"
    label, width, row_h = 180, 560, 22
    top = max(sum(c.values()) for _, c in rows) or 1
    parts = [f'<svg class="chart" viewBox="0 0 {label + width + 190} {row_h * len(rows) + 6}" '
             f'role="img" aria-label="claims by verdict and outlet">']
    for i, (outlet, counts) in enumerate(rows):
        y = i * row_h + 3
        x = label
        parts.append(f'<text x="{label - 6}" y="{y + 14}" text-anchor="end" font-size="11">'
                     f'{escape(outlet[:28])}</text>')
        for verdict in VERDICTS:
            w = counts.get(verdict, 0) / top * width
            if w <= 0:
                continue
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="{COLOURS[verdict]}"><title>{escape(outlet)}: '
                         f'{counts.get(verdict, 0):,} {verdict}</title></rect>')
            x += w
        total = sum(counts.values())
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 14}" font-size="11">{total:,} · '
                     f'{_pct(counts.get("mismatch", 0), total)} mismatch</text>')
    parts.append("</svg>")
    return "".join(parts)


def _web_link(url: str | None) -> bool:
    """Only http(s) addresses become links: a record's "javascript:" URL stays text."""
    from urllib.parse import urlsplit

    return bool(url) and urlsplit(url.strip()).scheme.lower() in ("http", "https")


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _code_meaning(code: str) -> str:
    from .verdicts import CODES

    for (verdict, reason), c in CODES.items():
        if c == code:
            return f"{verdict}: {reason}" if reason else verdict
    return ""


def render_html(s: dict) -> str:
    v = s["verdicts"]
    claims = s["claims"]
    legend = " ".join(f'<span class="key" style="background:{COLOURS[k]}"></span>{k}'
                      for k in VERDICTS)
    totals = _table(["", "count", "share"], [
        ["articles", f"{s['articles']:,}", ""],
        ["articles that could not be read or checked", f"{s['articles_with_errors']:,}",
         _pct(s["articles_with_errors"], s["articles"])],
        ["claims", f"{claims:,}", ""],
        *[[k, f"{v[k]:,}", _pct(v[k], claims)] for k in VERDICTS],
        ["arithmetic that contradicts itself (C2xx)",
         f"{sum(n for c, n in s['findings'].items() if c.startswith('C')):,}", ""],
        ["paragraphs copied from another article (exact)",
         f"{s['archive_duplicates']['copied_passages']:,}", ""],
        ["boilerplate paragraphs (in many articles, not counted as copies)",
         f"{s['archive_duplicates']['boilerplate_passages']:,}", ""]])
    codes = _table(["code", "meaning", "mismatches"], [
        [escape(c), escape(_code_meaning(c)), f"{n:,}"] for c, n in s["mismatch_codes"].items()])
    worst = _table(["article", "date", "outlet", "mismatches", "claims"], [
        [(f'<a href="{escape(r["url"])}" rel="noopener noreferrer">'
          f'{escape(r["title"] or r["article_id"])}</a>'
          if _web_link(r.get("url")) else escape(r["title"] or r["article_id"]))
         + f'<br><small>{escape(r["article_id"])}</small>',
         escape(r["date"] or ""), escape(r["outlet"] or ""), f"{r['mismatch']:,}",
         f"{r['claims']:,}"] for r in s["most_mismatches"]])
    errors = _table(["code", "articles"], [[escape(c), f"{n:,}"] for c, n in s["errors"].items()])
    examples = _table(["article", "error"], [[escape(e["article_id"]), escape(e["error"])]
                                            for e in s["error_examples"]])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>factcheck audit: {s['articles']:,} articles, {v['mismatch']:,} mismatches</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222;
       padding: 0 1em; }}
h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.15em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: .5em 0; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .25em .8em; text-align: left;
          vertical-align: top; }}
td:nth-child(n+2) {{ font-variant-numeric: tabular-nums; }}
.chart {{ width: 100%; height: auto; }}
.key {{ display: inline-block; width: .9em; height: .9em; margin: 0 .3em 0 1em;
        vertical-align: -.1em; }}
small {{ color: #666; }}
</style></head><body>
<h1>factcheck audit</h1>
<p>{s['articles']:,} articles from {s['inputs']:,} input file(s), {claims:,} numeric claims
checked against the official figures: <b>{v['mismatch']:,} mismatches</b>
({_pct(v['mismatch'], claims)} of claims).</p>
{totals}
<h2>Verdicts by publication month</h2>
<p>{legend}</p>
{_bars_by_month(s['by_month'])}
<h2>Verdicts by outlet</h2>
{_bars_by_outlet(s['by_outlet'])}
<h2>Mismatches by kind</h2>
{codes}
<h2>Articles with the most mismatches</h2>
{worst}
<h2>Articles that could not be read or checked</h2>
{errors}
{examples if s['error_examples'] else ''}
<p><small>Generated by factcheck from summary.json; the rows are in claims.csv, articles.csv,
findings.csv (and .parquet) and audit.sqlite. Offsets are character offsets into each article's
text.</small></p>
</body></html>
"""


def render_terminal(s: dict, console, outputs: list[str], seconds: float | None = None,
                    rate: float | None = None) -> None:
    from rich.markup import escape as markup
    from rich.table import Table

    v = s["verdicts"]
    claims = s["claims"]
    table = Table(title="factcheck audit", show_header=True, title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    table.add_row("articles", f"{s['articles']:,}", "")
    table.add_row("  could not be read or checked", f"{s['articles_with_errors']:,}",
                  _pct(s["articles_with_errors"], s["articles"]))
    table.add_row("claims", f"{claims:,}", "")
    for k, style in (("supported", "green"), ("mismatch", "bold red"), ("unverifiable", "dim")):
        table.add_row(f"  [{style}]{k}[/]", f"{v[k]:,}", _pct(v[k], claims))
    table.add_row("arithmetic contradictions",
                  f"{sum(n for c, n in s['findings'].items() if c.startswith('C')):,}", "")
    table.add_row("paragraphs copied across articles",
                  f"{s['archive_duplicates']['copied_passages']:,}", "")
    console.print(table)
    if s["mismatch_codes"]:
        codes = Table(title="mismatches by kind", title_justify="left")
        codes.add_column("code")
        codes.add_column("meaning")
        codes.add_column("count", justify="right")
        for c, n in list(s["mismatch_codes"].items())[:10]:
            codes.add_row(c, _code_meaning(c), f"{n:,}")
        console.print(codes)
    if s["most_mismatches"]:
        worst = Table(title="articles to read first", title_justify="left")
        worst.add_column("article")
        worst.add_column("date")
        worst.add_column("mismatches", justify="right")
        for r in s["most_mismatches"][:10]:
            worst.add_row(markup(r["title"] or r["article_id"]), markup(r["date"] or ""),
                          f"{r['mismatch']:,}")
        console.print(worst)
    if seconds is not None:
        speed = f", {rate:,.0f} articles/s" if rate else ""
        console.print(f"[dim]{seconds:,.1f} s{speed}[/]")
    for path in outputs:
        if path.endswith((".sqlite", ".html", "claims.parquet")):
            console.print(f"wrote [bold]{markup(path)}[/]")
