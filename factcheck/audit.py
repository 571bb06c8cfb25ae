"""Archive audits: every article, every claim, in tables a data desk can query.

The work is split into shards (``sources.plan_shards``). ``run_shard`` is the one per-shard
function every engine calls: it reads the shard's records, checks each article with a Checker
loaded once per process, and writes the shard's rows as Parquet files into a temporary directory
that is renamed into place, so a shard is either wholly written or absent. A rerun skips the
shards already written, which makes an audit safe to kill at any moment. ``merge`` then streams
the shards, in plan order, into the final tables (Parquet, CSV, SQLite), written to temporary
names and renamed: the outputs depend only on the inputs, never on the worker count or on how
many times the audit was interrupted.

Offsets (``start``, ``end``) are character offsets into the article's exact text (the record's
body field, or the whole file for text, Markdown and HTML files), as everywhere in factcheck.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .errors import FactcheckError
from .reference import reference_fingerprint
from .sources import STATE_DIR, Plan, Shard, plan_shards, read_shard

MANIFEST_SCHEMA = "factcheck.audit-manifest/1"
TABLES = ("articles", "claims", "findings")
OUTLET_FIELDS = ("outlet", "publication", "publisher", "source", "site")
PASSAGE_MIN_WORDS = 8  # shorter lines ("Reuters", "Read more") repeat without being copies
WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class AuditOptions:
    """Everything that decides an audit's rows (the manifest records it; a rerun must match)."""

    out: str
    reference: tuple[str, ...] = ()
    model: str = "auto"
    encoding: str | None = None
    max_bytes: int | None = None
    shard_size: int = 250
    boilerplate_docs: int = 25
    near_dupes: bool = False  # also near copies and copies with changed figures (MinHash stage)

    def content_key(self) -> dict:
        d = asdict(self)
        d.pop("out")
        return d


# ---------------------------------------------------------------------------------------------
# table schemas


def _schemas():
    import pyarrow as pa

    s, i, f, b = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    return {
        "articles": pa.schema([
            ("seq", i), ("article_id", s), ("input", s), ("record_line", i), ("title", s),
            ("date", s), ("date_source", s), ("outlet", s), ("url", s), ("characters", i),
            ("words", i), ("claims", i), ("supported", i), ("mismatch", i), ("unverifiable", i),
            ("inconsistent", i), ("duplicates_within", i), ("duplicates_archive", i),
            ("changed_copies", i), ("copy_of", s), ("error_code", s), ("error", s)]),
        "claims": pa.schema([
            ("seq", i), ("article_id", s), ("claim", i), ("start", i), ("end", i), ("line", i),
            ("column", i), ("text", s), ("kind", s), ("value", f), ("value_high", f),
            ("value_text", s), ("unit", s), ("direction", s), ("hedge", s), ("series", s),
            ("commodity", s), ("flow", s), ("reporter", s), ("partner", s), ("period", s),
            ("basis", s), ("verdict", s), ("code", s), ("reason", s), ("official", f),
            ("official_low", f), ("official_high", f), ("official_unit", s),
            ("official_formula", s), ("official_stated", b), ("explanation", s), ("sources", s),
            ("date", s), ("outlet", s)]),
        "findings": pa.schema([
            ("seq", i), ("article_id", s), ("code", s), ("kind", s), ("start", i), ("end", i),
            ("line", i), ("column", i), ("message", s)]),
        "passages": pa.schema([("seq", i), ("start", i), ("end", i), ("line", i),
                               ("column", i), ("hash", i)]),
    }


# ---------------------------------------------------------------------------------------------
# one shard: records -> rows -> shard files (this is what every engine runs)

_CHECKERS: dict[tuple, tuple] = {}  # per process: (reference, model) -> (Checker, runner)


def _checker(options: AuditOptions):
    key = (options.reference, options.model)
    if key not in _CHECKERS:
        from .check import Checker
        from .cli import make_runner

        checker = Checker(options.reference)
        _CHECKERS[key] = (checker, make_runner(options.model))
    return _CHECKERS[key]


def shard_dir(out: str, index: int) -> Path:
    return Path(out) / STATE_DIR / "shards" / f"{index:06d}"


