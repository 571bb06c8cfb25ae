"""``factcheck audit``: the command around ``audit.py`` (progress, logs, summary, exit code)."""

from __future__ import annotations

import sys
import time

from .cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK


class _Log:
    """Plain progress lines on stderr, at most one every ``every`` seconds (and the last)."""

    def __init__(self, total: int, shards: int, every: float = 2.0):
        self.total, self.shards, self.every = total, shards, every
        self.articles = self.done = 0
        self.t0 = self.last = time.perf_counter()
        self.fresh = 0

    def start(self, finished: list[dict]) -> None:
        self.done = len(finished)
        self.articles = sum(c["articles"] for c in finished)
        print(f"factcheck audit: {self.total:,} records in {self.shards:,} shards"
              + (f"; {self.done:,} shards already written, resuming" if finished else ""),
              file=sys.stderr, flush=True)

    def __call__(self, counts: dict) -> None:
        self.done += 1
        self.articles += counts["articles"]
        self.fresh += counts["articles"]
        now = time.perf_counter()
        if now - self.last >= self.every or self.done == self.shards:
            self.last = now
            rate = self.fresh / (now - self.t0) if now > self.t0 else 0
            print(f"factcheck audit: {self.done:,}/{self.shards:,} shards, "
                  f"{self.articles:,}/{self.total:,} articles, {rate:,.0f} articles/s",
                  file=sys.stderr, flush=True)

    def stop(self) -> None:
        pass


class _Bar:
    """A rich progress bar on stderr: articles done, articles/s, time left."""

    def __init__(self, total: int, shards: int):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        class Rate(TextColumn):
            def render(self, task):
                speed = task.finished_speed or task.speed
                from rich.text import Text

                return Text(f"{speed:,.0f} articles/s" if speed else "– articles/s", style="cyan")

        self.progress = Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(),
                                 Rate(""), TimeElapsedColumn(), TextColumn("left"),
                                 TimeRemainingColumn(), console=Console(file=sys.stderr),
                                 transient=False)
        self.total = total

    def start(self, finished: list[dict]) -> None:
        done = sum(c["articles"] for c in finished)
        self.task = self.progress.add_task("audit", total=self.total, completed=done)
        self.progress.start()
        # speed counts only this run's work: reset after the resumed part
        self.progress.reset(self.task, total=self.total, completed=done)

    def __call__(self, counts: dict) -> None:
        self.progress.advance(self.task, counts["articles"])

    def stop(self) -> None:
        self.progress.stop()


def cmd_audit(args, emit, fmt_of, console_of) -> int:
    from .audit import AuditOptions, merge, pending_shards, prepare, run_engine
    from .audit_report import render_terminal

    options = AuditOptions(out=args.out, reference=tuple(args.reference),
                           model=args.model, encoding=args.encoding, max_bytes=args.max_bytes,
                           shard_size=args.shard_size, boilerplate_docs=args.boilerplate_docs,
                           near_dupes=args.near_dupes)
    t0 = time.perf_counter()
    run = prepare(args.files, options, restart=args.restart)
    todo, finished = pending_shards(run)
    run.done.extend(finished)
    quiet = args.quiet or not sys.stderr.isatty()
    shown = (_Log if quiet else _Bar)(run.plan.records, len(run.plan.shards))
    fresh = sum(s.records for s in todo)
    # the pool forks before the bar's refresh thread starts
    shown.start(finished)
    try:
        run_engine(run, todo, args.engine, args.workers, args.scheduler, shown)
    except KeyboardInterrupt:
        shown.stop()
        written = len(pending_shards(run)[1])
        print(f"interrupted: {written:,} of {len(run.plan.shards):,} shards written; rerun the "
              "same command to resume", file=sys.stderr)
        return 130
    finally:
        shown.stop()
    work_seconds = time.perf_counter() - t0
    summary = merge(run)
    seconds = time.perf_counter() - t0
    rate = fresh / work_seconds if fresh and work_seconds else None
    fmt = fmt_of(args)
    if args.quiet and fmt == "rich" and not args.output:
        v = summary["verdicts"]
        print(f"factcheck audit: {summary['articles']:,} articles, {summary['claims']:,} claims: "
              f"{v['supported']:,} supported, {v['mismatch']:,} mismatch, {v['unverifiable']:,} "
              f"unverifiable; {summary['articles_with_errors']:,} errors; {seconds:,.1f} s; "
              f"wrote {options.out}")
    else:
        emit(args, fmt, lambda: summary,
             lambda console: render_terminal(summary, console, run.outputs, seconds, rate))
    if summary["articles_with_errors"]:
        return EXIT_INPUT
    contradictions = sum(n for c, n in summary["findings"].items() if c.startswith("C2")
                         or c == "D201")
    return EXIT_FINDINGS if summary["verdicts"]["mismatch"] or contradictions else EXIT_OK

