"""Archive audit throughput, memory and growth, and whether planted errors are found.

    .venv/bin/python benchmarks/bench_audit.py [--sizes 1000,10000] [--workers 1,2] [--json]

For each size, generates a realistic archive with ``benchmarks/make_archive.py`` (corpus articles
extended to ~600 words with reference-data paragraphs, planted errors and syndicated copies; the
gold of what was planted in planted.jsonl), then runs ``factcheck audit`` on it as a user would
(a fresh process, ``--quiet``), once per worker count, and reports:

- wall time and articles/s (the whole command: planning, checking, merging, writing the tables);
- peak memory: the highest summed RSS of the audit process and its workers (sampled every
  0.1 s with psutil), and the largest single process;
- growth: seconds per 1,000 articles at each size (flat means linear);
- planted errors: the share whose claim (overlapping the edited span) is a mismatch in
  claims.parquet, by type, beside the rates ``bench_inject.py`` measured on single articles;
  false alarms: mismatches per 1,000 claims in articles with nothing planted, against the
  unedited base articles' own rate;
- planted copies: the share of copies whose articles row has ``duplicates_archive`` > 0 and
  ``copy_of`` naming the original.

Targets (the issue): >= 300 articles/s on 2 cores for ~600-word articles, peak RSS <= 1 GB,
linear growth. Always exits 0; prints figures, never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTCHECK = [sys.executable, "-m", "factcheck.cli"]


def generate(n: int, out: Path, seed: int) -> tuple[Path, float]:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_archive.py"), "--articles",
                    str(n), "--out", str(out), "--seed", str(seed)], check=True, cwd=ROOT)
    return out / "archive.jsonl", time.perf_counter() - t0


def run_audit(archive: Path, out: Path, workers: int) -> dict:
    import psutil

    cmd = [*FACTCHECK, "audit", str(archive), "--out", str(out), "--workers", str(workers),
           "--quiet", "--format", "json", "-o", str(out.parent / f"{out.name}.summary.json")]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    peak = {"total": 0, "single": 0}
    stop = threading.Event()

    def sample() -> None:
        try:
            parent = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                rss = [p.memory_info().rss for p in procs]
            except psutil.Error:
                rss = []
            if rss:
                peak["total"] = max(peak["total"], sum(rss))
                peak["single"] = max(peak["single"], max(rss))
            stop.wait(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    stop.set()
    thread.join()
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1, 2):
        raise SystemExit(f"audit failed ({proc.returncode}): {err[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": peak["total"] / 2**20,
            "largest_process_mb": peak["single"] / 2**20, "exit": proc.returncode}


def score_planted(archive_dir: Path, out: Path) -> dict:
    import pyarrow.parquet as pq

    planted = [json.loads(line) for line in open(archive_dir / "planted.jsonl", encoding="utf-8")]
    claims = pq.read_table(out / "claims.parquet", columns=["article_id", "start", "end",
                                                             "verdict"]).to_pylist()
    by_article: dict[str, list[dict]] = defaultdict(list)
    for c in claims:
        by_article[c["article_id"]].append(c)
    # changed-figure copies carry an edit too; they are scored as copies (and their changed
    # figure apart), not among the verdict errors
    errors = [p for p in planted if "start" in p and "of" not in p]
    found, total = Counter(), Counter()
    for p in errors:
        total[p["type"]] += 1
        span = p.get("claim") or p  # the edited claim's span, else the edit's
        found[p["type"]] += any(c["verdict"] == "mismatch" and c["start"] < span["end"]
                                and span["start"] < c["end"]
                                for c in by_article.get(p["article"], ()))
    touched = {p["article"] for p in planted}
    clean = [c for a, cs in by_article.items() if a not in touched for c in cs]
    arts = {a["article_id"]: a for a in pq.read_table(
        out / "articles.parquet", columns=["article_id", "duplicates_archive", "copy_of"]).to_pylist()}
    copies = [p for p in planted if "of" in p]
    copy_found = Counter()
    copy_total = Counter()
    changed_flagged = 0
    for p in copies:
        copy_total[p["type"]] += 1
        row = arts.get(p["article"], {})
        copy_found[p["type"]] += bool(row.get("duplicates_archive")) and row.get("copy_of") == p["of"]
        if "start" in p:
            changed_flagged += any(c["verdict"] == "mismatch" and c["start"] < p["end"]
                                   and p["start"] < c["end"] for c in by_article.get(p["article"], ()))
    return {
        "errors": {t: {"planted": total[t], "found": found[t],
                       "recall": round(found[t] / total[t], 3)} for t in sorted(total)},
        "errors_recall": round(sum(found.values()) / max(1, sum(total.values())), 3),
        "clean_claims": len(clean),
        "clean_mismatch_per_1000": round(1000 * sum(c["verdict"] == "mismatch" for c in clean)
                                         / max(1, len(clean)), 2),
        "copies": {t: {"planted": copy_total[t], "found": copy_found[t]} for t in sorted(copy_total)},
        "changed_figure_mismatch": changed_flagged,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000", help="archive sizes, comma-separated")
    ap.add_argument("--workers", default="1,2", help="worker counts to run at the largest size "
                    "(smaller sizes run with the largest worker count only)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_audit_"))
    results = []
    for n in sizes:
        data = base / f"archive_{n}"
        archive, gen_seconds = generate(n, data, args.seed)
        words = None
        for w in (worker_counts if n == max(sizes) else [max(worker_counts)]):
            out = base / f"audit_{n}_w{w}"
            if out.exists():
                import shutil

                shutil.rmtree(out)
            r = run_audit(archive, out, w)
            summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            if words is None:
                import pyarrow.parquet as pq

                words = sum(x or 0 for x in pq.read_table(out / "articles.parquet",
                                                           columns=["words"])["words"].to_pylist())
            row = {"articles": n, "workers": w, "generate_seconds": round(gen_seconds, 1),
                   "words_per_article": round(words / n), **{k: round(v, 1) for k, v in r.items()},
                   "articles_per_s": round(n / r["seconds"], 1),
                   "seconds_per_1000": round(1000 * r["seconds"] / n, 2),
                   "claims": summary["claims"], "mismatch": summary["verdicts"]["mismatch"]}
            if w == max(worker_counts):
                row["planted"] = score_planted(data, out)
            results.append(row)
            print(json.dumps(row) if args.json else
                  f"{n:>8,} articles  {w} worker(s)  {r['seconds']:7.1f} s  "
                  f"{row['articles_per_s']:6.0f} articles/s  {row['seconds_per_1000']:5.2f} s/1k  "
                  f"peak RSS {r['peak_rss_mb']:6.0f} MB (largest process "
                  f"{r['largest_process_mb']:.0f} MB)  ~{row['words_per_article']} words/article",
                  flush=True)
            if "planted" in row and not args.json:
                p = row["planted"]
                print(f"          planted errors found {p['errors_recall']:.3f}: " + ", ".join(
                    f"{t} {v['found']}/{v['planted']}" for t, v in p["errors"].items()))
                print(f"          mismatches per 1,000 claims in untouched articles: "
                      f"{p['clean_mismatch_per_1000']} ({p['clean_claims']:,} claims); copies: "
                      + ", ".join(f"{t} {v['found']}/{v['planted']}" for t, v in p["copies"].items())
                      + f" (changed figure a mismatch in {p['changed_figure_mismatch']})")
    if not args.keep:
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    if os.environ.get("BENCH_AUDIT_RESULTS"):
        Path(os.environ["BENCH_AUDIT_RESULTS"]).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
