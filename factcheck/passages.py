"""Passages as words: the tokens duplicate detection compares, and the pairwise comparison.

Two passages are compared as sequences of *words* — lowercased letters/digits, with numbers kept
whole ("3,188", "157.5", "660%" -> "660", "%") — so whitespace, quotes, case and punctuation never
make two copies differ, and a changed number is a changed token the alignment can point at.
Every token keeps its character span in the exact text it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import Indel, Levenshtein

# Words, numbers with their separators, and the symbols that change a number's meaning.
TOKEN_RE = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*|[%$€£¥]", re.UNICODE)
NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?$")
TAG_RE = re.compile(r"<[^>]*>")
GLUED_SPLIT_RE = re.compile(r"[a-z][A-Z]")
GLUED_RE = re.compile(r"[A-Z]?[^\W_A-Z]+(?:['’][^\W_]+)*|[A-Z]+(?![a-z])|[^\W_]")


@dataclass(frozen=True)
class Tokens:
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # character offsets into the text the words came from


def tokenize(text: str, offset: int = 0) -> Tokens:
    """Words of ``text``; spans are shifted by ``offset`` (the passage's start in its document)."""
    view = TAG_RE.sub(lambda m: " " * len(m.group()), text) if "<" in text else text
    matches = list(TOKEN_RE.finditer(view))
    # Consecutive letters and digits always fall inside one token, so a word is glued ("in
    # JuneChina's") only where the whole view has a lower-upper pair: most passages have none
    # and skip the per-word test.
    if not GLUED_SPLIT_RE.search(view):
        if "’" in view:
            words = tuple([m.group().lower().replace("’", "'") for m in matches])
        else:
            words = tuple([m.group().lower() for m in matches])
        if offset:
            spans = tuple([(a + offset, b + offset) for a, b in map(re.Match.span, matches)])
        else:
            spans = tuple(map(re.Match.span, matches))
        return Tokens(words, spans)
    wl: list[str] = []
    sl: list[tuple[int, int]] = []
    for m in matches:
        word, start = m.group(), m.start()
        # words glued by a lost space ("in JuneChina's") are two words in both copies
        for part in GLUED_RE.finditer(word) if GLUED_SPLIT_RE.search(word) else (m,):
            s = start + part.start() if part is not m else start
            wl.append(part.group().lower().replace("’", "'"))
            sl.append((s + offset, s + len(part.group()) + offset))
    return Tokens(tuple(wl), tuple(sl))


def is_number(word: str) -> bool:
    return bool(NUMBER_RE.match(word))


def number_value(word: str) -> Decimal | None:
    try:
        return Decimal(word.replace(",", ""))
    except InvalidOperation:
        return None


def is_rounding(a: str, b: str) -> bool:
    """One figure is the other rounded to fewer digits: 38.1 vs 38, 3,188 vs 3,200."""
    va, vb = number_value(a), number_value(b)
    if va is None or vb is None:
        return False

    def step(v: Decimal) -> Decimal:
        exp = v.normalize().as_tuple().exponent
        return Decimal(1).scaleb(int(exp)) if isinstance(exp, int) else Decimal(1)

    coarse, fine = (va, vb) if step(va) > step(vb) else (vb, va)
    if step(coarse) == step(fine):
        return False
    return abs(coarse - fine) <= step(coarse) / 2


@dataclass
class Difference:
    """Two aligned figures that differ: 'a' in the first passage, 'b' in the second."""

    a: str
    b: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    rounding: bool  # one is the other rounded: reported, but not an inconsistency

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "a_span": [self.a_start, self.a_end],
                "b_span": [self.b_start, self.b_end], "rounding": self.rounding}


@dataclass
class Comparison:
    similarity: float  # 2 * shared words / (words in a + words in b)
    coverage: float  # shared words / words in the shorter passage
    shared_a: tuple[int, int]  # the aligned span in a: first to last shared word
    shared_b: tuple[int, int]
    differences: list[Difference]
    other_changes: int  # words inside the shared stretch that differ and are not figures
    changed_words: int = 0  # every word that differs, figures and edges included

    @property
    def numbers_differ(self) -> bool:
        return any(not d.rounding for d in self.differences)


