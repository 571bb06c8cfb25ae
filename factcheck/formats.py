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

GITHUB_MAX_ANNOTATIONS = 50  # GitHub shows at most 50 annotations a step; the rest would vanish
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
    """``::error file=...,line=...::message`` lines, sorted by file, line, column and code, the
    failing ones first when the cap bites; then a ``::notice`` summary. Findings over the cap are
    counted in the summary, never silently dropped."""
    alerts = _shown(docs, policy)
    failing = set(policy.fail_on)
    # which ones survive the cap: failing categories first, then by position
    ranked = sorted(alerts, key=lambda a: (a.category not in failing, a.source, a.line,
                                           a.column, a.code))
    kept = sorted(ranked[:max_annotations], key=lambda a: (a.source, a.line, a.column, a.code))
    lines = []
    for a in kept:
        # failing findings are errors; the rest warn (or note), whatever their own severity
        level = "error" if a.category in failing else \
            ("warning" if a.severity == "error" else GH_LEVEL[a.severity])
        props = (f"file={_gh_property(a.source)},line={a.line},col={a.column},"
                 f"endLine={a.end_line},endColumn={a.end_column},"
                 f"title={_gh_property(f'factcheck {a.code} {a.label}')}")
        lines.append(f"::{level} {props}::{_gh_data(a.message)}")
    summary = summary_line(docs, policy)
    if len(alerts) > len(kept):
        summary += f"; {len(alerts) - len(kept)} more not annotated (cap {max_annotations})"
    lines.append(f"::notice title=factcheck::{_gh_data(summary)}")
    return "".join(line + "\n" for line in lines)


def step_summary(docs: list[DocumentFindings], policy: Policy) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the counts and a table of the findings."""
    alerts = _shown(docs, policy)
    out = [f"### {summary_line(docs, policy)}", ""]
    if alerts:
        out += ["| where | code | finding |", "|---|---|---|"]
        for a in alerts[:200]:
            msg = a.message.replace("|", "\\|")
            out.append(f"| `{a.source}:{a.line}:{a.column}` | {a.code} {a.label} | {msg} |")
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
        level = "error" if a.category in policy.fail_on else \
            ("warning" if a.severity == "error" else a.severity)
        out: dict[str, Any] = {
            "ruleId": a.code, "ruleIndex": index[a.code], "level": level,
            "message": {"text": a.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(a.source)},
                "region": {"startLine": a.line, "startColumn": a.column, "endLine": a.end_line,
                           "endColumn": a.end_column, "charOffset": a.start,
                           "charLength": a.end - a.start, "snippet": {"text": a.text}}}}],
            "partialFingerprints": {"factcheckContent/v1": a.fingerprint},
            "properties": {"category": a.category, "document": a.document}}
        if a.related:
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


def _uri(source: str) -> str:
    from urllib.parse import quote

    return quote(source.replace("\\", "/"), safe="/:@-._~")


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


_XML_BAD = {c: None for c in range(32) if c not in (9, 10, 13)}


def _attr(value: str) -> str:
    return quoteattr(value.translate(_XML_BAD))


def _xml_text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(value.translate(_XML_BAD))


RENDERERS = {"concise": concise, "jsonl": jsonl, "github": github, "sarif": sarif,
             "junit": junit}
