"""Checked articles -> findings: the one list every output format, the exit code, inline
suppressions and the baseline work from.

A finding is anything an editor may need to act on: a mismatch (V2xx), a claim that could not be
checked (V3xx), figures of the article that contradict each other (C2xx, and D201: copies of a
passage whose figures differ), a duplicated passage (D101/D102), and a suppression comment that
suppressed nothing or could not be read (S101/S102). Supported claims and consistent arithmetic
are not findings.

Each finding has a content fingerprint: a hash of its document id, its code, the claim or passage
text and its sentence, with whitespace normalised, and its rank among identical findings of the
document. It
does not depend on line numbers, so a baseline or a SARIF upload still recognises a finding after
text above it was edited.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .consistency import CODES as CONSISTENCY_CODES
from .verdicts import CODES as VERDICT_CODES

CATEGORIES = ("mismatch", "inconsistent", "duplicate", "unverifiable", "suppression")
DEFAULT_FAIL_ON = ("mismatch", "inconsistent")
DEFAULT_SHOW = CATEGORIES
SEVERITY = {"mismatch": "error", "inconsistent": "error", "duplicate": "warning",
            "unverifiable": "warning", "suppression": "warning", "passed": "note"}

_REASON_TITLES = {
    "value": "the figure differs from the official one",
    "direction": "the change goes the other way",
    "period": "the figure belongs to another period",
    "basis": "the change is against another comparison base",
    "series": "the figure is another series' figure",
    "partner": "the figure is another partner's figure",
    "unit": "the unit is wrong (kilograms written as tonnes, or the reverse)",
    "separator": "a decimal point where a thousands separator belongs",
    "superlative": "the record or superlative is not borne out",
}
_MISSING_TITLES = {
    "series": "no official series for what the claim is about",
    "period": "no official figure for the claim's period",
    "partner": "no official figure for the claim's partner",
    "measure": "a kind of claim the reference cannot check",
    "frame": "not enough said to know which figure the claim is",
}
_RELATION_TITLES = {
    "restated": "the same quantity printed twice, differently",
    "change_triple": "a level, its base and the stated change do not agree",
    "change_multiple": "a % change and a multiple of the same comparison disagree",
    "part_total": "a part is larger than its total",
    "share": "a share does not match its part and whole",
    "ytd_months": "months add up to more than their year-to-date total",
}


@dataclass(frozen=True)
class CodeInfo:
    code: str
    category: str  # one of CATEGORIES, or "passed" for V100/C100
    title: str

    @property
    def severity(self) -> str:
        return SEVERITY[self.category]


def _registry() -> dict[str, CodeInfo]:
    out: dict[str, CodeInfo] = {}
    for (verdict, reason), code in VERDICT_CODES.items():
        if verdict == "supported":
            out[code] = CodeInfo(code, "passed", "the claim matches the official figure")
        elif verdict == "mismatch":
            out[code] = CodeInfo(code, "mismatch", _REASON_TITLES[reason])
        else:
            out[code] = CodeInfo(code, "unverifiable", _MISSING_TITLES[reason])
    for relation, code in CONSISTENCY_CODES.items():
        out[code] = (CodeInfo(code, "passed", "the article's own arithmetic adds up")
                     if relation == "consistent"
                     else CodeInfo(code, "inconsistent", _RELATION_TITLES[relation]))
    out["D101"] = CodeInfo("D101", "duplicate", "a passage repeated word for word")
    out["D102"] = CodeInfo("D102", "duplicate", "a passage repeated with small changes")
    out["D201"] = CodeInfo("D201", "inconsistent", "copies of a passage whose figures differ")
    out["D301"] = CodeInfo("D301", "duplicate", "boilerplate found in many documents (dupes only)")
    out["S101"] = CodeInfo("S101", "suppression", "a suppression comment that suppressed nothing")
    out["S102"] = CodeInfo("S102", "suppression", "a suppression comment that could not be read")
    return dict(sorted(out.items()))


CODE_INFO: dict[str, CodeInfo] = _registry()


@dataclass
class Alert:
    """One finding, located in its input. Offsets are character offsets into the exact text."""

    code: str
    category: str
    source: str  # the input's path (or record id's source) as given
    document: str  # the article id
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str  # the claim or passage as printed
    message: str
    label: str  # the word concise output prints after the code ("mismatch", "exact-duplicate")
    context: str = field(default="", repr=False)  # what the fingerprint hashes besides the text
    related: list[dict] = field(default_factory=list)  # the other claims/passages involved
    fingerprint: str = ""
    suppressed: str | None = None  # the reason given, when an inline comment suppressed it
    record_line: int | None = None  # a JSONL/CSV record's line in its file; line/column are
    # then inside the record's body

    @property
    def severity(self) -> str:
        return SEVERITY[self.category]

    def to_dict(self) -> dict:
        out = {"code": self.code, "category": self.category, "severity": self.severity,
               "source": self.source, "document": self.document, "start": self.start,
               "end": self.end, "line": self.line, "column": self.column,
               "end_line": self.end_line, "end_column": self.end_column, "text": self.text,
               "message": self.message, "fingerprint": self.fingerprint}
        if self.related:
            out["related"] = self.related
        if self.suppressed is not None:
            out["suppressed"] = self.suppressed
        if self.record_line is not None:
            out["record_line"] = self.record_line
        return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def code_matches(code: str, patterns) -> bool:
    """``V2`` or ``V20`` selects every code it starts (an empty pattern selects nothing)."""
    return any(p and code.startswith(p) for p in patterns)


def check_codes(values, where: str, error: str = "E022") -> tuple[str, ...]:
    """Codes or prefixes (``V305``, ``C2``), upper-cased; FactcheckError for one that starts no
    code, or an empty one (which would otherwise turn every finding off)."""
    from .errors import FactcheckError

    codes = tuple(str(v).strip().upper() for v in values)
    wrong = [c or "''" for c in codes if not c or not any(k.startswith(c) for k in CODE_INFO)]
    if wrong:
        raise FactcheckError(error, where, f"no finding code starts {', '.join(wrong)} (codes "
                             "look like V201, C2, D101; see docs/codes/)")
    return codes


# ---------------------------------------------------------------------------------------------
# from a checked article


def article_alerts(checked) -> list[Alert]:
    """Every finding of one checked article, in text order, fingerprinted."""
    from .report import differences_text, duplicate_code, line_col_at, newline_offsets

    r = checked.result
    text = r.document.text
    newlines = newline_offsets(text)

    def make(code, category, label, start, end, snippet, message, context, related=()):
        line, col = line_col_at(newlines, start)
        end_line, end_col = line_col_at(newlines, end)
        return Alert(code, category, r.source, r.id, start, end, line, col, end_line, end_col,
                     snippet, _squash(message), label, _squash(context), list(related),
                     record_line=r.record_line)

    def sentence(claim) -> str:
        return text[claim.sentence[0]:claim.sentence[1]]

    def ref(i: int) -> dict:
        c = checked.claims[i]
        line, col = line_col_at(newlines, c.start)
        return {"text": c.text, "start": c.start, "end": c.end, "line": line, "column": col}

    found: list[Alert] = []
    for c, v in zip(checked.claims, checked.verdicts, strict=True):
        if v.verdict == "supported":
            continue
        found.append(make(v.code, v.verdict, v.verdict, c.start, c.end, c.text,
                          f"{c.text!r}: {v.explanation}", sentence(c)))
    for f in checked.inconsistent:
        last = checked.claims[f.claims[-1]]
        context = " | ".join(sentence(checked.claims[i]) + " :: " + checked.claims[i].text
                             for i in f.claims)
        found.append(make(f.code, "inconsistent", "inconsistent", last.start, last.end, last.text,
                          f.arithmetic, context, [ref(i) for i in f.claims[:-1]]))
    for g in checked.duplicates:
        code = duplicate_code(g)
        first = g.passages[0]
        fl, fc = line_col_at(newlines, first.start)
        for p in g.passages[1:]:
            related = [{"text": _squash(first.text)[:200], "start": first.start, "end": first.end,
                        "line": fl, "column": fc}]
            found.append(make(code, "inconsistent" if g.kind == "inconsistent" else "duplicate",
                              f"{g.kind}-duplicate", p.start, p.end, _squash(p.text)[:200],
                              f"{g.level} repeats line {fl}:{fc} (similarity {g.similarity:.2f})"
                              + differences_text(g), first.text + " :: " + p.text, related))
    found.sort(key=lambda a: a.start)  # stable: ties keep verdicts, arithmetic, duplicates
    fingerprint(found)
    return found


def fingerprint(alerts: list[Alert]) -> None:
    """Content fingerprints: code + text + context, ranked among identical ones (the second copy
    of the same wrong sentence gets its own)."""
    seen: dict[str, int] = {}
    for a in alerts:
        base = hashlib.sha256(f"{a.document}\x1f{a.code}\x1f{_squash(a.text)}\x1f{a.context}"
                              .encode()).hexdigest()
        rank = seen.get(base, 0)
        seen[base] = rank + 1
        a.fingerprint = hashlib.sha256(f"{base}#{rank}".encode()).hexdigest()[:20]


# ---------------------------------------------------------------------------------------------
# inline suppressions: <!-- factcheck: ignore[V201,C2] reason="the figure is revised" -->

COMMENT_RE = re.compile(r"<!--\s*factcheck\s*:(?P<body>.*?)-->", re.S | re.I)
IGNORE_RE = re.compile(r"^\s*ignore\s*\[(?P<codes>[^\]]*)\]\s*(?:reason\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'))?\s*$",
                       re.S | re.I)
# Markdown code (fenced blocks, inline spans): a suppression shown there is an example
CODE_SPAN_RE = re.compile(r"^(?:```|~~~).*?^(?:```|~~~)[^\n]*$|`[^`\n]+`", re.S | re.M)
CODE_PATTERN_RE = re.compile(r"^(?:[VCDS]\d{0,3}|\*)$")


@dataclass
class Suppression:
    start: int  # the comment's span
    end: int
    codes: tuple[str, ...]
    reason: str
    scope: tuple[int, int] | None  # the paragraph it covers
    used: int = 0


def suppressions(checked) -> tuple[list[Suppression], list[tuple[int, int, str]]]:
    """The article's ``factcheck: ignore[...]`` comments, each with the paragraph after it, and
    the comments that could not be read (start, end, why)."""
    doc = checked.result.document
    text = doc.text
    if "factcheck" not in text.lower():
        return [], []
    found, bad = [], []
    code_spans = [m.span() for m in CODE_SPAN_RE.finditer(text)]
    for m in COMMENT_RE.finditer(text):
        if any(a <= m.start() < b for a, b in code_spans):
            continue  # an example in a code block or inline code, not an instruction
        body = m.group("body")
        parsed = IGNORE_RE.match(body)
        if not parsed:
            bad.append((m.start(), m.end(), "expected ignore[CODE,...] reason=\"...\""))
            continue
        codes = tuple(c.strip().upper() for c in parsed.group("codes").split(",") if c.strip())
        unknown = [c for c in codes if not CODE_PATTERN_RE.match(c) or
                   (c != "*" and not any(k.startswith(c) for k in CODE_INFO))]
        if not codes or unknown:
            bad.append((m.start(), m.end(), f"unknown code {', '.join(unknown)}" if unknown
                        else "no code in ignore[]"))
            continue
        reason = parsed.group("dq") or parsed.group("sq") or ""
        # the next paragraph; in plain text the comment line can open that paragraph itself
        scope = next(((max(p.start, m.end()), p.end) for p in doc.paragraphs
                      if p.end > m.end() and text[m.end():p.end].strip()), None)
        found.append(Suppression(m.start(), m.end(), codes, reason, scope))
    return found, bad


def apply_suppressions(checked, alerts: list[Alert]) -> list[Alert]:
    """Mark suppressed alerts; return the S101/S102 alerts for unused or unreadable comments."""
    from .report import line_col_at, newline_offsets

    sups, bad = suppressions(checked)
    if not sups and not bad:
        return []
    for a in alerts:
        anchors = [a.start] + [r["start"] for r in a.related if a.category == "inconsistent"
                               and a.code.startswith("C")]
        for s in sups:
            if s.scope and any(s.scope[0] <= x < s.scope[1] for x in anchors) and \
                    any(c == "*" or a.code.startswith(c) for c in s.codes):
                a.suppressed = s.reason
                s.used += 1
                break
    r = checked.result
    text = r.document.text
    newlines = newline_offsets(text)
    extra = []
    for start, end, why, code, label in (
            [(s.start, s.end, f"ignore[{','.join(s.codes)}] matched no finding in the next "
              "paragraph", "S101", "suppression-unused") for s in sups if not s.used]
            + [(b[0], b[1], b[2], "S102", "suppression-malformed") for b in bad]):
        line, col = line_col_at(newlines, start)
        end_line, end_col = line_col_at(newlines, end)
        comment = text[start:end]
        extra.append(Alert(code, "suppression", r.source, r.id, start, end, line, col, end_line,
                           end_col, _squash(comment)[:200], why, label, _squash(comment),
                           record_line=r.record_line))
    fingerprint(extra)
    return extra


# ---------------------------------------------------------------------------------------------
# one run's findings, filtered


@dataclass
class Policy:
    """What is reported and what fails the run: from flags and configuration."""

    show: tuple[str, ...] = DEFAULT_SHOW
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    disable: tuple[str, ...] = ()  # codes or code prefixes turned off
    baseline: frozenset = frozenset()  # (source, document, fingerprint) known before
    exit_zero: bool = False

    def level(self, alert: Alert) -> str:
        """error | warning | note: a finding that fails the run is an error; one that does not
        is at most a warning, whatever its code's own severity."""
        if alert.category in self.fail_on:
            return "error"
        return "warning" if alert.severity == "error" else alert.severity


