"""Extraction speed: factcheck vs quantulum3 on the same text, and cold `factcheck extract`.

    .venv/bin/python benchmarks/bench_extract.py [--mb 1.0] [--quantulum-kb 0 (= same text)]

Prints words/s for both on the corpus repeated to at least --mb megabytes, their ratio, peak
memory, and the median wall time of a cold `factcheck extract` (new process) on one article.
Results go in docs/measurements.md.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_texts() -> list[str]:
    files = sorted((ROOT / "corpora" / "articles").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--quantulum-kb", type=int, default=0,
                    help="run quantulum3 on only this many KB of the text (0: all of it)")
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5, help="timed passes of factcheck")
    args = ap.parse_args()

    from factcheck.extract import extract_text

    base = corpus_texts()
    texts: list[str] = []
    size = 0
    while size < args.mb * 1_000_000:
        for t in base:
            texts.append(t)
            size += len(t.encode())
    words = sum(len(t.split()) for t in texts)
    print(f"text: {len(texts)} articles, {size / 1e6:.2f} MB, {words:,} words")

    extract_text(base[0])  # warm caches (regex compile, gazetteer)
    runs = []
    for _ in range(args.repeats):  # this VM's timings vary run to run: report best and median
        t0 = time.perf_counter()
        n_claims = sum(len(extract_text(t, date="2025-07-20")) for t in texts)
        runs.append(time.perf_counter() - t0)
    ours = min(runs)
    print(f"factcheck: best {ours:.2f} s, median {statistics.median(runs):.2f} s of {len(runs)} "
          f"runs; {words / ours:,.0f} words/s (best), {words / statistics.median(runs):,.0f} "
          f"(median); {n_claims:,} claims")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        parser.parse("warm up 5 tons")  # its one-off ~3 s start is not counted
    q_texts = texts
    if args.quantulum_kb:
        q_texts, acc = [], 0
        for t in texts:
            if acc >= args.quantulum_kb * 1000:
                break
            q_texts.append(t)
            acc += len(t.encode())
    q_words = sum(len(t.split()) for t in q_texts)
    t0 = time.perf_counter()
    n_q = sum(len(parser.parse(t)) for t in q_texts)
    qtime = time.perf_counter() - t0
    print(f"quantulum3: {qtime:.2f} s on {q_words:,} words, {q_words / qtime:,.0f} words/s, "
          f"{n_q:,} quantities")
    print(f"speed-up: {(words / ours) / (q_words / qtime):.1f}x (best), "
          f"{(words / statistics.median(runs)) / (q_words / qtime):.1f}x (median)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (this process, both tools loaded): {peak:.0f} MB")

    exe = ROOT / ".venv" / "bin" / "factcheck"
    article = ROOT / "corpora" / "articles" / "001_seed_ainvest.txt"
    times = []
    for _ in range(args.cold_runs):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "extract", str(article), "--date", "2025-07-20", "--format",
                        "json"], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    print(f"cold `factcheck extract` on one article: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}, {args.cold_runs} runs)")


if __name__ == "__main__":
    main()
