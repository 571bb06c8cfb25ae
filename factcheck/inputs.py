"""Reading inputs: files, stdin and records, decoded to text, one :class:`Article` each.

Offsets everywhere in factcheck are character offsets into ``Article.text``: the exact decoded
input (the whole file for .txt/.md/.html; the ``body`` field for JSONL/CSV records).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FactcheckError

DEFAULT_MAX_BYTES = 10_000_000  # one article; archives come as JSONL/CSV records
TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                 ".html": "html", ".htm": "html"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".json"}
BODY_FIELDS = ("body", "text", "content", "article")
CSV_FIELD_LIMIT = 2**31 - 1  # an article body may be far longer than csv's 128 KB default
# JSON may carry half of a surrogate pair ("\ud83d": an emoji cut in two by a scraper); such text
# cannot be written as UTF-8 anywhere downstream. One replacement character for one code point
# keeps every character offset.
SURROGATES_RE = re.compile("[\ud800-\udfff]")


@dataclass
class Article:
    id: str
    source: str
    text: str
    fmt: str = "text"  # text | markdown | html
    title: str | None = None
    date: str | None = None
    date_source: str | None = None  # option | metadata | front-matter | dateline
    encoding: str = "utf-8"
    meta: dict = field(default_factory=dict)
    line: int | None = None  # a record's line in its file (JSONL, CSV)


def decode_bytes(data: bytes, source: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; refuse binary. Returns (text, encoding used)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise FactcheckError("E005", source, f"not valid {encoding}: {exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    head = data[:8192]
    if b"\x00" in head:
        raise FactcheckError("E003", source, "contains NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8. Windows-1252 is by far the commonest other encoding of English copy (curly
    # quotes, en dashes, euro signs as single bytes): take it when it decodes cleanly.
    try:
        text = data.decode("cp1252")
        if not any(ch in text for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f"):
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    # Otherwise let charset-normalizer name it, but only accept a confident text answer.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FactcheckError("E005", source, "not UTF-8 and no text encoding fits")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) * 0.05:
        raise FactcheckError("E003", source, "mostly control bytes")
    return str(best), best.encoding


def _sniff_format(text: str) -> str:
    head = text.lstrip()[:500].lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(p|div|body|article)[\s>]", head):
        return "html"
    if text.startswith("---\n") or text.startswith("---\r\n"):
        return "markdown"
    return "text"


FRONT_MATTER = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """Simple ``key: value`` YAML front matter; returns (fields, end offset)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    fields: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            fields[key.strip().lower()] = value.strip().strip("'\"")
    return fields, m.end()


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(value: str, source: str) -> str:
    import datetime as dt

    value = str(value).strip()[:10]
    try:
        if not DATE_RE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise FactcheckError("E009", source, f"{value!r}") from None
    return value


def _article(text: str, source: str, art_id: str, fmt: str, encoding: str,
             title: str | None = None, meta: dict | None = None) -> Article:
    if not text.strip():
        raise FactcheckError("E002", source)
    art = Article(id=art_id, source=source, text=text, fmt=fmt, title=title, encoding=encoding,
                  meta=meta or {})
    if fmt == "markdown":
        fields, _ = front_matter(text)
        art.title = art.title or fields.get("title")
        if fields.get("date"):
            _set_metadata_date(art, fields["date"], "front-matter")
    return art


def _records(text: str, source: str, suffix: str, encoding: str, first: int = 1,
             line0: int = 0) -> Iterator[Article | FactcheckError]:
    """Records of a JSONL, JSON or CSV text. A shard of a larger file passes where it starts:
    ``first`` is the number of its first line (JSONL) or data row (CSV), ``line0`` the number of
    physical lines before its first data row less the header's (CSV), so ids and line numbers
    are the whole file's."""
    stem = Path(source).stem
    if suffix in (".jsonl", ".ndjson"):
        # split on "\n" only: str.splitlines() also splits on U+2028/U+0085, which JSON
        # writers leave raw inside strings
        for lineno, line in enumerate(text.split("\n"), first):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                yield FactcheckError("E006", source, str(exc).split(":")[0], line=lineno)
                continue
            yield from _record(rec, source, f"{stem}:{lineno}", lineno, encoding)
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            yield FactcheckError("E006", source, str(exc))
            return
        items = data if isinstance(data, list) else [data]
        for i, rec in enumerate(items, 1):
            if not isinstance(rec, dict):
                yield FactcheckError("E006", source, f"item {i} is not an object")
                continue
            yield from _record(rec, source, f"{stem}:{i}", None, encoding)
    else:
        csv.field_size_limit(CSV_FIELD_LIMIT)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or not any(f in reader.fieldnames for f in BODY_FIELDS):
            yield FactcheckError("E008", source, "no body/text column", line=1)
            return
        try:
            for i, rec in enumerate(reader, first):
                yield from _record(rec, source, f"{stem}:{i}", reader.line_num + line0, encoding)
        except csv.Error as exc:
            yield FactcheckError("E008", source, str(exc), line=reader.line_num + line0)


