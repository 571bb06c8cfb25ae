"""Command line: ``factcheck extract|eval``. Imports are lazy so a cold run stays fast."""

from __future__ import annotations

import argparse
import json
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _add_output_flags(p: argparse.ArgumentParser, formats=("rich", "json")) -> None:
    p.add_argument("--format", choices=[*formats, "table"] if "rich" in formats else formats,
                   default=None, help=f"output format: {', '.join(formats)} (default: rich on a "
                   "terminal, json otherwise; 'table' is another name for rich)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the report to FILE (atomically) instead of standard output")


def _positive_int(value: str) -> int:
    try:
        number = int(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def _add_input_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="text, Markdown, HTML, JSONL, CSV or JSON files, directories, or - for stdin")
    p.add_argument("--date", help="publication date YYYY-MM-DD (wins over metadata and datelines)")
    _add_decoding_flags(p)
    _add_model_flag(p)


def _add_decoding_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--encoding", help="decode inputs with this encoding instead of detecting it")
    p.add_argument("--max-bytes", type=_positive_int, default=None,
                   help="largest single article accepted, in bytes (default 10,000,000)")


def _add_model_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default=None,
                   help="spaCy pipeline to run in (name or path), 'blank', or 'rules' for none; "
                        "default $FACTCHECK_SPACY_MODEL, or 'auto': a trained English pipeline "
                        "when one is installed, else the rules alone (no spaCy import, fastest "
                        "start)")


CHECK_FORMATS = ("rich", "concise", "json", "jsonl", "github", "sarif", "junit")


def _add_config_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE",
                   help="read settings from FILE (factcheck.toml, or a pyproject.toml with "
                        "[tool.factcheck]) instead of the nearest one up from here")
    p.add_argument("--isolated", action="store_true",
                   help="ignore every configuration file")


def _add_policy_flags(p: argparse.ArgumentParser) -> None:
    cats = "mismatch, inconsistent, duplicate, unverifiable, suppression, all, none"
    p.add_argument("--fail-on", metavar="CATEGORIES",
                   help=f"comma-separated finding categories that make the exit code 1 ({cats}; "
                        "default mismatch,inconsistent)")
    p.add_argument("--show", metavar="CATEGORIES",
                   help="comma-separated finding categories reported (default all); the exit "
                        "code does not depend on it")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when findings fail the run (input errors still exit 2)")
    p.add_argument("--disable", metavar="CODES", action="append",
                   help="turn off finding codes or prefixes (V305, C2); repeatable or "
                        "comma-separated")
    p.add_argument("--baseline", metavar="FILE",
                   help="report only findings not in FILE (written by `factcheck baseline`)")
    p.add_argument("--max-annotations", type=_positive_int, metavar="N",
                   help="with --format github: at most N annotations of each level (default 10, "
                        "GitHub's own limit a step; the rest are counted in the summary)")
    _add_config_flags(p)