def compare(a: Tokens, b: Tokens) -> Comparison:
    """Align two passages word by word (Levenshtein opcodes) and say what they share."""
    la, lb = len(a.words), len(b.words)
    ops = list(Levenshtein.opcodes(a.words, b.words))
    equal = [n for n, op in enumerate(ops) if op.tag == "equal"]
    shared = sum(ops[n].src_end - ops[n].src_start for n in equal)
    similarity = 2 * shared / (la + lb) if la + lb else 1.0
    coverage = shared / min(la, lb) if min(la, lb) else 0.0
    # The shared stretch runs from the first to the last run of 3+ equal words: stray single
    # words matched inside a glued title ("China's ... Exports to the US") are not the copy, and
    # edits outside it (a glued prefix, a cut last sentence) are not changes inside the copy.
    strong = [n for n in equal if ops[n].src_end - ops[n].src_start >= 3] or equal
    if not strong:
        return Comparison(similarity, coverage, (0, 0), (0, 0), [], la + lb, la + lb)
    first, last = ops[strong[0]], ops[strong[-1]]
    diffs: list[Difference] = []
    other = 0
    for op in ops[strong[0]:strong[-1] + 1]:
        if op.tag == "replace":
            for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=False):
                wa, wb = a.words[i], b.words[j]
                if is_number(wa) and is_number(wb):
                    diffs.append(Difference(wa, wb, *a.spans[i], *b.spans[j], is_rounding(wa, wb)))
                else:
                    other += 1
            other += abs((op.src_end - op.src_start) - (op.dest_end - op.dest_start))
        elif op.tag != "equal":
            other += max(op.src_end - op.src_start, op.dest_end - op.dest_start)
    shared_a = (a.spans[first.src_start][0], a.spans[last.src_end - 1][1])
    shared_b = (b.spans[first.dest_start][0], b.spans[last.dest_end - 1][1])
    changed = max(la, lb) - shared
    return Comparison(similarity, coverage, shared_a, shared_b, diffs, other, changed)


# Acceptance rules, shared by one-article and archive detection (tuned on the planted benchmark,
# see docs/measurements.md).
MIN_WORDS = 8  # shorter passages ("43 Articles", "References") never stand alone as duplicates
NEAR_SIMILARITY = 0.8
CONTAINED_COVERAGE = 0.8  # a copy glued into a longer passage ("Title: ..." + the lead)
CONTAINED_MIN_WORDS = 12
NUMBER_COPY_MIN_WORDS = 15  # shorter sentences with other figures are formulas, not copies


def could_match(a: Tokens, b: Tokens) -> bool:
    """A cheap, safe filter before the alignment: the longest common word sequence (Indel, in C)
    bounds both the similarity and the coverage ``classify`` needs."""
    la, lb = len(a.words), len(b.words)
    common = Indel.similarity(a.words, b.words) / 2  # words in the longest common subsequence
    return (2 * common / (la + lb) >= NEAR_SIMILARITY
            or (common / min(la, lb) >= CONTAINED_COVERAGE and min(la, lb) >= CONTAINED_MIN_WORDS))


def classify(cmp: Comparison, la: int, lb: int) -> str | None:
    """'exact' | 'near' | 'inconsistent' for two passages of la and lb words, or None."""
    if min(la, lb) < MIN_WORDS:
        return None
    near = cmp.similarity >= NEAR_SIMILARITY or (
        cmp.coverage >= CONTAINED_COVERAGE and min(la, lb) >= CONTAINED_MIN_WORDS)
    if not near:
        return None
    # A formula sentence seen with other names and figures ("Shares of X rose N%") is not a copy:
    # short passages must agree on nearly every word that is not a figure.
    if min(la, lb) < 20 and cmp.changed_words > 1 and cmp.coverage < 0.95:
        return None
    if cmp.numbers_differ:
        # A copy whose figures changed differs in little else; a template filled in with other
        # names and figures ("Freight rates on the X route rose N% ... Y data showed") or a
        # short formula sentence ("Shares of X rose N%") is a look-alike, not a copy.
        changed = sum(not d.rounding for d in cmp.differences)
        slack = int(0.05 * min(la, lb))  # long passages may carry an edit or two besides
        if (cmp.other_changes > max(1, slack) or changed + cmp.other_changes > 2 + slack
                or min(la, lb) < NUMBER_COPY_MIN_WORDS):
            return None
        return "inconsistent"
    if cmp.similarity == 1.0 and not cmp.differences:
        return "exact"
    return "near"