def _record(rec: dict, source: str, default_id: str, lineno: int | None,
            encoding: str) -> Iterator[Article | FactcheckError]:
    rec = {k: SURROGATES_RE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in rec.items()}
    body = next((rec[f] for f in BODY_FIELDS if isinstance(rec.get(f), str)), None)
    if body is None:
        yield FactcheckError("E007", source, line=lineno)
        return
    art_id = str(rec.get("id") or default_id)
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    meta = {k: v for k, v in rec.items() if k not in BODY_FIELDS and isinstance(v, str | int | float)}
    try:
        art = _article(body, source, art_id, _sniff_format(body), encoding, title=title, meta=meta)
    except FactcheckError as exc:
        exc.line = lineno
        yield exc
        return
    art.line = lineno
    if rec.get("date") is not None:
        _set_metadata_date(art, str(rec["date"]), "metadata")
    yield art


def parse_loose_date(value: str) -> str | None:
    """YYYY-MM-DD from the date formats records and front matter use, or None."""
    import datetime as dt

    value = value.strip()
    if DATE_RE.match(value[:10]):
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    try:
        from dateutil import parser as dateparser

        dayfirst = bool(re.match(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", value)) and int(re.split(r"[/.]", value)[0]) > 12
        return dateparser.parse(value, dayfirst=dayfirst or bool(re.match(r"\d{1,2}\.", value))).date().isoformat()
    except (ValueError, OverflowError, ImportError):
        return None


def _set_metadata_date(art: Article, raw: str, how: str) -> None:
    """A date the record or front matter gives; an unreadable one is noted, never fatal."""
    parsed = parse_loose_date(raw)
    if parsed:
        art.date, art.date_source = parsed, how
    else:
        art.meta["date_warning"] = f"unreadable {how} date {raw!r} ignored"


def read_inputs(paths: list[str], encoding: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | FactcheckError]:
    """Yield an Article per input (or per record), or the error that stopped that input."""
    for raw in paths:
        if raw == "-":
            data = sys.stdin.buffer.read()
            yield from _from_bytes(data, "<stdin>", "", encoding, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            for p, art_id in directory_files(path, TEXT_SUFFIXES.keys() | RECORD_SUFFIXES):
                yield from _from_path(p, encoding, max_bytes, art_id)
            continue
        yield from _from_path(path, encoding, max_bytes)


def directory_files(path: Path, suffixes, skip=None) -> Iterator[tuple[Path, str]]:
    """The files under ``path`` with one of ``suffixes``, in sorted order, each with its id: the
    path under the directory without suffix, so a/story.txt and b/story.txt differ. ``skip``:
    a predicate for files to leave out."""
    for p in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes):
        if skip is None or not skip(p):
            yield p, p.relative_to(path).with_suffix("").as_posix()


def _from_path(path: Path, encoding: str | None, max_bytes: int,
               art_id: str | None = None) -> Iterator[Article | FactcheckError]:
    source = str(path)
    if not path.exists():
        yield FactcheckError("E001", source)
        return
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = max_bytes if suffix not in RECORD_SUFFIXES else max(max_bytes, 4_000_000_000)
        if size > limit:
            yield FactcheckError("E004", source, f"{size / 1e6:.1f} MB > {limit / 1e6:.0f} MB")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield FactcheckError("E010", source, exc.strerror or str(exc))
        return
    yield from _from_bytes(data, source, suffix, encoding, max_bytes, art_id)


def _sniff_records(text: str) -> str | None:
    """Standard input that is JSON records: ".json" (one document) or ".jsonl" (one per line)."""
    try:
        data = json.loads(text)
        if isinstance(data, dict | list):
            return ".json"
    except ValueError:
        pass
    first = text.lstrip().split("\n", 1)[0]
    try:
        return ".jsonl" if isinstance(json.loads(first), dict) else None
    except ValueError:
        return None


def _from_bytes(data: bytes, source: str, suffix: str, encoding: str | None,
                max_bytes: int, art_id: str | None = None) -> Iterator[Article | FactcheckError]:
    if not data.strip():
        yield FactcheckError("E002", source)
        return
    try:
        text, used = decode_bytes(data, source, encoding)
    except FactcheckError as exc:
        yield exc
        return
    if suffix in RECORD_SUFFIXES:
        yield from _records(text, source, suffix, used)
        return
    if not suffix and text.lstrip()[:1] in ("{", "["):
        kind = _sniff_records(text)
        if kind:
            yield from _records(text, source, kind, used)
            return
    if len(data) > max_bytes:
        yield FactcheckError("E004", source, f"{len(data) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB")
        return
    fmt = TEXT_SUFFIXES.get(suffix) or _sniff_format(text)
    stem = art_id or (Path(source).stem if source != "<stdin>" else "stdin")
    try:
        yield _article(text, source, stem, fmt, used)
    except FactcheckError as exc:
        yield exc
