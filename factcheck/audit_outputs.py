"""An audit's final outputs, merged from its shard files in plan order.

Written to temporary names in --out and renamed into place once all are complete:

    articles.parquet / .csv   one row an article (or an unreadable record), counts and errors
    claims.parquet / .csv     one row a claim: span, text, frame, value, verdict, official figure
    findings.parquet / .csv   arithmetic that contradicts itself, duplicated passages (within an
                              article and across the archive)
    audit.sqlite              the three tables, indexed, with a ``mismatches`` view
    summary.json              the totals and breakdowns the summary page shows
    summary.html              a standalone page (no scripts, no network): verdicts over time
                              and by outlet, the commonest mismatches, the articles to read first

Memory stays flat: one shard's rows at a time, except the passage hashes of the whole archive
(16 bytes and a few integers a paragraph) used to find exact copies across articles.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from .audit import STATE_DIR, TABLES, WORD_RE, AuditRun, _atomic_write, _schemas, shard_dir
from .errors import FactcheckError

OUTPUT_FILES = [f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")] + [
    "audit.sqlite", "summary.json", "summary.html"]
VERDICTS = ("supported", "mismatch", "unverifiable")
TOP = 20


def _offsets(run: AuditRun) -> list[int]:
    """Each shard's first global article number (``seq``), from the shards' counts (which the
    run collected as they finished, or read back for the shards an earlier run wrote)."""
    articles = {c["shard"]: c["articles"] for c in run.done}
    out, total = [], 0
    for shard in run.plan.shards:
        out.append(total)
        total += articles[shard.index]
    out.append(total)
    return out


def archive_copies(run: AuditRun, offsets: list[int]) -> tuple[dict, dict]:
    """Exact copies of paragraphs across articles, from the shards' passage hashes.

    Returns ({seq: (copied passages, earliest other article's seq or None)}, stats) and the
    findings rows per seq. A paragraph found in ``boilerplate_docs`` articles or more is
    boilerplate (a disclaimer, a sign-off) and is counted, not listed."""
    import numpy as np
    import pyarrow.parquet as pq

    cols: dict[str, list] = defaultdict(list)
    for shard, offset in zip(run.plan.shards, offsets, strict=False):
        t = pq.read_table(shard_dir(run.options.out, shard.index) / "passages.parquet")
        for name in ("seq", "start", "end", "line", "column", "hash"):
            arr = t[name].to_numpy()
            cols[name].append(arr + offset if name == "seq" else arr)
    arrays = {k: (np.concatenate(v) if v else np.zeros(0, dtype=np.int64)) for k, v in cols.items()}
    if not len(arrays.get("hash", ())):
        return {}, {"groups": 0, "copied_passages": 0, "boilerplate_passages": 0}
    h, seq = arrays["hash"], arrays["seq"]
    order = np.lexsort((arrays["start"], seq, h))  # by hash, then article, then position
    h, seq = h[order], seq[order]
    bounds = np.flatnonzero(np.diff(h)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(h)]))
    multi = np.flatnonzero(seq[starts] != seq[ends - 1])  # groups spanning 2+ articles
    copies: dict[int, list] = {}
    shared: Counter = Counter()  # (article, earlier article) -> paragraphs they share
    stats = {"groups": 0, "copied_passages": 0, "boilerplate_passages": 0}
    findings: dict[int, list[dict]] = defaultdict(list)
    for g in multi:
        lo, hi = starts[g], ends[g]
        members = order[lo:hi]
        docs = np.unique(seq[lo:hi])
        if len(docs) >= run.options.boilerplate_docs:
            stats["boilerplate_passages"] += hi - lo
            continue
        stats["groups"] += 1
        first = int(docs[0])
        earlier = [int(d) for d in docs]
        for m in members:
            s = int(arrays["seq"][m])
            entry = copies.setdefault(s, [0, None])
            entry[0] += 1
            if s != first:
                stats["copied_passages"] += 1
                for e in earlier:
                    if e >= s:
                        break
                    shared[(s, e)] += 1
                findings[s].append({"start": int(arrays["start"][m]), "end": int(arrays["end"][m]),
                                    "line": int(arrays["line"][m]),
                                    "column": int(arrays["column"][m]), "of": first,
                                    "copies": len(docs)})
    # an article copies the earlier article it shares the most paragraphs with (ties: the
    # earliest), not merely the first to print one of them: a stock paragraph may be older
    best: dict[int, tuple[int, int]] = {}
    for (s, e), n in shared.items():
        if s not in best or (-n, e) < best[s]:
            best[s] = (-n, e)
    for s, (_, e) in best.items():
        copies[s][1] = e
    stats["copied_passages"] = int(stats["copied_passages"])
    stats["boilerplate_passages"] = int(stats["boilerplate_passages"])
    return {"copies": copies, "findings": findings}, stats


class _Tables:
    """Parquet, CSV and SQLite writers fed one shard at a time, to temporary files."""

    def __init__(self, out: Path):
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        self.out = out
        self.schemas = _schemas()
        self.tmp: dict[str, Path] = {name: out / f".{name}.tmp-{os.getpid()}" for name in OUTPUT_FILES}
        self.parquet = {t: pq.ParquetWriter(self.tmp[f"{t}.parquet"], self.schemas[t])
                        for t in TABLES}
        self.csv = {t: pacsv.CSVWriter(str(self.tmp[f"{t}.csv"]), self.schemas[t]) for t in TABLES}
        if self.tmp["audit.sqlite"].exists():
            self.tmp["audit.sqlite"].unlink()
        self.db = sqlite3.connect(self.tmp["audit.sqlite"])
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        for t in TABLES:
            columns = ", ".join(f'"{f.name}" {_sql_type(f.type)}' for f in self.schemas[t])
            self.db.execute(f"CREATE TABLE {t} ({columns})")
        self.inserts = {t: f"INSERT INTO {t} VALUES ({', '.join('?' * len(self.schemas[t]))})"
                        for t in TABLES}

    def write(self, name: str, table) -> None:
        self.parquet[name].write_table(table)
        self.csv[name].write_table(table)
        self.db.executemany(self.inserts[name], zip(*(c.to_pylist() for c in table.columns),
                                                     strict=True))

    def finish(self, extra: dict[str, str]) -> list[str]:
        for t in TABLES:
            self.parquet[t].close()
            self.csv[t].close()
        self.db.executescript(SQL_INDEXES)
        self.db.commit()
        self.db.close()
        for name, payload in extra.items():
            self.tmp[name].write_text(payload, encoding="utf-8")
        written = []
        for name in OUTPUT_FILES:
            os.replace(self.tmp[name], self.out / name)
            written.append(str(self.out / name))
        return written

    def abort(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass
        for path in self.tmp.values():
            if path.exists():
                path.unlink()


SQL_INDEXES = """
CREATE INDEX claims_article ON claims (seq);
CREATE INDEX claims_verdict ON claims (verdict, code);
CREATE INDEX findings_article ON findings (seq);
CREATE UNIQUE INDEX articles_seq ON articles (seq);
CREATE VIEW mismatches AS
  SELECT a.article_id, a.title, a.date, a.outlet, a.url, c.line, c.text, c.code, c.reason,
         c.official, c.official_unit, c.explanation, c.sources
  FROM claims c JOIN articles a ON a.seq = c.seq
  WHERE c.verdict = 'mismatch' ORDER BY c.seq, c.start;
"""


def _sql_type(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_integer(arrow_type) or pa.types.is_boolean(arrow_type):
        return "INTEGER"
    if pa.types.is_floating(arrow_type):
        return "REAL"
    return "TEXT"


class _Summary:
    """Totals and breakdowns, accumulated shard by shard."""

    def __init__(self):
        self.articles = 0
        self.errors: Counter = Counter()
        self.error_examples: list[dict] = []
        self.verdicts: Counter = Counter()
        self.by_month: dict[str, Counter] = defaultdict(Counter)
        self.by_outlet: dict[str, Counter] = defaultdict(Counter)
        self.codes: Counter = Counter()
        self.findings: Counter = Counter()
        self.top: list[tuple] = []

    def add(self, articles, claims, findings) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        self.articles += articles.num_rows
        for code in articles["error_code"].drop_null().to_pylist():
            self.errors[code] += 1
        if self.errors and len(self.error_examples) < TOP:
            bad = articles.filter(pc.is_valid(articles["error_code"]))
            for row in bad.select(["article_id", "input", "error"]).to_pylist():
                if len(self.error_examples) < TOP:
                    self.error_examples.append(row)
        if claims.num_rows:
            month = pc.fill_null(pc.utf8_slice_codeunits(claims["date"], 0, 7), "undated")
            outlet = pc.fill_null(claims["outlet"], "unknown")
            t = pa.table({"month": month, "outlet": outlet, "verdict": claims["verdict"],
                          "code": claims["code"]})
            for row in t.group_by(["month", "verdict"]).aggregate([("verdict", "count")]).to_pylist():
                self.by_month[row["month"]][row["verdict"]] += row["verdict_count"]
                self.verdicts[row["verdict"]] += row["verdict_count"]
            for row in t.group_by(["outlet", "verdict"]).aggregate([("verdict", "count")]).to_pylist():
                self.by_outlet[row["outlet"]][row["verdict"]] += row["verdict_count"]
            bad = t.filter(pc.equal(t["verdict"], "mismatch"))
            for row in bad.group_by(["code"]).aggregate([("code", "count")]).to_pylist():
                self.codes[row["code"]] += row["code_count"]
        for row in findings.group_by(["code"]).aggregate([("code", "count")]).to_pylist():
            self.findings[row["code"]] += row["code_count"]
        worst = articles.filter(pc.greater(pc.fill_null(articles["mismatch"], 0), 0))
        for row in worst.select(["seq", "article_id", "title", "date", "outlet", "url",
                                 "mismatch", "claims"]).to_pylist():
            self.top.append((-row["mismatch"], row["seq"], row))
            if len(self.top) > 4 * TOP:
                self.top = sorted(self.top, key=lambda x: x[:2])[:TOP]

    def to_dict(self, run: AuditRun, copies_stats: dict) -> dict:
        total_claims = sum(self.verdicts.values())
        return {
            "schema": "factcheck.audit/1",
            "articles": self.articles,
            "articles_with_errors": sum(self.errors.values()),
            "claims": total_claims,
            "verdicts": {v: self.verdicts.get(v, 0) for v in VERDICTS},
            "mismatch_codes": dict(sorted(self.codes.items(), key=lambda x: (-x[1], x[0]))),
            "findings": dict(sorted(self.findings.items())),
            "archive_duplicates": copies_stats,
            "errors": dict(sorted(self.errors.items())),
            "error_examples": self.error_examples,
            "by_month": {m: {v: c.get(v, 0) for v in VERDICTS} for m, c in sorted(self.by_month.items())},
            "by_outlet": {o: {v: c.get(v, 0) for v in VERDICTS}
                          for o, c in sorted(self.by_outlet.items(),
                                             key=lambda x: (-sum(x[1].values()), x[0]))},
            "most_mismatches": [r for _, _, r in sorted(self.top, key=lambda x: x[:2])[:TOP]],
            "shards": len(run.plan.shards),
            "inputs": len(run.plan.inputs),
        }


def near_copies(run: AuditRun, offsets: list[int]) -> tuple[dict[int, list[dict]], dict]:
    """Near copies and copies whose figures differ, across the archive (``--near-dupes``): the
    MinHash LSH and alignment of ``factcheck dupes`` over every article, read back from the
    shards' inputs. Exact copies are left to ``archive_copies``. Cached in the state directory,
    so a rerun after an interrupted merge does not redo it."""

    from .archive_dupes import find_archive_duplicates
    from .inputs import DEFAULT_MAX_BYTES
    from .report import differences_text, line_col_at, newline_offsets
    from .sources import read_shard

    cache = Path(run.options.out) / STATE_DIR / "near_dupes.json"
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        return {int(k): v for k, v in data["findings"].items()}, data["stats"]
    newlines: dict[int, list[int]] = {}

    def records():
        for shard, offset in zip(run.plan.shards, offsets, strict=False):
            items = read_shard(shard, run.options.encoding, run.options.max_bytes or DEFAULT_MAX_BYTES)
            for pos, item in enumerate(items):
                if isinstance(item, FactcheckError):
                    continue
                seq = offset + pos
                newlines[seq] = newline_offsets(item.text)
                yield str(seq), item.text

    result = find_archive_duplicates(records(), boilerplate_docs=run.options.boilerplate_docs)
    findings: dict[int, list[dict]] = defaultdict(list)
    stats = {"near_groups": 0, "inconsistent_groups": 0}
    for g in result.groups:
        if g.kind == "exact":
            continue
        stats[f"{g.kind}_groups"] += 1
        first = g.passages[0]
        first_words = WORD_RE.findall(first.text.lower())
        for p in g.passages[1:]:
            # a group is a pair plus the exact copies of its passages: those are D101, not this
            if p.doc == first.doc or WORD_RE.findall(p.text.lower()) == first_words:
                continue
            seq = int(p.doc)
            line, column = line_col_at(newlines.get(seq, []), p.start)
            findings[seq].append({
                "start": p.start, "end": p.end, "line": line, "column": column,
                "of": int(first.doc),
                "kind": g.kind, "similarity": round(g.similarity, 3),
                "differences": differences_text(g)})
    _atomic_write(cache, json.dumps({"findings": findings, "stats": stats}, sort_keys=True))
    return findings, stats


def write_outputs(run: AuditRun) -> tuple[dict, list[str]]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from .audit_report import render_html

    out = Path(run.options.out)
    offsets = _offsets(run)
    dup, copies_stats = archive_copies(run, offsets)
    copies, dup_findings = dup.get("copies", {}), dict(dup.get("findings", {}))
    if run.options.near_dupes:
        near, near_stats = near_copies(run, offsets)
        copies_stats.update(near_stats)
        for seq, rows in near.items():
            dup_findings[seq] = [*dup_findings.get(seq, ()), *rows]
    # per article: paragraphs copied from (or into) another article, copies with changed
    # figures, and the earliest other article it shares text with
    per_article: dict[int, list] = {s: [c[0], 0, c[1]] for s, c in copies.items()}
    if run.options.near_dupes:
        for seq, rows in near.items():
            entry = per_article.setdefault(seq, [0, 0, None])
            for f in rows:
                entry[0] += 1
                entry[1] += f["kind"] == "inconsistent"
                if entry[2] is None or f["of"] < entry[2]:
                    entry[2] = f["of"]
    tables = _Tables(out)
    summary = _Summary()
    ids: dict[int, str] = {}
    try:
        for shard, offset in zip(run.plan.shards, offsets, strict=False):
            d = shard_dir(run.options.out, shard.index)
            parts = {t: pq.read_table(d / f"{t}.parquet") for t in TABLES}
            parts = {t: tab.set_column(0, "seq", pc.add(tab["seq"], offset))
                     for t, tab in parts.items()}
            arts = parts["articles"]
            seqs = arts["seq"].to_pylist()
            for s, art_id in zip(seqs, arts["article_id"].to_pylist(), strict=True):
                ids[s] = art_id
            if per_article:
                ok = [e is None for e in arts["error_code"].to_pylist()]
                entries = [per_article.get(s, [0, 0, None]) for s in seqs]
                for name, values, kind in (
                        ("duplicates_archive", [e[0] if k else None for e, k in zip(entries, ok, strict=True)], pa.int64()),
                        ("changed_copies", [e[1] if k else None for e, k in zip(entries, ok, strict=True)], pa.int64()),
                        ("copy_of", [ids.get(e[2]) if e[2] is not None and e[2] < s else None
                                     for e, s in zip(entries, seqs, strict=True)], pa.string())):
                    arts = arts.set_column(arts.schema.get_field_index(name), name,
                                           pa.array(values, kind))
            findings = parts["findings"]
            extra = [_copy_finding(s, ids[s], f, ids) for s in seqs for f in dup_findings.get(s, ())]
            if extra:
                findings = pa.concat_tables([findings, pa.Table.from_pylist(extra, findings.schema)])
                findings = findings.sort_by([("seq", "ascending"), ("start", "ascending"),
                                             ("code", "ascending")])
            tables.write("articles", arts)
            tables.write("claims", parts["claims"])
            tables.write("findings", findings)
            summary.add(arts, parts["claims"], findings)
        result = summary.to_dict(run, copies_stats)
        written = tables.finish({"summary.json": json.dumps(result, indent=2, ensure_ascii=False)
                                 + "\n", "summary.html": render_html(result)})
    except BaseException:
        tables.abort()
        raise
    return result, written


def _copy_finding(seq: int, art_id: str, f: dict, ids: dict[int, str]) -> dict:
    other = ids[f["of"]]
    kind = f.get("kind", "exact")
    if kind == "exact":
        code, message = "D101", f"paragraph repeats article {other!r} ({f['copies']} articles carry it)"
    else:
        code = "D201" if kind == "inconsistent" else "D102"
        message = (f"paragraph is a {'copy with changed figures' if kind == 'inconsistent' else 'near copy'}"
                   f" of article {other!r} (similarity {f['similarity']:.2f})" + f["differences"])
    return {"seq": seq, "article_id": art_id, "code": code, "kind": f"archive-{kind}-duplicate"
            if kind != "exact" else "archive-duplicate", "start": f["start"], "end": f["end"],
            "line": f["line"], "column": f["column"], "message": message}
