"""Findings -> the CI formats: concise, jsonl, github, sarif, junit.

Every renderer takes the same input (a list of ``DocumentFindings`` and the ``Policy``) and
returns the text to write, so one test per format covers every command that emits it.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

from . import __version__
from .findings import CATEGORIES, CODE_INFO, Alert, DocumentFindings, Policy

# GitHub shows at most 10 error and 10 warning annotations a step (50 a job): more would vanish
GITHUB_MAX_ANNOTATIONS = 10
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS_PATH = "docs/codes/{code}.md"


def _shown(docs: list[DocumentFindings], policy: Policy) -> list[Alert]:
    return [a for d in docs for a in d.shown(policy)]


def concise(docs: list[DocumentFindings], policy: Policy) -> str:
    """``path:line:col: CODE label message``, a line a finding, in text order."""
    return "".join(f"{a.source}:{a.line}:{a.column}: {a.code} {a.label} {a.message}\n"
                   for a in _shown(docs, policy))


def jsonl(docs: list[DocumentFindings], policy: Policy) -> str:
    """One JSON object a finding."""
    return "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n"
                   for a in _shown(docs, policy))


def counts(docs: list[DocumentFindings], policy: Policy) -> dict[str, int]:
    out = dict.fromkeys(CATEGORIES, 0)
    for a in _shown(docs, policy):
        out[a.category] += 1
    return out


def summary_line(docs: list[DocumentFindings], policy: Policy) -> str:
    c = counts(docs, policy)
    claims = sum(len(d.checked.claims) for d in docs)
    parts = [f"{n} {k}" for k, n in c.items() if n]
    extra = []
    suppressed = sum(len(d.suppressed) for d in docs)
    baselined = sum(d.baselined for d in docs)
    if suppressed:
        extra.append(f"{suppressed} suppressed")
    if baselined:
        extra.append(f"{baselined} in the baseline")
    failing = sum(len(d.failing(policy)) for d in docs)
    verdict = f"{failing} failing (--fail-on {','.join(policy.fail_on) or 'none'})"
    return (f"factcheck: {_plural(len(docs), 'document')}, {_plural(claims, 'claim')}, "
            f"{', '.join(parts) or 'no findings'}" + (f" ({', '.join(extra)})" if extra else "")
            + f"; {verdict}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ---------------------------------------------------------------------------------------------
# GitHub workflow commands

def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


GH_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def github(docs: list[DocumentFindings], policy: Policy,
           max_annotations: int = GITHUB_MAX_ANNOTATIONS) -> str:
    """``::error file=...,line=...::message`` lines, sorted by file, line, column and code: at most
    ``max_annotations`` of each level (GitHub's own limit is 10 a step), then a ``::notice``
    summary that counts what was not annotated. Findings in a --fail-on category are errors."""
    def level(a: Alert) -> str:
        return GH_LEVEL[policy.level(a)]

    alerts = sorted(_shown(docs, policy), key=lambda a: (a.source, a.line, a.column, a.code))
    kept, per_level = [], {}
    for a in alerts:
        n = per_level.get(level(a), 0)
        if n < max_annotations:
            kept.append(a)
        per_level[level(a)] = n + 1
    lines = []
    for a in kept:
        line, col, end_line, end_col = file_region(a)
        props = (f"file={_gh_property(a.source)},line={line},col={col},"
                 f"endLine={end_line},endColumn={end_col},"
                 f"title={_gh_property(f'factcheck {a.code} {a.label}')}")
        lines.append(f"::{level(a)} {props}::{_gh_data(location_note(a) + a.message)}")
    summary = summary_line(docs, policy)
    if len(alerts) > len(kept):
        summary += (f"; {len(alerts) - len(kept)} more not annotated (at most {max_annotations} "
                    "of each level; see the job summary or --format sarif)")
    lines.append(f"::notice title=factcheck::{_gh_data(summary)}")
    return "".join(line + "\n" for line in lines)


def file_region(a: Alert) -> tuple[int, int, int, int]:
    """Where a finding is in its file: for a record of a JSONL/CSV archive, the record's line
    (offsets and line/column inside its body are in the message and the JSON)."""
    if a.record_line is not None:
        return a.record_line, 1, a.record_line, 1
    return a.line, a.column, a.end_line, a.end_column


def location_note(a: Alert) -> str:
    if a.record_line is None:
        return ""
    return f"[record {a.document}, body line {a.line}:{a.column}] "


def step_summary(docs: list[DocumentFindings], policy: Policy) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the counts and a table of the findings."""
    alerts = _shown(docs, policy)
    out = [f"### {summary_line(docs, policy)}", ""]
    if alerts:
        out += ["| where | code | finding |", "|---|---|---|"]
        for a in alerts[:200]:
            msg = a.message.replace("|", "\\|")
            where = f"{a.source}:{file_region(a)[0]}".replace("`", "'")
            out.append(f"| `{where}` | {a.code} {a.label} | {location_note(a)}{msg} |")
        if len(alerts) > 200:
            out.append(f"| … | | {len(alerts) - 200} more |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# SARIF 2.1.0

def sarif(docs: list[DocumentFindings], policy: Policy) -> str:
    """A SARIF 2.1.0 log: one run, a rule per code used, columns in Unicode code points,
    content fingerprints in ``partialFingerprints``, suppressed findings with their reason."""
    alerts = _shown(docs, policy)
    suppressed = [a for d in docs for a in d.suppressed if a.category in policy.show]
    codes = sorted({a.code for a in alerts + suppressed})
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        info = CODE_INFO[code]
        rules.append({
            "id": code, "name": info.category.title() + code,
            "shortDescription": {"text": info.title},
            "help": {"text": f"{code}: {info.title}. What it means, an example and how to fix: "
                             f"{DOCS_PATH.format(code=code)}"},
            "defaultConfiguration": {"level": info.severity},
            "properties": {"category": info.category, "docs": DOCS_PATH.format(code=code)}})

    def result(a: Alert) -> dict[str, Any]:
        level = policy.level(a)
        out: dict[str, Any] = {
            "ruleId": a.code, "ruleIndex": index[a.code], "level": level,
            "message": {"text": location_note(a) + a.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(a.source)},
                "region": _region(a)}}],
            "partialFingerprints": {"factcheckContent/v1": a.fingerprint},
            "properties": {"category": a.category, "document": a.document}}
        if a.related and a.record_line is None:
            out["relatedLocations"] = [
                {"id": n, "message": {"text": r["text"]}, "physicalLocation": {
                    "artifactLocation": {"uri": _uri(a.source)},
                    "region": {"startLine": r["line"], "startColumn": r["column"],
                               "charOffset": r["start"], "charLength": r["end"] - r["start"]}}}
                for n, r in enumerate(a.related, 1)]
        if a.suppressed is not None:
            out["suppressions"] = [{"kind": "inSource", "justification": a.suppressed}]
        return out

    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "factcheck", "version": __version__,
                            "informationUri": "https://pypi.org/project/factcheck/",
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": [result(a) for a in alerts + suppressed],
        "properties": {"summary": summary_line(docs, policy)}}]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _region(a: Alert) -> dict[str, Any]:
    if a.record_line is not None:  # a record: its line in the archive file
        return {"startLine": a.record_line}
    return {"startLine": a.line, "startColumn": a.column, "endLine": a.end_line,
            "endColumn": a.end_column, "charOffset": a.start, "charLength": a.end - a.start,
            "snippet": {"text": a.text}}