def _add_reference_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reference", metavar="DIR", action="append", default=[],
                   help="a directory of your own reference tables (figures.csv, series.json, "
                        "partners.json), laid over the shipped data; repeatable")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck", description="Fact-check the numbers in news copy.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="list the numeric claims in articles, with their frames",
                        description="Extract framed numeric claims from articles.")
    _add_input_flags(ex)
    _add_output_flags(ex)

    ck = sub.add_parser(
        "check", help="check every claim against the official figures",
        description="Check the numbers in articles against official customs figures. Each claim "
                    "gets a verdict (supported, mismatch, unverifiable) with the official figure, "
                    "the arithmetic and the source; figures in the article are checked against each "
                    "other (consistency) and duplicated passages are reported. Settings come from "
                    "[tool.factcheck] in pyproject.toml or factcheck.toml (see `factcheck config "
                    "--show`). Exit 0: no finding in a --fail-on category (default: mismatch, "
                    "inconsistent); 1: some; 2: a usage, input, configuration or reference-data "
                    "error.")
    _add_input_flags(ck)
    _add_reference_flag(ck)
    _add_output_flags(ck, CHECK_FORMATS)
    _add_policy_flags(ck)

    bl = sub.add_parser(
        "baseline", help="record today's findings so later checks report only new ones",
        description="Write a baseline: every finding in the inputs (suppressed ones aside), "
                    "sorted and keyed by content fingerprints, not line numbers, so edits above a "
                    "finding do not revive it. `factcheck check --baseline FILE` (or `baseline = "
                    "FILE` in the configuration) then reports only findings not in it. Written "
                    "to -o FILE, else the configured baseline path, else standard output.")
    _add_input_flags(bl)
    _add_reference_flag(bl)
    bl.add_argument("-o", "--output", metavar="FILE",
                    help="write the baseline to FILE (atomically)")
    bl.add_argument("--disable", metavar="CODES", action="append",
                    help="leave out finding codes or prefixes (V305, C2)")
    _add_config_flags(bl)

    cf = sub.add_parser(
        "config", help="show the effective configuration and where each value came from",
        description="Print every setting, its value and its source: the default, the "
                    "configuration file ([tool.factcheck] in pyproject.toml, or factcheck.toml, "
                    "the nearest one up from the current directory), or the command line.")
    cf.add_argument("--show", action="store_true", dest="show_config",
                    help="print the effective configuration (the default action)")
    _add_config_flags(cf)
    _add_output_flags(cf)

    from .serve_cli import add_serve_parser

    add_serve_parser(sub, _add_reference_flag, _add_model_flag, _add_config_flags, _positive_int)

    dp = sub.add_parser(
        "dupes", help="find passages reused across an archive (and copies whose figures differ)",
        description="Find paragraphs reused across articles: syndication, boilerplate, copy "
                    "pasted between stories. Candidates come from MinHash LSH over 5-word "
                    "shingles; each is confirmed by aligning the two passages word by word, which "
                    "also finds copies whose figures differ (inconsistent duplicates). Boilerplate "
                    "found in many articles is summarised, not listed pairwise. Exit 0: no "
                    "inconsistent copies; 1: copies whose figures differ; 2: an input error.")
    dp.add_argument("files", nargs="+", metavar="ARCHIVE",
                    help="directories, JSONL, CSV, JSON, text/Markdown/HTML files, or - for stdin")
    _add_decoding_flags(dp)
    dp.add_argument("--workers", type=_positive_int, default=None,
                    help="worker processes for hashing (default: 2, or 1 on a one-core machine)")
    dp.add_argument("--boilerplate-docs", type=_positive_int, default=25, metavar="N",
                    help="a passage found word for word in N or more documents is summarised as "
                         "boilerplate (default 25)")
    dp.add_argument("--within", action="store_true",
                    help="also report passages repeated inside one document (check does this "
                         "for single articles)")
    dp.add_argument("--kind", action="append", choices=["exact", "near", "inconsistent"],
                    help="only report groups of this kind (repeatable; default all)")
    _add_output_flags(dp, ("rich", "concise", "json"))

    au = sub.add_parser(
        "audit", help="check a whole archive into tables (Parquet, CSV, SQLite) and a summary page",
        description="Audit an archive: every article, every claim, in a claims table, an articles "
                    "table and a findings table (Parquet and CSV), a SQLite file, summary.json and "
                    "a standalone summary.html, all in --out. The work is split into shards "
                    "written atomically: interrupt it (even with SIGKILL) and rerun the same "
                    "command to resume; the outputs are the same bytes whatever the worker count "
                    "or the interruptions. Each record's publication date comes from the record. "
                    "Exit 0: no mismatch or inconsistency; 1: some; 2: a usage error, or records "
                    "that could not be read or checked (recorded in the articles table).")
    au.add_argument("files", nargs="+", metavar="ARCHIVE",
                    help="directories, glob patterns ('news/**/*.md'), JSONL, CSV, JSON or Parquet "
                         "records (id, title, date, body, url, outlet...), text/Markdown/HTML files")
    au.add_argument("--out", required=True, metavar="DIR",
                    help="directory for the tables, the summary and the resumable shard state")
    au.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local: a process pool on this machine (default); dask: Dask distributed "
                         "(pip install -e '.[dask]')")
    au.add_argument("--workers", type=_positive_int, default=None,
                    help="worker processes (default: one per core); with --engine dask and no "
                         "--scheduler, the LocalCluster's size")
    au.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --engine dask: a running scheduler (tcp://HOST:PORT) whose workers "
                         "see the inputs and --out at the same paths; default: a LocalCluster")
    au.add_argument("--shard-size", type=_positive_int, default=250, metavar="N",
                    help="records per shard, the unit of work and of resumption (default 250)")
    au.add_argument("--restart", action="store_true",
                    help="discard the shard state in --out left by a different audit")
    au.add_argument("--quiet", action="store_true",
                    help="no progress bar: plain log lines on stderr (the default when stderr is "
                         "not a terminal) and a one-line summary")
    _add_decoding_flags(au)
    _add_model_flag(au)
    au.add_argument("--boilerplate-docs", type=_positive_int, default=25, metavar="N",
                    help="a paragraph found in N or more articles is boilerplate, not a copy "
                         "(default 25)")
    au.add_argument("--near-dupes", action="store_true",
                    help="also find near copies and copies whose figures were changed across the "
                         "archive (the MinHash stage of `factcheck dupes`; exact paragraph copies "
                         "are always found)")
    _add_reference_flag(au)
    _add_output_flags(au, ("rich", "json"))

    from .data_cmd import add_data_parser

    add_data_parser(sub, _add_output_flags, _add_reference_flag)

    ev = sub.add_parser("eval", help="score the extractor on the gold corpus or NewsQuant",
                        description="Precision/recall/F1 of extraction against labelled data.")
    ev.add_argument("--corpus", default=None, help="corpus directory (default: ./corpora)")
    ev.add_argument("--newsquant", metavar="PATH", nargs="?", const="auto",
                    help="score on NewsQuant (default path ../shared/benchmarks/newsquant/NewsQuant.json)")
    ev.add_argument("--quantulum", action="store_true",
                    help="with --newsquant: also score quantulum3 through the same scorer")
    ev.add_argument("--verdicts", action="store_true",
                    help="score verdicts against the corpus's verdict gold (verdicts/*.json): "
                         "accuracy, mismatch recall, false-alarm rate, supported rate")
    ev.add_argument("--consistency", action="store_true",
                    help="score the internal-arithmetic check against the consistency gold "
                         "(consistency/pairs.jsonl): inconsistent recall, false inconsistent, "
                         "consistent relations linked; dev and held-out apart")
    ev.add_argument("--details", action="store_true", help="list every miss and false alarm")
    ev.add_argument("--validate", action="store_true",
                    help="only check the corpus's gold files are well formed (exit 2 if not)")
    _add_output_flags(ev)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .errors import FactcheckError

    try:
        return _main(argv)
    except FactcheckError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # Output piped to `head`: stop quietly, like csvkit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__

        print(f"factcheck {__version__}")
        return EXIT_OK
    if args.command == "extract":
        return cmd_extract(args)
    if args.command == "check":
        return cmd_check(args)
    if args.command == "dupes":
        return cmd_dupes(args)
    if args.command == "baseline":
        return cmd_baseline(args)
    if args.command == "config":
        return cmd_config(args)
    if args.command == "serve":
        from .serve import cmd_serve

        return cmd_serve(args)
    if args.command == "audit":
        from .audit_cmd import cmd_audit

        return cmd_audit(args, _emit, _format, _console)
    if args.command == "data":
        from .data_cmd import cmd_data

        return cmd_data(args, _emit, write_output)
    if args.command == "eval":
        from .evaluate import cmd_eval

        return cmd_eval(args)
    parser.print_help()
    return EXIT_INPUT


