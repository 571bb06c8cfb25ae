"""Duplicated passages inside one article: repeated blocks, glued copies, rewritten repeats.

Within an article every pair of paragraphs is compared (an article has tens of paragraphs, so
all pairs cost microseconds); pairs that align are merged into *blocks* — runs of consecutive
paragraphs repeated in the same order, as syndicated copy pasted twice is — and blocks that are
copies of each other form a group. Sentences repeated inside otherwise different paragraphs are
found the same way. Groups report every passage's span (character offsets into the exact input),
the similarity, which copy came first, and any figure that differs between aligned copies.

The archive-wide search (many articles, MinHash LSH) is in ``archive_dupes``; both share the
comparison rules in ``passages``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .deadline import check_deadline
from .document import Document
from .passages import (
    MIN_WORDS,
    Comparison,
    Difference,
    Tokens,
    classify,
    compare,
    could_match,
    tokenize,
)

KIND_ORDER = {"inconsistent": 0, "near": 1, "exact": 2}


@dataclass
class Passage:
    start: int
    end: int
    text: str
    doc: str | None = None  # record id or file path (archive runs)

    def to_dict(self) -> dict:
        d = {"start": self.start, "end": self.end, "text": self.text}
        if self.doc is not None:
            d = {"doc": self.doc, **d}
        return d


@dataclass
class DupGroup:
    kind: str  # exact | near | inconsistent
    similarity: float
    level: str  # paragraph | sentence | block
    passages: list[Passage]  # in order of appearance; the first is the earliest copy
    differences: list[Difference] = field(default_factory=list)  # first copy vs another
    units: list[int] = field(default_factory=list, repr=False)  # paragraph/sentence numbers covered

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "level": self.level, "similarity": round(self.similarity, 3),
             "first": 0, "passages": [p.to_dict() for p in self.passages]}
        if self.differences:
            d["differences"] = [x.to_dict() for x in self.differences]
        return d


@dataclass
class _Unit:
    index: int
    start: int
    end: int
    tokens: Tokens


def _units(doc: Document, spans: list[tuple[int, int]]) -> list[_Unit]:
    return [_Unit(i, s, e, tokenize(doc.text[s:e], s)) for i, (s, e) in enumerate(spans)]


def _pairs(units: list[_Unit]) -> dict[tuple[int, int], tuple[str, Comparison]]:
    """Every aligned pair (i < j) with its kind; short units only when word-for-word equal."""
    found: dict[tuple[int, int], tuple[str, Comparison]] = {}
    for x, ua in enumerate(units):
        check_deadline()
        la = len(ua.tokens.words)
        if not la:
            continue
        for ub in units[x + 1:]:
            lb = len(ub.tokens.words)
            if not lb:
                continue
            if ua.tokens.words == ub.tokens.words:
                cmp = compare(ua.tokens, ub.tokens)
                kind = "exact" if min(la, lb) >= MIN_WORDS else "short"
                found[(ua.index, ub.index)] = (kind, cmp)
                continue
            if min(la, lb) < MIN_WORDS or min(la, lb) < 0.5 * max(la, lb) * 0.8:
                continue  # a short passage can only be contained in a longer one, not its copy
            if not could_match(ua.tokens, ub.tokens):
                continue
            cmp = compare(ua.tokens, ub.tokens)
            kind = classify(cmp, la, lb)
            if kind:
                found[(ua.index, ub.index)] = (kind, cmp)
    return found


def _blocks(pairs: dict) -> list[tuple[list[int], list[int]]]:
    """Word-for-word repeats merged into runs (i, j), (i+1, j+1)...; every other pair alone.

    Only identical paragraphs extend a block, so a copy whose figures changed, or a rewritten
    or glued copy, is reported on its own rather than hidden inside a long block.
    """
    same = {k for k, (kind, _) in pairs.items() if kind in ("exact", "short")}
    blocks = []
    for (i, j) in sorted(same):
        if (i - 1, j - 1) in same:
            continue
        run = []
        first_copy = j
        while (i, j) in same and i < first_copy:  # a block never runs into its own copy
            run.append((i, j))
            i, j = i + 1, j + 1
        while run and pairs[run[-1]][0] == "short":
            run.pop()
        while run and pairs[run[0]][0] == "short":
            run.pop(0)
        if run:
            blocks.append(([a for a, _ in run], [b for _, b in run]))
    blocks.extend(([i], [j]) for (i, j), (kind, _) in sorted(pairs.items()) if kind not in ("exact", "short"))
    return blocks


def _group_blocks(doc: Document, units: list[_Unit], pairs: dict, level: str) -> list[DupGroup]:
    blocks = _blocks(pairs)
    # copies of the same passage (A at 3 places, or A, a rewrite of A and A glued to a title)
    # become one group; within one article that closure is safe
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for left, right in blocks:
        parent[find((right[0], right[-1]))] = find((left[0], left[-1]))
    # each link is filed under its group's final root, once every union is done
    groups: dict[tuple[int, int], list] = {}
    for left, right in blocks:
        ka, kb = (left[0], left[-1]), (right[0], right[-1])
        cmps = [pairs[(x, y)] for x, y in zip(left, right, strict=True)]
        groups.setdefault(find(ka), []).append((ka, kb, cmps))
    out = []
    for links in groups.values():
        members = sorted({k for ka, kb, _ in links for k in (ka, kb)})
        first = members[0]
        kinds, sims, diffs = [], [], []
        trim: dict[tuple[int, int], tuple[int, int]] = {}
        for ka, kb, cmps in links:
            for kind, cmp in cmps:
                if kind == "short":
                    continue
                kinds.append(kind)
                sims.append(cmp.similarity)
                diffs.extend(cmp.differences)
                if ka == first and kb[0] == kb[1]:
                    trim[kb] = cmp.shared_b  # the part of a glued copy that is shared
                    if len(members) == 2:
                        trim[ka] = cmp.shared_a
        passages = []
        for key in members:
            start, end = trim.get(key) or (units[key[0]].start, units[key[1]].end)
            passages.append(Passage(start, end, doc.text[start:end]))
        kind = min(kinds, key=KIND_ORDER.__getitem__)
        unique = {(d.a_start, d.b_start): d for d in diffs}
        single = all(a == b for a, b in members)
        out.append(DupGroup(kind, min(sims), level if single else "block", passages,
                            sorted(unique.values(), key=lambda d: d.a_start),
                            [n for a, b in members for n in range(a, b + 1)]))
    return out


def find_in_document(doc: Document, skip: tuple[int, int] | None = None) -> list[DupGroup]:
    """Duplicated paragraphs/blocks, then sentences repeated outside them, in text order.

    ``skip``: a span left out, such as a title taken from metadata (front matter, <title>) that
    the page repeats as its heading.
    """
    spans = [(p.start, p.end) for p in doc.paragraphs
             if not (skip and skip[0] <= p.start and p.end <= skip[1])]
    paragraphs = _units(doc, spans)
    groups = _group_blocks(doc, paragraphs, _pairs(paragraphs), "paragraph")
    covered = [(p.start, p.end) for g in groups for p in g.passages]
    covered += [(paragraphs[i].start, paragraphs[i].end) for g in groups for i in g.units]
    # A duplicated paragraph's own sentences are not listed again.
    whole = {(u.start, u.end) for u in paragraphs}
    sentences = [(s.start, s.end) for s in doc.sentences
                 if (s.start, s.end) not in whole
                 and not (skip and skip[0] <= s.start and s.end <= skip[1])
                 and not any(a <= s.start and s.end <= b for a, b in covered)]
    units = _units(doc, sentences)
    pairs = {k: v for k, v in _pairs(units).items() if v[0] != "short"}
    # sentences are never merged into blocks: each repeated sentence is its own group
    for (i, j), (kind, cmp) in sorted(pairs.items()):
        ua, ub = units[i], units[j]
        groups.append(DupGroup(kind, cmp.similarity, "sentence",
                               [Passage(ua.start, ua.end, doc.text[ua.start:ua.end]),
                                Passage(ub.start, ub.end, doc.text[ub.start:ub.end])],
                               [d for d in cmp.differences]))
    groups.sort(key=lambda g: (g.passages[0].start, g.passages[-1].start))
    return groups