def _uri(source: str) -> str:
    """A relative path as a relative reference (``./`` when its first segment has a colon, so
    ``note:x.md`` is not read as a scheme); an absolute path as a file URI."""
    import os
    from pathlib import Path
    from urllib.parse import quote

    if os.path.isabs(source):
        return Path(source).as_uri()
    path = quote(source.replace("\\", "/"), safe="/@-._~")
    return "./" + path if ":" in source.split("/")[0] else path


# ---------------------------------------------------------------------------------------------
# JUnit XML

def junit(docs: list[DocumentFindings], policy: Policy) -> str:
    """A test suite a document; a test case a finding (failed when its category is in
    --fail-on) plus one for the document's claims, so a clean document is a passing suite."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = sum(len(d.shown(policy)) + 1 for d in docs)
    failures = sum(len([a for a in d.shown(policy) if a.category in policy.fail_on]) for d in docs)
    out.append(f'<testsuites name="factcheck" tests="{total}" failures="{failures}" errors="0">')
    for d in docs:
        r = d.checked.result
        shown = d.shown(policy)
        fails = [a for a in shown if a.category in policy.fail_on]
        out.append(f'  <testsuite name={_attr(r.source)} tests="{len(shown) + 1}" '
                   f'failures="{len(fails)}" errors="0" skipped="0">')
        n = len(d.checked.claims)
        out.append(f'    <testcase classname={_attr(r.source)} '
                   f'name={_attr(f"{n} claims checked")}/>')
        for a in shown:
            name = f"{a.code} {a.label} at line {a.line}:{a.column}: {a.text[:80]}"
            out.append(f'    <testcase classname={_attr(r.source)} name={_attr(name)}>')
            if a.category in policy.fail_on:
                out.append(f'      <failure type={_attr(a.code)} message={_attr(a.message)}>'
                           f'{_xml_text(f"{a.source}:{a.line}:{a.column}: {a.message}")}</failure>')
            else:
                out.append(f'      <system-out>{_xml_text(a.message)}</system-out>')
            out.append('    </testcase>')
        out.append('  </testsuite>')
    out.append('</testsuites>')
    return "\n".join(out) + "\n"


# characters XML 1.0 cannot hold: C0 controls but tab/newline/return, surrogates, U+FFFE/U+FFFF
_XML_BAD = {c: None for c in [*range(32), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
            if c not in (9, 10, 13)}


def _attr(value: str) -> str:
    return quoteattr(value.translate(_XML_BAD))


def _xml_text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(value.translate(_XML_BAD))


RENDERERS = {"concise": concise, "jsonl": jsonl, "github": github, "sarif": sarif,
             "junit": junit}
