"""Command line: ``factcheck extract|eval``. Imports are lazy so a cold run stays fast."""

from __future__ import annotations

import argparse
import json
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _add_output_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "json"], default=None,
                   help="output format (default: table on a terminal, json otherwise)")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck", description="Fact-check the numbers in news copy.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="list the numeric claims in articles, with their frames",
                        description="Extract framed numeric claims from articles.")
    ex.add_argument("files", nargs="+", metavar="FILE",
                    help="text, Markdown, HTML, JSONL, CSV or JSON files, directories, or - for stdin")
    ex.add_argument("--date", help="publication date YYYY-MM-DD (wins over metadata and datelines)")
    ex.add_argument("--encoding", help="decode inputs with this encoding instead of detecting it")
    ex.add_argument("--max-bytes", type=_positive_int, default=None,
                    help="largest single article accepted, in bytes (default 10,000,000)")
    ex.add_argument("--model", default=os.environ.get("FACTCHECK_SPACY_MODEL", "auto"),
                    help="spaCy pipeline to run in (name or path), 'blank', or 'rules' for none; "
                         "default 'auto': a trained English pipeline when one is installed, "
                         "else the rules alone (no spaCy import, fastest start)")
    _add_output_flags(ex)

    ev = sub.add_parser("eval", help="score the extractor on the gold corpus or NewsQuant",
                        description="Precision/recall/F1 of extraction against labelled data.")
    ev.add_argument("--corpus", default=None, help="corpus directory (default: ./corpora)")
    ev.add_argument("--newsquant", metavar="PATH", nargs="?", const="auto",
                    help="score on NewsQuant (default path ../shared/benchmarks/newsquant/NewsQuant.json)")
    ev.add_argument("--quantulum", action="store_true",
                    help="with --newsquant: also score quantulum3 through the same scorer")
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


def cmd_extract(args) -> int:
    from .errors import FactcheckError
    from .extract import extract_article
    from .inputs import DEFAULT_MAX_BYTES, check_date, read_inputs
    from .report import build_report, render_table

    date = None
    if args.date:
        try:
            date = check_date(args.date, "--date")
        except FactcheckError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_INPUT
    runner = None
    model = installed_trained_pipeline() if args.model == "auto" else args.model
    if model and model != "rules":
        from .nlp import SpacyRunner

        try:
            runner = SpacyRunner(model)
        except (OSError, ImportError) as exc:
            print(str(FactcheckError("E014", model, str(exc).split("\n")[0][:120])), file=sys.stderr)
            return EXIT_INPUT
    results, errors = [], []
    for item in read_inputs(args.files, encoding=args.encoding,
                            max_bytes=args.max_bytes or DEFAULT_MAX_BYTES):
        if isinstance(item, FactcheckError):
            print(str(item), file=sys.stderr)
            errors.append(item)
            continue
        results.append(runner.extract_article(item, date) if runner else extract_article(item, date))
    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "json")
    try:
        if fmt == "json":
            write_output(args, json.dumps(build_report(results, errors), ensure_ascii=False,
                                          indent=2) + "\n")
        elif args.output:
            import io

            buf = io.StringIO()
            render_table(results, _console(args, buf))
            write_output(args, buf.getvalue())
        else:
            render_table(results, _console(args))
    except FactcheckError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    return EXIT_INPUT if errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
