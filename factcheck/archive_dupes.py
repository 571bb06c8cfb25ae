"""Passages reused across an archive: MinHash LSH candidates, word alignment to confirm.

The shape is the one Spark and Dask dedup jobs use, so memory stays bounded:

1. Stream the records; split each into paragraphs (passages). Passage text goes to a spill file
   on disk; in memory stay only a few integers per passage.
2. In worker processes, chunk by chunk: words -> 5-word shingles (figures kept: a changed number
   must still look like a copy) -> a 64-value MinHash signature (numpy, multiply-shift hashing) ->
   16 band keys of 4 values each (an LSH threshold near Jaccard 0.5).
3. Group passages by band key (a sort per band, not a hash table of buckets). A bucket holding
   many different documents is boilerplate: it is summarised, never expanded into pairs.
4. Each candidate pair is read back from the spill file, aligned word by word and classified by
   the same rules as one-article detection (``passages.classify``): exact, near, or
   inconsistent (aligned copies whose figures differ).

Word-identical passages are found by hashing before any of this and reported as one group.
"""

from __future__ import annotations

import mmap
import os
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .dupes import KIND_ORDER, DupGroup, Passage
from .passages import MIN_WORDS, classify, compare, could_match, tokenize

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
CHUNK = 2000  # passages per worker task
_RNG = np.random.default_rng(20250720)  # fixed: band keys must agree across workers and runs
# multiply-add-shift hashing: 64-bit odd multipliers, the product taken mod 2**64 and its high
# 32 bits kept (with 32-bit multipliers the product would not wrap, and every "permutation"
# would pick the same smallest shingle)
_A = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_GRAM_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                       0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_BAND_MULT = np.array([0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB,
                       0x2545F4914F6CDD1D], dtype=np.uint64)


@dataclass
class Boilerplate:
    text: str
    count: int  # documents it appears in
    docs: list[str]  # the first few, in input order

    def to_dict(self) -> dict:
        return {"text": self.text, "count": self.count, "examples": self.docs}