def run_shard(shard: Shard | dict, options: AuditOptions | dict) -> dict:
    """Check every record of one shard and write its rows atomically; returns its counts.

    Plain data in and out (a Dask worker on another machine runs this same function). A shard
    already written is not redone: its counts are read back."""
    if isinstance(shard, dict):
        shard = Shard(**{**shard, "files": tuple(tuple(x) for x in shard.get("files", ()))})
    if isinstance(options, dict):
        options = AuditOptions(**{**options, "reference": tuple(options.get("reference", ()))})
    final = shard_dir(options.out, shard.index)
    if (final / "done.json").exists():
        return {**json.loads((final / "done.json").read_text()), "skipped": True}
    t0 = time.perf_counter()
    rows: dict[str, list[dict]] = {"articles": [], "claims": [], "findings": [], "passages": []}
    from .inputs import DEFAULT_MAX_BYTES

    checker, runner = _checker(options)
    try:
        for pos, item in enumerate(read_shard(shard, options.encoding,
                                              options.max_bytes or DEFAULT_MAX_BYTES)):
            audit_item(item, pos, checker, runner, rows)
    except OSError as exc:  # an input changed or vanished under a running audit
        raise FactcheckError("E010", shard.source or "an input", exc.strerror or str(exc)) from None
    counts = _counts(shard.index, rows)
    try:
        _write_shard(final, rows, counts)
    except OSError as exc:
        raise FactcheckError("E013", str(final.parent), exc.strerror or str(exc)) from None
    return {**counts, "seconds": round(time.perf_counter() - t0, 3), "skipped": False}


def _counts(index: int, rows: dict[str, list[dict]]) -> dict:
    arts = rows["articles"]
    return {"shard": index, "articles": len(arts),
            "errors": sum(1 for a in arts if a["error_code"]),
            "claims": len(rows["claims"]),
            **{k: sum(a[k] or 0 for a in arts) for k in ("supported", "mismatch", "unverifiable",
                                                          "inconsistent", "duplicates_within")}}