TRAINED_PIPELINES = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")


def installed_trained_pipeline() -> str | None:
    """The best installed trained English pipeline, found without importing spaCy."""
    import importlib.util

    return next((name for name in TRAINED_PIPELINES if importlib.util.find_spec(name)), None)


def _console(args, stream=None):
    from rich.console import Console

    console = Console(file=stream or sys.stdout, soft_wrap=False)

    def broken_pipe() -> None:
        # rich exits 1 on a closed pipe; `factcheck ... | head` is normal use, so exit 0 as
        # the JSON path does
        raise BrokenPipeError

    console.on_broken_pipe = broken_pipe
    return console


def write_output(args, payload: str) -> None:
    """Write atomically to --output (no half-written file), or to stdout.

    Raises FactcheckError E013 when the file cannot be written; no temporary file is left."""
    from .errors import FactcheckError

    if not args.output:
        sys.stdout.write(payload)
        sys.stdout.flush()
        return
    tmp = f"{args.output}.tmp-{os.getpid()}"
    try:
        if os.path.isdir(args.output):
            raise IsADirectoryError(21, "is a directory")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(payload)
        os.replace(tmp, args.output)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise FactcheckError("E013", args.output, exc.strerror or str(exc)) from None


def _date_and_runner(args):
    """(date, spaCy runner or None) from --date and --model; raises FactcheckError."""
    from .inputs import check_date

    date = check_date(args.date, "--date") if args.date else None
    return date, make_runner(args.model)


