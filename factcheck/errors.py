"""Coded errors. Every user-facing failure is one line: ``CODE file[:line]: problem; fix``."""

from __future__ import annotations

from dataclasses import dataclass

# code -> (short name, what to do). Kept in one table so docs/errors.md and tests can list them.
ERRORS: dict[str, tuple[str, str]] = {
    "E001": ("file not found", "check the path"),
    "E002": ("empty input", "the file has no text; pass an article with a body"),
    "E003": ("binary file", "pass a text, Markdown, HTML, JSONL or CSV file"),
    "E004": ("file too large", "split it into articles (JSONL/CSV records) or raise --max-bytes"),
    "E005": ("undecodable text", "re-save it as UTF-8, or pass --encoding NAME"),
    "E006": ("bad JSON record", "each JSONL line must be one JSON object"),
    "E007": ("record has no body", "give each record a 'body' (or 'text') field"),
    "E008": ("bad CSV", "the CSV needs a header row with a 'body' (or 'text') column"),
    "E009": ("bad date", "use YYYY-MM-DD"),
    "E010": ("unreadable file", "check permissions; directories are read file by file"),
    "E011": ("bad gold file", "fix the gold annotation named"),
    "E012": ("bad reference data", "fix the reference table named"),
    "E013": ("cannot write output", "pass -o FILE (or --out DIR) somewhere you can write to, "
             "with free space"),
    "E014": ("spaCy pipeline not found", "install it (pip install NAME) or pass --model rules"),
    "E015": ("reference directory not found", "pass --reference a directory holding figures.csv "
             "(and optionally series.json, partners.json)"),
    "E016": ("bad import file", "pass a GAC statistics-platform CSV (--format gac) or UN Comtrade "
             "records, CSV or JSON (--format comtrade)"),
    "E017": ("--out holds another audit", "use a new --out directory, or pass --restart to "
             "discard the old one (its inputs, reference data or options differ)"),
    "E018": ("article could not be checked", "an internal error, recorded in the audit's "
             "articles table; please report it with the article"),
    "E019": ("not an archive input", "pass files, directories or glob patterns"),
    "E020": ("bad Parquet file", "pass a Parquet file of records with a 'body' (or 'text') column"),
    "E021": ("Dask engine unavailable", "install it (pip install -e '.[dask]'), check the "
             "--scheduler address, or use --engine local"),
    "E022": ("bad option value", "see `factcheck check --help` and docs/configuration.md for the "
             "values allowed"),
    "E023": ("bad configuration file", "fix the file named (TOML; keys under [tool.factcheck] in "
             "pyproject.toml, or at the top level of factcheck.toml; see docs/configuration.md)"),
    "E024": ("bad baseline file", "regenerate it with `factcheck baseline FILES -o FILE`"),
    "E025": ("request too large", "send one article at a time, or start the server with a "
             "larger --max-body-bytes"),
    "E026": ("check timed out", "send a shorter text, or start the server with a longer "
             "--timeout"),
    "E027": ("bad request", "see the OpenAPI document at /openapi.json (or docs/serve.md) for "
             "the fields"),
    "E028": ("server extra not installed", "pip install -e '.[serve]' (setup.sh does)"),
}


@dataclass
class FactcheckError(Exception):
    """An input problem that stops one input (not the whole run)."""

    code: str
    source: str
    detail: str = ""
    line: int | None = None
    column: str | None = None  # a table's column name, for reference data

    def __str__(self) -> str:
        name, fix = ERRORS[self.code]
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        if self.column:
            where += f" column {self.column!r}"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.code} {where}: {name}{detail}; {fix}"