def _write_shard(final: Path, rows: dict[str, list[dict]], counts: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = _schemas()
    tmp = final.with_name(f"{final.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for name, schema in schemas.items():
        table = pa.Table.from_pylist(rows[name], schema=schema)
        pq.write_table(table, tmp / f"{name}.parquet")
    (tmp / "done.json").write_text(json.dumps(counts, sort_keys=True))
    try:
        os.rename(tmp, final)  # atomic: the shard is there whole, or not at all
    except OSError:
        # another process (an orphaned worker of a killed run) finished it first; the rows are
        # the same, keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
        if not (final / "done.json").exists():
            raise


def audit_item(item, pos: int, checker, runner, rows: dict[str, list[dict]]) -> None:
    """One record's rows. An unreadable record or an article that fails to check is recorded
    with its error and the audit goes on."""
    if isinstance(item, FactcheckError):
        rows["articles"].append(_error_row(pos, item, _error_id(item)))
        return
    mine: dict[str, list[dict]] = {name: [] for name in rows}
    try:
        checked = checker.check(item, None, runner=runner)
        _article_rows(pos, item, checked, mine)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop an archive
        err = FactcheckError("E018", item.source, f"{type(exc).__name__}: {exc}"[:300],
                             line=item.line)
        rows["articles"].append(_error_row(pos, err, item.id, item))
        return
    for name, new in mine.items():
        rows[name].extend(new)


def _error_id(err: FactcheckError) -> str:
    stem = Path(err.source).stem
    return f"{stem}:{err.line}" if err.line else stem


def _error_row(pos: int, err: FactcheckError, art_id: str, article=None) -> dict:
    meta = article.meta if article is not None else {}
    return {"seq": pos, "article_id": art_id, "input": err.source, "record_line": err.line,
            "title": article.title if article is not None else None,
            "date": article.date if article is not None else None,
            "date_source": article.date_source if article is not None else None,
            "outlet": _outlet(meta), "url": _url(meta),
            "characters": len(article.text) if article is not None else None,
            "words": None, "claims": None, "supported": None, "mismatch": None,
            "unverifiable": None, "inconsistent": None, "duplicates_within": None,
            "duplicates_archive": None, "changed_copies": None, "copy_of": None,
            "error_code": err.code, "error": str(err)}


def _outlet(meta: dict) -> str | None:
    for key in OUTLET_FIELDS:
        if isinstance(meta.get(key), str) and meta[key].strip():
            return meta[key].strip()
    url = _url(meta)
    return urlsplit(url).hostname if url else None


def _url(meta: dict) -> str | None:
    url = meta.get("url") or meta.get("link")
    return url if isinstance(url, str) and url else None


def _float(value) -> float | None:
    return None if value is None else float(value)


def _article_rows(pos: int, article, checked, rows: dict[str, list[dict]]) -> None:
    from functools import partial

    from .report import differences_text, duplicate_code, line_col_at, newline_offsets

    r = checked.result
    text = article.text
    line_col = partial(line_col_at, newline_offsets(text))

    outlet = _outlet(article.meta)
    counts = checked.counts()
    for n, (c, v) in enumerate(zip(checked.claims, checked.verdicts, strict=True)):
        line, col = line_col(c.start)
        lo, hi = (c.value if isinstance(c.value, tuple) else (c.value, None))
        o = v.official
        fr = c.frame
        sources: list[str] = []
        if o:
            for fig in o.figures:
                cite = fig.source + (f" <{fig.source_url}>" if fig.source_url else "")
                if not fig.stated:
                    cite += " (derived)"
                if cite not in sources:
                    sources.append(cite)
        rows["claims"].append({
            "seq": pos, "article_id": r.id, "claim": n, "start": c.start, "end": c.end,
            "line": line, "column": col, "text": c.text, "kind": c.kind, "value": _float(lo),
            "value_high": _float(hi),
            "value_text": (None if lo is None else format(lo, "f") if hi is None
                           else f"{format(lo, 'f')}..{format(hi, 'f')}"),
            "unit": c.unit, "direction": c.direction, "hedge": c.hedge, "series": fr.series,
            "commodity": fr.commodity, "flow": fr.flow, "reporter": fr.reporter,
            "partner": fr.partner, "period": fr.period, "basis": fr.basis,
            "verdict": v.verdict, "code": v.code, "reason": v.reason,
            "official": _float(o.value) if o else None, "official_low": _float(o.low) if o else None,
            "official_high": _float(o.high) if o else None, "official_unit": o.unit if o else None,
            "official_formula": o.formula if o else None,
            "official_stated": (not o.derived and not o.computed) if o else None,
            "explanation": v.explanation, "sources": "; ".join(sources) or None,
            "date": r.date, "outlet": outlet})
    for f in checked.inconsistent:
        last = checked.claims[f.claims[-1]]
        line, col = line_col(last.start)
        rows["findings"].append({"seq": pos, "article_id": r.id, "code": f.code,
                                 "kind": "inconsistent", "start": last.start, "end": last.end,
                                 "line": line, "column": col,
                                 "message": " ".join(f.arithmetic.split())})
    for g in checked.duplicates:
        first = g.passages[0]
        fl, fc = line_col(first.start)
        for p in g.passages[1:]:
            line, col = line_col(p.start)
            rows["findings"].append({
                "seq": pos, "article_id": r.id, "code": duplicate_code(g),
                "kind": f"{g.kind}-duplicate", "start": p.start, "end": p.end, "line": line,
                "column": col, "message": f"{g.level} repeats line {fl}:{fc} of this article "
                f"(similarity {g.similarity:.2f})" + differences_text(g)})
    words = 0
    for s, e, hashed, n in _passage_hashes(text):
        words += n
        if hashed is not None:
            line, col = line_col(s)
            rows["passages"].append({"seq": pos, "start": s, "end": e, "line": line,
                                     "column": col, "hash": hashed})
    rows["articles"].append({
        "seq": pos, "article_id": r.id, "input": article.source,
        "record_line": article.line, "title": r.title, "date": r.date,
        "date_source": r.date_source, "outlet": outlet, "url": _url(article.meta),
        "characters": len(text), "words": words, "claims": len(checked.claims),
        "supported": counts["supported"], "mismatch": counts["mismatch"],
        "unverifiable": counts["unverifiable"], "inconsistent": len(checked.inconsistent),
        "duplicates_within": sum(len(g.passages) - 1 for g in checked.duplicates),
        "duplicates_archive": 0, "changed_copies": 0, "copy_of": None, "error_code": None,
        "error": None})


def _passage_hashes(text: str) -> Iterator[tuple[int, int, int | None, int]]:
    """(start, end, hash or None, words) per paragraph line: the words lower-cased, punctuation
    and spacing ignored (an exact copy in the sense of D101); short lines are not hashed."""
    from .archive_dupes import split_passages

    for s, e in split_passages(text):
        words = WORD_RE.findall(text[s:e].lower())
        hashed = None
        if len(words) >= PASSAGE_MIN_WORDS:
            digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
            hashed = int.from_bytes(digest, "little", signed=True)
        yield s, e, hashed, len(words)


# ---------------------------------------------------------------------------------------------
# the driver: plan, manifest, engine, merge


@dataclass
class AuditRun:
    plan: Plan
    options: AuditOptions
    done: list[dict] = field(default_factory=list)  # shard counts, in completion order
    summary: dict = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0


def prepare(paths: list[str], options: AuditOptions, restart: bool = False) -> AuditRun:
    """Plan the shards and claim --out: a new audit writes its manifest; a rerun of the same
    audit resumes; a different audit in the same directory is refused (E017)."""
    from dataclasses import replace

    options = replace(options, out=os.path.abspath(options.out))  # workers may run elsewhere
    # the manifest names the pipeline actually used ('auto' resolved): installing one between an
    # interrupted run and its rerun must not mix two extractors in one claims table
    from .cli import resolve_model

    options = replace(options, model=resolve_model(options.model))
    out = Path(options.out)
    if out.exists() and not out.is_dir():
        raise FactcheckError("E013", str(out), "--out must be a directory")
    plan = plan_shards(paths, options.shard_size, exclude=out.resolve())
    if not plan.records:
        raise FactcheckError("E002", ", ".join(paths)[:200], "no records or articles to audit")
    manifest = {"schema": MANIFEST_SCHEMA, "factcheck": __version__,
                "options": options.content_key(), "inputs": plan.inputs,
                "reference": reference_fingerprint(options.reference),
                "shards": len(plan.shards), "records": plan.records}
    manifest = json.loads(json.dumps(manifest))  # tuples as lists: as a reread one compares
    state = out / STATE_DIR
    path = state / "manifest.json"
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            old = None
        if old != manifest:
            if not restart:
                raise FactcheckError("E017", str(out), _manifest_difference(old, manifest))
            shutil.rmtree(state)
    try:
        (state / "shards").mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _atomic_write(path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise FactcheckError("E013", str(out), exc.strerror or str(exc)) from None
    for leftover in (state / "shards").glob("*.tmp-*"):  # a killed run's half-written shard
        shutil.rmtree(leftover, ignore_errors=True)
    for name in ("articles", "claims", "findings", "audit", "summary"):
        for leftover in out.glob(f".{name}.*.tmp-*"):  # a killed merge's temporary tables
            leftover.unlink(missing_ok=True)
    return AuditRun(plan, options)


def _manifest_difference(old: dict | None, new: dict) -> str:
    if not old:
        return "its manifest is unreadable"
    for key in ("factcheck", "options", "reference", "inputs"):
        if old.get(key) != new.get(key):
            return f"{key} changed"
    return "the shard plan changed"


def _atomic_write(path: Path, payload: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(payload, encoding="utf-8")
    os.replace(tmp, path)


def pending_shards(run: AuditRun) -> tuple[list[Shard], list[dict]]:
    """Shards still to do, and the counts of those already written."""
    todo, finished = [], []
    for shard in run.plan.shards:
        done = shard_dir(run.options.out, shard.index) / "done.json"
        if done.exists():
            finished.append({**json.loads(done.read_text()), "skipped": True})
        else:
            todo.append(shard)
    return todo, finished


def run_engine(run: AuditRun, shards: list[Shard], engine: str = "local",
               workers: int | None = None, scheduler: str | None = None,
               on_done: Callable[[dict], None] | None = None) -> None:
    """Run ``run_shard`` over ``shards`` on the chosen engine; ``on_done`` sees each shard's
    counts as it finishes (in completion order; the outputs are ordered later, by plan)."""
    from .engines import run_dask, run_local

    callback = on_done or (lambda counts: None)

    def record(counts: dict) -> None:
        run.done.append(counts)
        callback(counts)

    if engine == "dask":
        run_dask(shards, run.options, workers, scheduler, record)
    else:
        run_local(shards, run.options, workers, record)


def merge(run: AuditRun) -> dict:
    """Stream every shard, in plan order, into the final tables; returns the summary."""
    from .audit_outputs import write_outputs

    summary, outputs = write_outputs(run)
    run.summary, run.outputs = summary, outputs
    return summary


def audit(paths: list[str], options: AuditOptions, engine: str = "local",
          workers: int | None = None, scheduler: str | None = None, restart: bool = False,
          on_done: Callable[[dict], None] | None = None) -> AuditRun:
    """The whole audit, for library use: plan, run what is left, merge."""
    t0 = time.perf_counter()
    run = prepare(paths, options, restart)
    todo, finished = pending_shards(run)
    run.done.extend(finished)
    run_engine(run, todo, engine, workers, scheduler, on_done)
    merge(run)
    run.seconds = time.perf_counter() - t0
    return run
