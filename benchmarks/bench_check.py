"""What reconciliation costs on top of extraction.

    .venv/bin/python benchmarks/bench_check.py [--repeat 5]

Runs every corpus article (dev + held-out sets) through ``extract_article`` alone and through
``Checker.check`` (extraction + verdicts + superlatives), best and median of ``--repeat``
passes each, in one process with the reference data already loaded (as a server or an archive
worker runs). Prints articles/s for both and the overhead of reconciliation in percent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.check import Checker  # noqa: E402
from factcheck.extract import extract_article  # noqa: E402
from factcheck.inputs import read_inputs  # noqa: E402


def corpus() -> list[tuple]:
    out = []
    for base in (ROOT / "corpora", ROOT / "corpora" / "heldout", ROOT / "corpora" / "heldout2"):
        for gold in sorted((base / "gold").glob("*.json")):
            date = json.loads(gold.read_text(encoding="utf-8")).get("date")
            path = next((base / "articles").glob(gold.stem + ".*"))
            out.append((next(read_inputs([str(path)])), date))
    return out


def timed(fn, items, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for article, date in items:
            fn(article, date)
        runs.append(time.perf_counter() - t0)
    return runs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--copies", type=int, default=5, help="passes over the corpus per run")
    args = ap.parse_args()
    items = corpus() * args.copies
    checker = Checker()
    checker.check(*items[0])  # warm: regexes, reference data, gazetteer
    extract_article(*items[0])
    words = sum(len(a.text.split()) for a, _ in items)
    ex = timed(lambda a, d: extract_article(a, d, gaz=checker.gazetteer), items, args.repeat)
    ck = timed(checker.check, items, args.repeat)
    claims = sum(len(checker.check(a, d).claims) for a, d in items[:len(items) // args.copies])
    print(f"{len(items)} articles ({len(items) // args.copies} distinct), {words:,} words, "
          f"{claims} claims per corpus pass; best / median of {args.repeat} runs")
    for name, runs in (("extract", ex), ("check", ck)):
        best, med = min(runs), statistics.median(runs)
        print(f"  {name:8} {len(items) / best:8.0f} articles/s best  "
              f"{len(items) / med:8.0f} median  ({words / best:,.0f} words/s best)")
    print(f"  reconciliation overhead: {100 * (min(ck) / min(ex) - 1):+.1f}% best, "
          f"{100 * (statistics.median(ck) / statistics.median(ex) - 1):+.1f}% median "
          f"(target <= +10%)")


if __name__ == "__main__":
    main()
