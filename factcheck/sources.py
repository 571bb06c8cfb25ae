"""Archive inputs split into shards: small, self-describing units of work.

``plan_shards`` turns the paths a user gives (files, directories, globs; text, Markdown, HTML,
JSONL, CSV, JSON or Parquet) into a list of :class:`Shard` without reading article text: JSONL
and CSV files are scanned for record boundaries (byte offsets), Parquet files by their row
counts. ``read_shard`` reads one shard's records back into Articles (or the error that stopped
a record). A shard is plain data, so a worker process or a Dask worker on another machine reads
its own records from shared storage; the plan depends only on the inputs and the shard size,
never on how many workers run it.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import FactcheckError
from .inputs import (
    CSV_FIELD_LIMIT,
    DEFAULT_MAX_BYTES,
    RECORD_SUFFIXES,
    TEXT_SUFFIXES,
    Article,
    _from_path,
    _record,
    _records,
    decode_bytes,
    directory_files,
    read_inputs,
)

PARQUET_SUFFIXES = {".parquet", ".pq"}
STATE_DIR = ".factcheck-audit"  # an audit's manifest and shards, inside its --out
GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Shard:
    """One unit of work. Offsets are bytes for JSONL/CSV, rows for Parquet; a file read whole
    (JSON, UTF-16) is one shard."""

    index: int
    kind: str  # files | jsonl | csv | parquet | whole
    source: str = ""
    start: int = 0
    stop: int = 0
    first: int = 1  # the number of the first line (JSONL) or data row (CSV, Parquet)
    line0: int = 0  # CSV: physical lines before the first data row, less the header's
    header: int = 0  # CSV: the header's length in bytes
    files: tuple[tuple[str, str | None], ...] = field(default_factory=tuple)  # (path, id)
    records: int = 0  # how many records the plan counted

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Plan:
    shards: list[Shard]
    inputs: list[dict]  # each file: path, bytes, mtime_ns (a rerun must see the same files)

    @property
    def records(self) -> int:
        return sum(s.records for s in self.shards)


def expand_paths(paths: list[str], exclude: Path | None = None) -> list[tuple[Path, str | None]]:
    """Files in order: each path as given, directories walked in sorted order (ids from the path
    under the directory, as ``check`` gives them), globs expanded and sorted. A path that does
    not exist, or a glob that matches nothing, stops the audit before it starts (E001)."""
    out: list[tuple[Path, str | None]] = []
    known = TEXT_SUFFIXES.keys() | RECORD_SUFFIXES | PARQUET_SUFFIXES

    def ours(p: Path) -> bool:
        """The audit's own outputs and state, when --out lies inside an input directory."""
        return STATE_DIR in p.parts or bool(exclude and p.resolve().is_relative_to(exclude))

    for raw in paths:
        if raw == "-":
            raise FactcheckError("E019", "-", "an audit reads files, not standard input")
        path = Path(raw)
        if not path.exists() and GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise FactcheckError("E001", raw, "no file matches this pattern")
            out.extend((Path(m), None) for m in matches if Path(m).is_file() and not ours(Path(m)))
            continue
        if path.is_dir():
            out.extend(directory_files(path, known, skip=ours))
            continue
        if not path.exists():
            raise FactcheckError("E001", raw)
        out.append((path, None))
    return out


def plan_shards(paths: list[str], shard_size: int = 250, exclude: Path | None = None) -> Plan:
    """The shards of an audit, in input order, each of at most ``shard_size`` records."""
    shards: list[Shard] = []
    inputs: list[dict] = []
    loose: list[tuple[str, str | None]] = []  # text files waiting to fill a shard

    def add(**kw) -> None:
        shards.append(Shard(index=len(shards), **kw))

    def flush_loose() -> None:
        for i in range(0, len(loose), shard_size):
            chunk = tuple(loose[i:i + shard_size])
            add(kind="files", files=chunk, records=len(chunk))
        loose.clear()

    for path, art_id in expand_paths(paths, exclude):
        try:
            st = path.stat()
        except OSError as exc:
            raise FactcheckError("E010", str(path), exc.strerror or str(exc)) from None
        inputs.append({"path": str(path.resolve()), "bytes": st.st_size, "mtime_ns": st.st_mtime_ns})
        suffix = path.suffix.lower()
        kind = _record_kind(path, suffix)
        if kind is None:
            loose.append((str(path.resolve()), art_id))
            continue
        flush_loose()
        source = str(path.resolve())
        if kind == "jsonl":
            for start, stop, first, count in _jsonl_chunks(path, shard_size):
                add(kind="jsonl", source=source, start=start, stop=stop, first=first, records=count)
        elif kind == "csv":
            header, chunks = _csv_chunks(path, shard_size)
            for start, stop, first, line0, count in chunks:
                add(kind="csv", source=source, start=start, stop=stop, first=first, line0=line0,
                    header=header, records=count)
        elif kind == "parquet":
            rows = _parquet_rows(path)
            for start in range(0, rows, shard_size):
                stop = min(rows, start + shard_size)
                add(kind="parquet", source=source, start=start, stop=stop, first=start + 1,
                    records=stop - start)
        else:  # a JSON document, UTF-16, \r-only lines: parsed whole, so one shard (parsing
            # it once per shard would be quadratic); JSONL is the format for large archives
            count = sum(1 for _ in read_inputs([source], max_bytes=DEFAULT_MAX_BYTES))
            add(kind="whole", source=source, start=0, stop=max(count, 1), records=max(count, 1))
    flush_loose()
    return Plan(shards, inputs)