@dataclass
class ArchiveResult:
    groups: list[DupGroup] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def split_passages(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph spans: lines, or blank-line separated blocks; stripped, never empty."""
    start = 0
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e
        start = end + 1


def _band_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each passage: its word count, a hash of its words, and its BANDS band keys."""
    cache: dict[str, int] = {}
    ids: list[int] = []
    offsets = [0]
    counts = np.zeros(len(texts), dtype=np.int32)
    exact = np.zeros(len(texts), dtype=np.uint64)
    for n, text in enumerate(texts):
        words = tokenize(text).words
        counts[n] = len(words)
        for w in words:
            h = cache.get(w)
            if h is None:
                h = cache[w] = zlib.crc32(w.encode())
            ids.append(h)
        offsets.append(len(ids))
        exact[n] = zlib.crc32(" ".join(words).encode()) << 32 | zlib.adler32(" ".join(words).encode())
    keys = np.zeros((len(texts), BANDS), dtype=np.uint64)
    if not ids:
        return counts, exact, keys
    tok = np.asarray(ids, dtype=np.uint64)
    bounds = np.asarray(offsets, dtype=np.int64)
    lengths = np.diff(bounds)
    # shingle i covers words i..i+4 of its own passage; passages shorter than that get one
    # shingle of all their words
    grams = np.zeros(len(tok), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            shifted = np.zeros(len(tok), dtype=np.uint64)
            shifted[:len(tok) - k] = tok[k:]
            grams += shifted * _GRAM_MULT[k]
    owner = np.repeat(np.arange(len(texts)), lengths)
    pos = np.arange(len(tok)) - bounds[:-1][owner]
    valid = (pos + SHINGLE <= lengths[owner]) | ((pos == 0) & (lengths[owner] < SHINGLE))
    # a short passage's one shingle must not read past its end: rebuild those
    short = np.nonzero(valid & (lengths[owner] < SHINGLE))[0]
    for i in short:
        ln = int(lengths[owner[i]])
        with np.errstate(over="ignore"):
            grams[i] = np.sum(tok[i:i + ln] * _GRAM_MULT[:ln], dtype=np.uint64)
    grams = grams[valid]
    gram_owner = owner[valid]
    grams = (grams ^ (grams >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    have = np.unique(gram_owner)
    step = 50000  # shingles per block: bounds the temporary (step x NUM_PERM) matrix
    mins = np.full((len(texts), NUM_PERM), np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for lo in range(0, len(grams), step):
            g = grams[lo:lo + step]
            h = (g[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
            o = gram_owner[lo:lo + step]
            cuts = np.flatnonzero(np.diff(o)) + 1
            seg_starts = np.concatenate(([0], cuts))
            red = np.minimum.reduceat(h, seg_starts, axis=0)
            seg_owner = o[seg_starts]
            mins[seg_owner] = np.minimum(mins[seg_owner], red)
    sig = mins[have]
    with np.errstate(over="ignore"):
        for b in range(BANDS):
            band = sig[:, b * ROWS:(b + 1) * ROWS]
            key = np.full(len(have), np.uint64(b + 1), dtype=np.uint64)
            for r in range(ROWS):
                key = (key ^ band[:, r]) * _BAND_MULT[r]
            keys[have, b] = key
    return counts, exact, keys


class _Spill:
    """Passage texts on disk, read back only for candidate pairs."""

    def __init__(self, directory: str | None):
        self.file = tempfile.TemporaryFile(dir=directory)
        self.offsets: list[int] = [0]
        self.map: mmap.mmap | None = None

    def add(self, text: str) -> None:
        data = text.encode("utf-8")
        self.file.write(data)
        self.offsets.append(self.offsets[-1] + len(data))

    def freeze(self) -> None:
        self.file.flush()
        if self.offsets[-1]:
            self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        self.starts = np.asarray(self.offsets, dtype=np.int64)
        self.offsets = []

    def __getitem__(self, i: int) -> str:
        if self.map is None:
            return ""
        return self.map[int(self.starts[i]):int(self.starts[i + 1])].decode("utf-8")

    def close(self) -> None:
        if self.map is not None:
            self.map.close()
        self.file.close()


def find_archive_duplicates(records: Iterable[tuple[str, str]], workers: int | None = None,
                            boilerplate_docs: int = 25, max_bucket: int = 200,
                            spill_dir: str | None = None, within: bool = False) -> ArchiveResult:
    """Duplicated passages across ``records`` of (doc id, text).

    ``boilerplate_docs``: a passage found word for word in at least this many documents is
    summarised as boilerplate. ``max_bucket``: an LSH bucket with more distinct passages than
    this is treated as boilerplate-like and not expanded into pairs. ``within``: also report
    passages repeated inside one document (``factcheck check`` always does).
    """
    workers = workers or min(2, os.cpu_count() or 1)
    docs: list[str] = []
    p_doc: list[int] = []
    p_start: list[int] = []
    p_end: list[int] = []
    spill = _Spill(spill_dir)
    count_parts, exact_parts, key_parts = [], [], []

    def batches() -> Iterator[list[str]]:
        batch: list[str] = []
        for doc_id, text in records:
            d = len(docs)
            docs.append(doc_id)
            for s, e in split_passages(text):
                passage = text[s:e]
                spill.add(passage)
                p_doc.append(d)
                p_start.append(s)
                p_end.append(e)
                batch.append(passage)
                if len(batch) >= CHUNK:
                    yield batch
                    batch = []
        if batch:
            yield batch

    try:
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                for counts, exact, keys in pool.map(_band_keys, batches()):
                    count_parts.append(counts)
                    exact_parts.append(exact)
                    key_parts.append(keys)
        else:
            for counts, exact, keys in map(_band_keys, batches()):
                count_parts.append(counts)
                exact_parts.append(exact)
                key_parts.append(keys)
        spill.freeze()
        return _pairs_and_groups(docs, np.asarray(p_doc, dtype=np.int32),
                                 np.asarray(p_start, dtype=np.int64), np.asarray(p_end, dtype=np.int64),
                                 _cat(count_parts, np.int32), _cat(exact_parts, np.uint64),
                                 np.concatenate(key_parts) if key_parts else np.zeros((0, BANDS), np.uint64),
                                 spill, boilerplate_docs, max_bucket, within)
    finally:
        spill.close()


def _cat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _pairs_and_groups(docs, p_doc, p_start, p_end, counts, exact, keys, spill,
                      boilerplate_docs, max_bucket, within) -> ArchiveResult:
    n = len(p_doc)
    eligible = counts >= MIN_WORDS
    result = ArchiveResult(stats={"documents": len(docs), "passages": int(n),
                                  "eligible_passages": int(eligible.sum())})
    # 1. word-identical passages: one representative each
    idx = np.flatnonzero(eligible)
    order = idx[np.argsort(exact[idx], kind="stable")]
    rep = np.arange(n)
    groups_exact: dict[int, list[int]] = {}
    if len(order):
        ex = exact[order]
        cuts = np.flatnonzero(np.diff(ex)) + 1
        for members in np.split(order, cuts):
            if len(members) > 1:
                members = np.sort(members)
                rep[members] = members[0]
                groups_exact[int(members[0])] = [int(m) for m in members]
    boiler: set[int] = set()
    for head, members in groups_exact.items():
        n_docs = len(set(p_doc[members].tolist()))
        if n_docs >= boilerplate_docs:
            boiler.add(head)
            first_docs = list(dict.fromkeys(docs[p_doc[m]] for m in members))
            result.boilerplate.append(Boilerplate(spill[head], n_docs, first_docs[:5]))
    heads = np.flatnonzero(eligible & (rep == np.arange(n)))
    heads = heads[~np.isin(heads, np.fromiter(boiler, dtype=np.int64, count=len(boiler)))]
    # 2. LSH candidates among representatives, band by band
    pair_codes = []
    skipped_buckets = 0
    for b in range(BANDS):
        k = keys[heads, b]
        order = np.argsort(k, kind="stable")
        ks = k[order]
        cuts = np.flatnonzero(np.diff(ks)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [len(ks)]))
        sizes = ends - starts
        for s, e in zip(starts[sizes > 1], ends[sizes > 1], strict=True):
            if e - s > max_bucket:
                skipped_buckets += 1
                continue
            members = np.sort(heads[order[s:e]])
            ii, jj = np.triu_indices(len(members), 1)
            pair_codes.append(members[ii].astype(np.int64) * n + members[jj])
    codes = np.unique(np.concatenate(pair_codes)) if pair_codes else np.zeros(0, np.int64)
    result.stats.update(candidate_pairs=int(len(codes)), oversized_buckets=skipped_buckets,
                        boilerplate_passages=len(boiler))
    # 3. confirm by alignment
    confirmed = 0
    for code in codes.tolist():
        i, j = divmod(code, n)
        if not within and p_doc[i] == p_doc[j] and i not in groups_exact and j not in groups_exact:
            continue
        ta, tb = spill[i], spill[j]
        wa, wb = tokenize(ta, int(p_start[i])), tokenize(tb, int(p_start[j]))
        if min(len(wa.words), len(wb.words)) < MIN_WORDS or not could_match(wa, wb):
            continue
        cmp = compare(wa, wb)
        kind = classify(cmp, len(wa.words), len(wb.words))
        if kind is None:
            continue
        confirmed += 1
        members = groups_exact.get(i, [i]) + groups_exact.get(j, [j])
        passages = _passages(members, docs, p_doc, p_start, p_end, spill)
        # the shared stretch of a glued or truncated copy, not the whole paragraph
        if len(members) == 2 and cmp.coverage > cmp.similarity:
            passages = [_trimmed(passages[0], cmp.shared_a, p_start[i]),
                        _trimmed(passages[1], cmp.shared_b, p_start[j])]
        result.groups.append(DupGroup(kind, cmp.similarity, "paragraph", passages, cmp.differences))
    for head, members in groups_exact.items():
        if head in boiler or (not within and len(set(p_doc[members].tolist())) == 1):
            continue
        result.groups.append(DupGroup("exact", 1.0, "paragraph",
                                      _passages(members, docs, p_doc, p_start, p_end, spill)))
    result.stats["confirmed_pairs"] = confirmed
    result.groups.sort(key=lambda g: (KIND_ORDER[g.kind], g.passages[0].doc or "", g.passages[0].start))
    return result


def _passages(members, docs, p_doc, p_start, p_end, spill) -> list[Passage]:
    return [Passage(int(p_start[m]), int(p_end[m]), spill[m], docs[p_doc[m]]) for m in sorted(members)]


def _trimmed(p: Passage, span: tuple[int, int], base) -> Passage:
    s, e = span
    return Passage(s, e, p.text[s - int(base):e - int(base)], p.doc)
