"""Baselines: the findings an archive already has, keyed by content fingerprint, so a CI check on
old copy reports only what is new. Sources are stored relative to the baseline file and matched
as absolute paths, so it works from any working directory.

The file is JSON, one finding a line inside ``findings``, sorted by source, document, code and
fingerprint
so it diffs cleanly in review. Line numbers are recorded for people, never used to match: a
finding matches when its source, document and content fingerprint are in the file.
"""

from __future__ import annotations

import json
import os
from typing import Any

from . import __version__
from .errors import FactcheckError

SCHEMA = "factcheck.baseline/1"


def _is_path(source: str) -> bool:
    return source not in ("-", "<stdin>", "request")


def stored_source(source: str, base_dir: str) -> str:
    """A source as the baseline stores it: relative to the baseline file's folder, '/'-separated,
    so the file works from any working directory and on any machine with the same tree."""
    if not _is_path(source):
        return source
    return os.path.relpath(os.path.abspath(source), base_dir).replace(os.sep, "/")


def match_source(source: str) -> str:
    """A finding's source as baselines are matched: its absolute path."""
    return os.path.abspath(source) if _is_path(source) else source


def baseline_text(docs, base_dir: str = ".") -> str:
    """Every finding of ``docs`` (DocumentFindings), suppressed ones aside, as the file's text;
    sources relative to ``base_dir`` (the folder the file is written to)."""
    base_dir = os.path.abspath(base_dir)
    rows = sorted(({"source": stored_source(a.source, base_dir), "document": a.document,
                    "code": a.code,
                    "fingerprint": a.fingerprint, "line": a.line, "text": a.text[:120]}
                   for d in docs for a in d.alerts),
                  key=lambda r: (r["source"], r["document"], r["code"], r["fingerprint"]))
    lines = ",\n".join("    " + json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
    head = {"schema": SCHEMA, "generator": {"name": "factcheck", "version": __version__},
            "matching": "a finding is known when its source, document and fingerprint are "
                        "listed; lines are for people"}
    body = json.dumps(head, ensure_ascii=False, indent=2)[:-2]
    return body + ',\n  "findings": [\n' + lines + ("\n" if rows else "") + "  ]\n}\n"


def read_baseline(path: str) -> frozenset[tuple[str, str, str]]:
    """(source, document, fingerprint) of each finding in a baseline file; E024 when it cannot
    be read. The document is the record id, so records of one JSONL file are kept apart."""
    try:
        with open(path, encoding="utf-8") as fh:
            data: Any = json.load(fh)
    except FileNotFoundError:
        raise FactcheckError("E024", path, "no such file") from None
    except OSError as exc:
        raise FactcheckError("E024", path, exc.strerror or str(exc)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FactcheckError("E024", path, f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or \
            not isinstance(data.get("findings"), list):
        raise FactcheckError("E024", path, f"not a {SCHEMA} file")
    base_dir = os.path.dirname(os.path.abspath(path))
    try:
        return frozenset((match_source(os.path.join(base_dir, row["source"]))
                          if _is_path(row["source"]) else row["source"],
                          row["document"], row["fingerprint"]) for row in data["findings"])
    except (KeyError, TypeError):
        raise FactcheckError("E024", path, "a finding without source, document or fingerprint") \
            from None