@dataclass
class DocumentFindings:
    checked: object
    alerts: list[Alert]  # reported: not disabled, suppressed or in the baseline
    suppressed: list[Alert]
    baselined: int
    disabled: int

    def shown(self, policy: Policy) -> list[Alert]:
        return [a for a in self.alerts if a.category in policy.show]

    def failing(self, policy: Policy) -> list[Alert]:
        return [a for a in self.alerts if a.category in policy.fail_on]


def collect(checked, policy: Policy) -> DocumentFindings:
    alerts = article_alerts(checked)
    alerts += apply_suppressions(checked, alerts)
    alerts.sort(key=lambda a: a.start)
    from .baseline import match_source

    kept, suppressed, baselined, disabled = [], [], 0, 0
    source = match_source(checked.result.source) if policy.baseline else ""
    for a in alerts:
        if policy.disable and code_matches(a.code, policy.disable):
            disabled += 1
        elif a.suppressed is not None:
            suppressed.append(a)
        elif (source, a.document, a.fingerprint) in policy.baseline:
            baselined += 1
        else:
            kept.append(a)
    return DocumentFindings(checked, kept, suppressed, baselined, disabled)


def parse_categories(value: str, flag: str) -> tuple[str, ...]:
    """``mismatch,inconsistent`` -> a tuple of categories; ``all`` and ``none`` allowed."""
    from .errors import FactcheckError

    items = [v.strip().lower() for v in value.split(",") if v.strip()] if isinstance(value, str) \
        else [str(v).strip().lower() for v in value]
    if items in (["all"], ["*"]):
        return CATEGORIES
    if items == ["none"] or not items:
        return ()
    wrong = [v for v in items if v not in CATEGORIES]
    if wrong:
        raise FactcheckError("E022", flag, f"unknown category {', '.join(wrong)}; choose from "
                             f"{', '.join(CATEGORIES)}, all or none")
    return tuple(dict.fromkeys(items))
