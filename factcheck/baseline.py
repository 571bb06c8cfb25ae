"""Baselines: the findings an archive already has, keyed by content fingerprint, so a CI check on
old copy reports only what is new.

The file is JSON, one finding a line inside ``findings``, sorted by source, document, code and
fingerprint
so it diffs cleanly in review. Line numbers are recorded for people, never used to match: a
finding matches when its source and content fingerprint are in the file.
"""

from __future__ import annotations

import json
from typing import Any

from . import __version__
from .errors import FactcheckError

SCHEMA = "factcheck.baseline/1"


def baseline_text(docs) -> str:
    """Every finding of ``docs`` (DocumentFindings), suppressed ones aside, as the file's text."""
    rows = sorted(({"source": a.source, "document": a.document, "code": a.code,
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
    try:
        return frozenset((row["source"], row["document"], row["fingerprint"])
                         for row in data["findings"])
    except (KeyError, TypeError):
        raise FactcheckError("E024", path, "a finding without source, document or fingerprint") \
            from None