def _record_kind(path: Path, suffix: str) -> str | None:
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix not in RECORD_SUFFIXES:
        return None
    if suffix == ".json":
        return "whole"
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "whole"  # UTF-16 cannot be cut at newline bytes
    if b"\r" in head and b"\n" not in head:
        return "whole"  # classic-Mac line ends: lines are not cut at \n
    return "csv" if suffix == ".csv" else "jsonl"


def _jsonl_chunks(path: Path, size: int) -> Iterator[tuple[int, int, int, int]]:
    """(start byte, stop byte, first line number, records) for each run of ``size`` records.
    Blank lines are not records but keep their line numbers (ids are ``stem:line``)."""
    start, pos, first, count, lineno = 0, 0, 1, 0, 0
    with open(path, "rb") as fh:
        for line in fh:
            lineno += 1
            if count == size and line.strip():
                yield start, pos, first, count
                start, first, count = pos, lineno, 0
            pos += len(line)
            if line.strip():
                count += 1
    if count:
        yield start, pos, first, count


class _ByteLines:
    """Binary lines handed to the csv module as latin-1 text (byte-transparent; quotes, commas
    and newlines are ASCII in UTF-8 too), counting the bytes handed out: after each row, the
    count is the byte offset where the next record starts."""

    def __init__(self, fh):
        self.fh, self.pos = fh, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.fh.readline()
        if not line:
            raise StopIteration
        self.pos += len(line)
        return line.decode("latin-1")


def _csv_chunks(path: Path, size: int) -> tuple[int, list[tuple[int, int, int, int, int]]]:
    """The header's length and (start, stop, first row, line0, records) per run of ``size``
    records. Record boundaries come from the csv module itself (as ``read_inputs`` parses), so
    quoted newlines and stray quotes in unquoted fields are read the same way."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    chunks: list[tuple[int, int, int, int, int]] = []
    header_end = header_lines = start = lines_before = count = prev_pos = 0
    first = 1
    with open(path, "rb") as fh:
        lines = _ByteLines(fh)
        reader = csv.reader(lines)
        try:
            header = next(reader, None)
            if header is None:
                return 0, []
            header_end, header_lines = lines.pos, reader.line_num
            start, lines_before, first, count = header_end, header_lines, 1, 0
            prev_pos, prev_line = header_end, header_lines
            for row in reader:
                if row and count == size:
                    chunks.append((start, prev_pos, first, lines_before - header_lines, count))
                    start, lines_before = prev_pos, prev_line
                    first += count
                    count = 0
                if row:  # csv.DictReader skips empty rows: they are not records
                    count += 1
                prev_pos, prev_line = lines.pos, reader.line_num
        except csv.Error:
            # unparseable from here on: the rest is one shard, whose reader reports the error
            count += 1
            prev_pos = path.stat().st_size
    if count:
        chunks.append((start, prev_pos, first, lines_before - header_lines, count))
    return header_end, chunks


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise FactcheckError("E020", str(path), str(exc).split("\n")[0][:160]) from None


def read_shard(shard: Shard, encoding: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | FactcheckError]:
    """Each record of the shard, in order: an Article or the error that stopped it."""
    if shard.kind == "files":
        for path, art_id in shard.files:
            yield from _from_path(Path(path), encoding, max_bytes, art_id)
        return
    if shard.kind == "whole":  # always the file's only shard
        yield from read_inputs([shard.source], encoding, max_bytes)
        return
    if shard.kind == "parquet":
        yield from _parquet_records(shard)
        return
    with open(shard.source, "rb") as fh:
        header = fh.read(shard.header) if shard.kind == "csv" else b""
        fh.seek(shard.start)
        data = fh.read(shard.stop - shard.start)
    if shard.start == 0 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if shard.kind == "jsonl":
        # each line decoded on its own: one bad line is one bad record, not a bad shard
        for lineno, line in enumerate(data.split(b"\n"), shard.first):
            if not line.strip():
                continue
            try:
                text, used = decode_bytes(line, shard.source, encoding)
            except FactcheckError as exc:
                exc.line = lineno
                yield exc
                continue
            yield from _records(text, shard.source, ".jsonl", used, first=lineno)
        return
    header = header[3:] if header.startswith(b"\xef\xbb\xbf") else header
    try:
        text, used = decode_bytes(header + data, shard.source, encoding)
    except FactcheckError as exc:
        exc.line = shard.line0 + 2
        yield exc
        return
    yield from _records(text, shard.source, ".csv", used, first=shard.first, line0=shard.line0)


def _parquet_records(shard: Shard) -> Iterator[Article | FactcheckError]:
    import pyarrow.parquet as pq

    stem = Path(shard.source).stem
    pf = pq.ParquetFile(shard.source)
    row = 0
    for group in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(group).num_rows
        lo, hi = max(shard.start, row), min(shard.stop, row + n)
        if lo < hi:
            table = pf.read_row_group(group).slice(lo - row, hi - lo)
            for i, rec in enumerate(table.to_pylist(), lo + 1):
                rec = {k: _plain(v) for k, v in rec.items()}
                yield from _record(rec, shard.source, f"{stem}:{i}", None, "utf-8")
        row += n
        if row >= shard.stop:
            break


def _plain(value):
    """Parquet dates and timestamps as ISO text, the way JSONL and CSV records carry them."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