def resolve_model(model: str | None) -> str:
    """--model as the pipeline actually used: 'auto' is the installed trained one, or 'rules';
    not given, $FACTCHECK_SPACY_MODEL or 'auto'."""
    model = model or os.environ.get("FACTCHECK_SPACY_MODEL") or "auto"
    return (installed_trained_pipeline() or "rules") if model == "auto" else model


def make_runner(model: str | None):
    """The spaCy runner for --model, or None for the rules alone; raises FactcheckError E014."""
    from .errors import FactcheckError

    model = resolve_model(model)
    if model == "rules":
        return None
    from .nlp import SpacyRunner

    try:
        return SpacyRunner(model)
    except (OSError, ImportError) as exc:
        raise FactcheckError("E014", model, str(exc).split("\n")[0][:120]) from None


def _articles(args, errors: list):
    """Each readable input article; unreadable ones are reported and collected in ``errors``."""
    from .errors import FactcheckError
    from .inputs import DEFAULT_MAX_BYTES, read_inputs

    for item in read_inputs(args.files, encoding=args.encoding,
                            max_bytes=args.max_bytes or DEFAULT_MAX_BYTES):
        if isinstance(item, FactcheckError):
            print(str(item), file=sys.stderr)
            errors.append(item)
            continue
        yield item


def _format(args) -> str:
    fmt = args.format or ("rich" if sys.stdout.isatty() and not args.output else "json")
    return "rich" if fmt == "table" else fmt


def _emit(args, fmt: str, json_payload, render) -> None:
    """Write JSON, or render with rich (to --output through a buffer)."""
    if fmt == "json":
        write_output(args, json.dumps(json_payload(), ensure_ascii=False, indent=2) + "\n")
    elif args.output:
        import io

        buf = io.StringIO()
        render(_console(args, buf))
        write_output(args, buf.getvalue())
    else:
        render(_console(args))


def cmd_extract(args) -> int:
    from .extract import extract_article
    from .report import build_report, render_table

    date, runner = _date_and_runner(args)
    errors: list = []
    results = [runner.extract_article(a, date) if runner else extract_article(a, date)
               for a in _articles(args, errors)]
    _emit(args, _format(args), lambda: build_report(results, errors),
          lambda console: render_table(results, console))
    return EXIT_INPUT if errors else EXIT_OK


def _checked_articles(args, settings) -> tuple[list, list, object]:
    """(checked articles, input errors, checker) for check and baseline."""
    from .check import Checker
    from .inputs import check_date

    date = check_date(args.date, "--date") if args.date else None
    checker = Checker(tuple(settings["reference"]), settings.tolerances())  # validates first
    runner = make_runner(settings["model"])
    errors: list = []
    checked = []
    for article in _articles(args, errors):
        checked.append(checker.check(article, date, runner=runner))
    return checked, errors, checker


def policy_from(settings, args=None, with_baseline: bool = True):
    from .baseline import read_baseline
    from .findings import Policy

    baseline = (read_baseline(settings["baseline"]) if settings["baseline"] and with_baseline
                else frozenset())
    return Policy(show=tuple(settings["show"]), fail_on=tuple(settings["fail_on"]),
                  disable=tuple(settings["disable"]), baseline=baseline,
                  exit_zero=bool(args and getattr(args, "exit_zero", False)))


