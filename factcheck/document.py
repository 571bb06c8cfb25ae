"""Text -> Document: paragraphs and sentences as character offsets into the exact input.

Markup is never removed from the text; it is *masked* in ``Document.view``, a copy of the
same length where URLs, HTML tags, scripts/nav/footer, front matter and entities are blanked.
Every later stage reads ``view`` and reports offsets that index ``text`` directly.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from itertools import pairwise

from .inputs import FRONT_MATTER

# Patterns used inside functions, compiled once (re.match(<literal>, ...) looked each
# one up in re's cache on every call).
_RE_0 = re.compile(r"^title:[ \t]*[\"']?(.*?)[\"']?[ \t]*$", re.M)
_RE_1 = re.compile(r"([A-Za-z.]+)$")
_RE_2 = re.compile(r"\s*\d{1,2}")


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass
class Paragraph:
    start: int
    end: int


@dataclass
class Document:
    text: str
    view: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    title: str | None = None
    title_span: tuple[int, int] | None = None
    dateline: str | None = None  # YYYY-MM-DD found in the text
    # sentence cues already computed for a span (frames.document_cues): framing and the
    # verdicts' sentence names read the same sentences
    cue_memo: dict = field(default_factory=dict, repr=False, compare=False)


URL_RE = re.compile(r"(?:https?://|www\.)[^\s\)\]>\"']+")
HTML_DROP_RE = re.compile(
    r"<(script|style|nav|header|footer|aside|noscript|template|svg|form|button|figure)\b.*?</\1\s*>"
    r"|<!--.*?-->|<sup>\s*\[?\d{1,3}\]?\s*</sup>", re.S | re.I)  # <sup>1</sup>: a footnote mark
MD_MASK_RE = re.compile(
    r"^(?:```|~~~).*?^(?:```|~~~)[^\n]*$"  # fenced code
    r"|<!--.*?-->"  # HTML comments (factcheck: ignore[...] reasons hold figures too)
    r"|`[^`\n]+`"  # inline code
    r"|\[\^[^\]\s]+\]"  # footnote markers [^1]
    r"|\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])",  # emphasis markers
    re.S | re.M)
HTML_BLOCK_RE = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote|title|main|body|html|head|dd|dt|hr)\b[^>]*>",
    re.I)
HTML_TAG_RE = re.compile(r"<[^>]*>")
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


_NOT_NEWLINE_RE = re.compile(r"[^\n]")


def _blank(match: re.Match) -> str:
    # Keep newlines so line structure (and so paragraphs) survive masking.
    return _NOT_NEWLINE_RE.sub(" ", match.group(0))


# a suppression comment is an instruction, not copy, in any format (Markdown and HTML blank all
# comments below)
SUPPRESSION_COMMENT_RE = re.compile(r"<!--\s*factcheck\s*:.*?-->", re.S | re.I)


def mask(text: str, fmt: str) -> str:
    view = text
    if fmt == "text" and "<!--" in view:
        view = SUPPRESSION_COMMENT_RE.sub(_blank, view)
    if fmt == "markdown":
        m = FRONT_MATTER.match(view)
        if m:
            # the headline in `title:` is copy too: keep it, blank the rest of the front matter
            block = _blank(m)
            t = _RE_0.search(m.group(0))
            if t:
                block = block[:t.start(1)] + t.group(1) + block[t.end(1):]
            view = block + view[m.end():]
        view = MD_MASK_RE.sub(_blank, view)
    if fmt == "html":
        view = HTML_DROP_RE.sub(_blank, view)
        view = HTML_BLOCK_RE.sub(lambda m: "\n\n" + " " * (len(m.group(0)) - 2)
                                 if len(m.group(0)) >= 2 else "\n" * len(m.group(0)), view)
        view = HTML_TAG_RE.sub(_blank, view)

        def entity(m: re.Match) -> str:
            # the character goes at the END of the entity's span, so a claim that ends with it
            # ("5&#37;") ends after the whole entity in the raw text
            ch = html.unescape(m.group(0))
            if len(ch) != 1 or ch == m.group(0):
                return " " * len(m.group(0))
            return " " * (len(m.group(0)) - 1) + ch

        view = ENTITY_RE.sub(entity, view)
    view = URL_RE.sub(_blank, view)
    assert len(view) == len(text)
    return view


CONTINUES_RE = re.compile(r"\b(?:on|of|the|to|and|in|a|an|for|with|at|by|from|that|than|as|or|its|their)\s*$",
                          re.I)
TERMINAL = re.compile(r"[.!?:;\"”’)\]]\s*$")


def _paragraph_spans(view: str) -> list[tuple[int, int]]:
    """Blocks split on blank lines; inside a block, one paragraph per line unless hard-wrapped."""
    spans: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in view.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    block: list[tuple[int, int]] = []

    def flush() -> None:
        # Join a line to the next when the prose was hard-wrapped: the line stops mid-sentence
        # (no closing punctuation) and the next continues it (lower case, a digit, or after a
        # word that cannot end a sentence). A headline over a body line stays its own paragraph.
        if not block:
            return
        cur_start, cur_end = block[0]
        for (a, b), (na, nb) in pairwise(block):
            line, nxt = view[a:b], view[na:nb].lstrip()
            joins = (not TERMINAL.search(line) and len(line.strip()) >= 30 and (
                nxt[:1].islower() or nxt[:1].isdigit() or CONTINUES_RE.search(line)))
            if joins:
                cur_end = nb
            else:
                spans.append((cur_start, cur_end))
                cur_start, cur_end = na, nb
        spans.append((cur_start, cur_end))
        block.clear()

    for a, b in lines:
        if view[a:b].strip():
            s = a + (len(view[a:b]) - len(view[a:b].lstrip()))
            e = b - (len(view[a:b]) - len(view[a:b].rstrip()))
            block.append((s, e))
        else:
            flush()
    flush()
    return spans


ABBREV = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "gov",
    "sen", "rep", "inc", "corp", "ltd", "co", "no", "vs", "approx", "e.g", "i.e", "etc", "a.m", "p.m",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est",
    "fig", "al", "mt", "bn", "mln", "pct",
}
SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")


def _sentence_spans(view: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cur = start
    for m in SENT_END.finditer(view, start, end):
        if m.group(0).startswith("."):
            word = _RE_1.search(view[max(cur, m.start() - 12):m.start()])
            w = word.group(1).lower().strip(".") if word else ""
            if w in ABBREV or (len(w) == 1 and w.isalpha()):
                continue
            if _RE_2.fullmatch(view[max(cur, view.rfind("\n", 0, m.start()) + 1):m.start()]):
                continue  # "1. Germany": a list marker, not a sentence end
        cut = m.end()
        if view[cur:cut].strip():
            spans.append((cur, cut))
        cur = cut
        while cur < end and view[cur].isspace():
            cur += 1
    if view[cur:end].strip():
        spans.append((cur, end))
    return spans


MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
DATELINE_RE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(20\d\d)\b"
    r"|\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+(20\d\d)\b"
    r"|\b(20\d\d)-(\d\d)-(\d\d)\b", re.I)


def find_dateline(view: str, limit: int = 1500) -> str | None:
    """A full date (with year) near the top of the article, as YYYY-MM-DD."""
    import datetime as dt

    for m in DATELINE_RE.finditer(view, 0, min(len(view), limit)):
        try:
            if m.group(1):
                d = dt.date(int(m.group(3)), MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
            elif m.group(5):
                d = dt.date(int(m.group(6)), MONTHS[m.group(5)[:3].lower()], int(m.group(4)))
            else:
                d = dt.date(int(m.group(7)), int(m.group(8)), int(m.group(9)))
        except ValueError:
            continue
        return d.isoformat()
    return None


_LOWERED: tuple[str, str] = ("", "")


def lowered(view: str) -> str:
    """``view.lower()`` with the same offsets, computed once per document."""
    global _LOWERED
    if _LOWERED[0] is not view:
        low = view.lower()
        if len(low) != len(view):  # a few characters lower-case to two: keep offsets exact
            low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in view)
        _LOWERED = (view, low)
    return _LOWERED[1]



def prefix_guard(words) -> str:
    """A regex matching wherever one of ``words`` (literal strings) starts, written as a trie.

    Used as a lookahead in front of a long alternation whose every match must begin with one of
    the words: adding a condition every match already meets leaves the matches unchanged, and
    the engine rejects most positions after a character or two instead of trying every branch.
    """
    words = sorted(set(words))
    # a word that another word starts leaves the longer one redundant (only a prefix is tested)
    words = [w for w in words if not any(v != w and w.startswith(v) for v in words)]

    def build(ws: list[str]) -> str:
        out = []
        for c in sorted({w[0] for w in ws}):
            group = [w[1:] for w in ws if w[0] == c]
            if len(group) == 1:
                out.append(re.escape(c + group[0]))
            else:
                out.append(re.escape(c) + "(?:" + build(group) + ")")
        return "|".join(out)

    return "(?:" + build(words) + ")"


def word_start_alternation(alternatives: list[str]) -> str:
    r"""``\b(?:a1|a2|...)`` for alternatives that each open with a plain letter, rewritten so
    the pattern opens with a consumed character: the engine then skips, in C, every position
    whose character no alternative starts with. ``(?<!\w.)`` right after that letter is the
    ``\b`` before it (no word character precedes it); alternatives sharing a first letter keep
    their order, and alternatives with another first letter could not match there anyway."""
    firsts: list[str] = []
    for a in alternatives:
        assert a[0].isalpha() and a[0].islower() and a[1:2] not in ("?", "*", "+", "{"), a
        if a[0] not in firsts:
            firsts.append(a[0])
    return "(?:" + "|".join(
        c + r"(?<!\w.)(?:" + "|".join(a[1:] for a in alternatives if a[0] == c) + ")"
        for c in firsts) + ")"

MAX_SENTENCE = 600  # characters; pasted tables and flattened text can run to megabytes


def _bounded(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an overlong "sentence" at clause punctuation, else at spaces, so the per-sentence
    work (which compares the numbers of a sentence with each other) stays small."""
    spans = []
    while end - start > MAX_SENTENCE:
        window = view[start + MAX_SENTENCE // 2:start + MAX_SENTENCE]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < 0:
            cut = window.rfind(" ")
        cut = start + MAX_SENTENCE // 2 + cut + 1 if cut >= 0 else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < end and view[start].isspace():
            start += 1
    if start < end:
        spans.append((start, end))
    return spans


def build_document(text: str, fmt: str = "text", title: str | None = None) -> Document:
    view = mask(text, fmt)
    doc = Document(text=text, view=view)
    for pi, (a, b) in enumerate(_paragraph_spans(view)):
        doc.paragraphs.append(Paragraph(a, b))
        for s, e in _sentence_spans(view, a, b):
            for cs, ce in _bounded(view, s, e):
                doc.sentences.append(Sentence(cs, ce, pi))
    if title:
        doc.title = title
    elif doc.paragraphs:
        first = doc.paragraphs[0]
        line = view[first.start:first.end].strip()
        if len(line) <= 160 and not line.endswith("."):
            doc.title, doc.title_span = line, (first.start, first.end)
    doc.dateline = find_dateline(view)
    return doc