def cmd_check(args) -> int:
    from .config import load_settings
    from .findings import collect
    from .formats import RENDERERS, github, step_summary
    from .report import build_check_report, render_check

    settings = load_settings(args)
    policy = policy_from(settings, args)
    checked, errors, checker = _checked_articles(args, settings)
    docs = [collect(c, policy) for c in checked]
    if not args.format and settings["format"]:
        args.format = settings["format"]
    fmt = _format(args)
    if fmt == "github":
        write_output(args, github(docs, policy, settings["max_annotations"]))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as fh:
                    fh.write(step_summary(docs, policy))
            except OSError as exc:  # the annotations are out; the summary is a nicety
                print(f"warning: cannot write the job summary to $GITHUB_STEP_SUMMARY "
                      f"({summary_file}: {exc.strerror or exc})", file=sys.stderr)
    elif fmt in RENDERERS:
        write_output(args, RENDERERS[fmt](docs, policy))
    else:
        _emit(args, fmt, lambda: build_check_report(checked, errors, checker.ref, docs, policy),
              lambda console: render_check(checked, console, docs, policy))
    if errors:
        return EXIT_INPUT
    if policy.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(d.failing(policy) for d in docs) else EXIT_OK


def cmd_baseline(args) -> int:
    from .baseline import baseline_text
    from .config import load_settings
    from .findings import collect
    from .formats import summary_line

    settings = load_settings(args)
    # the baseline records what is there now, not filtered by an older baseline
    policy = policy_from(settings, with_baseline=False)
    checked, errors, _ = _checked_articles(args, settings)
    docs = [collect(c, policy) for c in checked]
    if not args.output and settings["baseline"]:
        args.output = settings["baseline"]
    write_output(args, baseline_text(docs, os.path.dirname(os.path.abspath(args.output))
                                     if args.output else "."))
    total = sum(len(d.alerts) for d in docs)
    where = args.output or "standard output"
    print(f"{total} findings written to {where} ({summary_line(docs, policy)})", file=sys.stderr)
    return EXIT_INPUT if errors else EXIT_OK


def cmd_config(args) -> int:
    from .config import load_settings

    settings = load_settings(args)
    if args.format == "json":
        payload = {"file": settings.file,
                   "settings": {k: {"value": v, "source": src} for k, v, src in settings.as_table()}}
        write_output(args, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK

    # TOML a user can paste into [tool.factcheck], each value's source as a comment
    # TOML has no null: an unset key is printed commented out
    rows = [(f"# {key} = (not set)" if value is None
             else f"{key} = {json.dumps(value, ensure_ascii=False)}", source)
            for key, value, source in settings.as_table()]
    width = max(len(r[0]) for r in rows)
    lines = [f"# configuration file: {settings.file or 'none found'}"]
    lines += [f"{text.ljust(width)}  # {source}" for text, source in rows]
    write_output(args, "\n".join(lines) + "\n")
    return EXIT_OK


def cmd_dupes(args) -> int:
    from .archive_dupes import find_archive_duplicates
    from .inputs import DEFAULT_MAX_BYTES, read_inputs
    from .report import build_dupes_report, dupes_concise_lines, render_dupes

    errors: list = []

    def records():
        from .errors import FactcheckError

        for item in read_inputs(args.files, args.encoding, args.max_bytes or DEFAULT_MAX_BYTES):
            if isinstance(item, FactcheckError):
                errors.append(item)
                print(str(item), file=sys.stderr)
                continue
            yield item.id, item.text

    result = find_archive_duplicates(records(), workers=args.workers,
                                     boilerplate_docs=args.boilerplate_docs, within=args.within)
    if args.kind:
        result.groups = [g for g in result.groups if g.kind in args.kind]
    fmt = _format(args)
    if fmt == "concise":
        write_output(args, "".join(line + "\n" for line in dupes_concise_lines(result)))
    else:
        _emit(args, fmt, lambda: build_dupes_report(result, errors),
              lambda console: render_dupes(result, console))
    if errors:
        return EXIT_INPUT
    return EXIT_FINDINGS if any(g.kind == "inconsistent" for g in result.groups) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
