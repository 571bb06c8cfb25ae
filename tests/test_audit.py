"""factcheck audit: tables, resumption, determinism, engines, bad records."""

import csv
import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from factcheck.audit import AuditOptions, audit
from factcheck.check import Checker
from factcheck.inputs import read_inputs
from factcheck.sources import plan_shards, read_shard

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ["articles.parquet", "articles.csv", "claims.parquet", "claims.csv", "findings.parquet",
           "findings.csv", "audit.sqlite", "summary.json", "summary.html"]


def corpus_records(n: int = 12) -> list[dict]:
    out = []
    for gold in sorted((ROOT / "corpora" / "gold").glob("*.json"))[:n]:
        date = json.loads(gold.read_text(encoding="utf-8"))["date"]
        path = next((ROOT / "corpora" / "articles").glob(gold.stem + ".*"))
        out.append({"id": gold.stem, "title": gold.stem.replace("_", " "), "date": date,
                    "outlet": ("Wire", "Daily", "Weekly")[len(out) % 3],
                    "url": f"https://news.example/{gold.stem}", "body": path.read_text(encoding="utf-8")})
    return out


@pytest.fixture
def archive(tmp_path) -> Path:
    recs = corpus_records()
    recs.insert(3, {"id": "no-body", "date": "2025-07-01"})
    recs.append({**recs[0], "id": "syndicated-copy", "outlet": "Aggregator"})
    path = tmp_path / "archive.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, r in enumerate(recs):
            fh.write(json.dumps(r) + "\n")
            if i == 6:
                fh.write("{not json\n\n")
    return path


def digests(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


def test_audit_writes_every_table_and_they_agree_with_check(archive, tmp_path, run):
    out = tmp_path / "out"
    code, stdout, err = run("audit", str(archive), "--out", str(out), "--shard-size", "4",
                            "--workers", "1", "--format", "json")
    assert code == 2  # two records could not be read; the rest is audited
    summary = json.loads(stdout)
    assert all((out / name).exists() for name in OUTPUTS)
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    assert [a["seq"] for a in articles] == list(range(len(articles))) == list(range(15))
    errors = {a["article_id"]: a["error_code"] for a in articles if a["error_code"]}
    assert errors == {"archive:4": "E007", "archive:8": "E006"}
    assert summary["articles"] == 15 and summary["articles_with_errors"] == 2

    claims = pq.read_table(out / "claims.parquet").to_pylist()
    checker = Checker()
    first = next(a for a in read_inputs([str(archive)]) if not isinstance(a, Exception))
    checked = checker.check(first)
    mine = [c for c in claims if c["article_id"] == first.id]
    assert [(c["start"], c["end"], c["verdict"], c["code"]) for c in mine] == [
        (c.start, c.end, v.verdict, v.code) for c, v in zip(checked.claims, checked.verdicts, strict=True)]
    assert all(first.text[c["start"]:c["end"]] == c["text"] for c in mine)  # character offsets
    assert summary["claims"] == len(claims)
    assert summary["verdicts"]["mismatch"] == sum(c["verdict"] == "mismatch" for c in claims)

    with open(out / "claims.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(claims) and rows[0]["text"] == claims[0]["text"]
    db = sqlite3.connect(out / "audit.sqlite")
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == len(claims)
    assert db.execute("SELECT count(*) FROM mismatches").fetchone()[0] == summary["verdicts"]["mismatch"]
    copy = db.execute("SELECT duplicates_archive, copy_of FROM articles "
                      "WHERE article_id = 'syndicated-copy'").fetchone()
    assert copy[0] > 0 and copy[1] == first.id
    kinds = {r[0] for r in db.execute("SELECT kind FROM findings")}
    assert "archive-duplicate" in kinds


def test_outputs_do_not_depend_on_worker_count_or_engine_runs(archive, tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    audit([str(archive)], AuditOptions(out=str(one), shard_size=3), workers=1)
    audit([str(archive)], AuditOptions(out=str(two), shard_size=3), workers=2)
    assert digests(one) == digests(two)


def test_rerun_skips_written_shards_and_rewrites_the_same_bytes(archive, tmp_path):
    out = tmp_path / "out"
    opts = AuditOptions(out=str(out), shard_size=3)
    first = audit([str(archive)], opts, workers=1)
    before = digests(out)
    shards = sorted((out / ".factcheck-audit" / "shards").iterdir())
    import shutil

    shutil.rmtree(shards[1])
    (shards[0].parent / "000002.tmp-999").mkdir()  # a killed run's half-written shard
    again = audit([str(archive)], opts, workers=1)
    assert sum(not c["skipped"] for c in again.done) == 1
    assert len(again.done) == len(first.done)
    assert digests(out) == before
    assert not (shards[0].parent / "000002.tmp-999").exists()


def test_sigkill_mid_run_then_rerun_loses_and_duplicates_nothing(tmp_path):
    recs = corpus_records(30)
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(4):
            for r in recs:
                fh.write(json.dumps({**r, "id": f"{r['id']}-{k}"}) + "\n")
    clean = tmp_path / "clean"
    audit([str(path)], AuditOptions(out=str(clean), shard_size=5), workers=2)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "factcheck.cli", "audit", str(path), "--out", str(out),
           "--shard-size", "5", "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, cwd=ROOT)
    shards = out / ".factcheck-audit" / "shards"
    deadline = time.time() + 120
    while time.time() < deadline:
        if shards.exists() and len([p for p in shards.iterdir() if "tmp" not in p.name]) >= 4:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers die with it (PDEATHSIG)
    proc.wait()
    written = [p for p in shards.iterdir() if "tmp" not in p.name]
    assert 4 <= len(written) < -(-4 * len(recs) // 5), "the kill should land mid-run"
    assert not (out / "claims.parquet").exists()
    rerun = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert rerun.returncode in (0, 1, 2), rerun.stderr
    assert "resuming" in rerun.stderr
    assert digests(out) == digests(clean)
    arts = pq.read_table(out / "articles.parquet")
    assert arts.num_rows == 4 * len(recs) == len(set(arts["article_id"].to_pylist()))


def test_a_different_audit_in_the_same_out_is_refused_unless_restart(archive, tmp_path, run):
    out = tmp_path / "out"
    audit([str(archive)], AuditOptions(out=str(out), shard_size=4), workers=1)
    code, _, err = run("audit", str(archive), "--out", str(out), "--shard-size", "5", "--quiet")
    assert code == 2 and err.startswith("E017 ") and "options changed" in err
    code, _, err = run("audit", str(archive), "--out", str(out), "--shard-size", "5", "--quiet",
                       "--restart")
    assert code == 2 and "E017" not in err  # 2: the archive's two bad records


def test_an_article_that_crashes_is_recorded_and_the_audit_goes_on(archive, tmp_path, monkeypatch):
    import factcheck.check as check_mod

    real = check_mod.Checker.check

    def flaky(self, article, date=None, result=None, **kwargs):
        if article.id == "002_reuters_magnets_july":
            raise RuntimeError("boom")
        return real(self, article, date, result, **kwargs)

    monkeypatch.setattr(check_mod.Checker, "check", flaky)
    run = audit([str(archive)], AuditOptions(out=str(tmp_path / "o"), shard_size=4), workers=1)
    rows = {a["article_id"]: a for a in pq.read_table(tmp_path / "o" / "articles.parquet").to_pylist()}
    assert rows["002_reuters_magnets_july"]["error_code"] == "E018"
    assert "RuntimeError: boom" in rows["002_reuters_magnets_july"]["error"]
    assert rows["003_bloomberg_rare_earth_products_may"]["claims"] > 0
    assert run.summary["errors"]["E018"] == 1


def test_csv_shards_keep_multiline_records_whole_and_ids_as_check_reads_them(tmp_path):
    path = tmp_path / "news.csv"
    recs = corpus_records(7)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["id", "title", "date", "body"])
        w.writeheader()
        for r in recs:
            w.writerow({"id": "", "title": r["title"], "date": r["date"], "body": r["body"]})
            fh.write("\r\n")  # a blank line between records is not a record
    whole = [(a.id, a.text, a.line) for a in read_inputs([str(path)])]
    plan = plan_shards([str(path)], shard_size=2)
    assert [s.records for s in plan.shards] == [2, 2, 2, 1]
    sharded = [(a.id, a.text, a.line) for s in plan.shards for a in read_shard(s)]
    assert sharded == whole and len(whole) == 7


def test_jsonl_shards_read_the_same_records_as_check(archive):
    whole = [(getattr(a, "id", None), str(a) if isinstance(a, Exception) else a.text)
             for a in read_inputs([str(archive)])]
    plan = plan_shards([str(archive)], shard_size=4)
    sharded = [(getattr(a, "id", None), str(a) if isinstance(a, Exception) else a.text)
               for s in plan.shards for a in read_shard(s)]
    assert sharded == whole


def test_parquet_directory_and_glob_inputs(tmp_path):
    import datetime as dt

    import pyarrow as pa

    recs = corpus_records(3)
    table = pa.table({"id": [r["id"] for r in recs], "body": [r["body"] for r in recs],
                      "date": [dt.date.fromisoformat(r["date"]) for r in recs]})
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=2)
    docs = tmp_path / "drafts" / "june"
    docs.mkdir(parents=True)
    (docs / "a.md").write_text(recs[0]["body"], encoding="utf-8")
    (docs / "b.txt").write_text(recs[1]["body"], encoding="utf-8")
    plan = plan_shards([str(tmp_path / "news.parquet"), str(tmp_path / "drafts")], shard_size=2)
    kinds = [s.kind for s in plan.shards]
    assert kinds == ["parquet", "parquet", "files"]
    arts = [a for s in plan.shards for a in read_shard(s)]
    assert [a.id for a in arts] == [r["id"] for r in recs] + ["june/a", "june/b"]
    assert arts[0].date == recs[0]["date"] and arts[0].date_source == "metadata"
    globbed = plan_shards([str(tmp_path / "drafts" / "**" / "*.md")], shard_size=5)
    assert [Path(p).name for s in globbed.shards for p, _ in s.files] == ["a.md"]


def test_bad_inputs_stop_before_anything_is_written(tmp_path, run):
    code, _, err = run("audit", str(tmp_path / "nothing-*.jsonl"), "--out", str(tmp_path / "o"))
    assert code == 2 and err.startswith("E001 ") and "no file matches" in err
    code, _, err = run("audit", "-", "--out", str(tmp_path / "o"))
    assert code == 2 and err.startswith("E019 ")
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    code, _, err = run("audit", str(tmp_path / "empty.jsonl"), "--out", str(tmp_path / "o"))
    assert code == 2 and err.startswith("E002 ") and "no records" in err
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    code, _, err = run("audit", str(bad), "--out", str(tmp_path / "o"))
    assert code == 2 and err.startswith("E020 ")
    assert not (tmp_path / "o").exists()


def test_summary_page_is_standalone_and_escapes_archive_text(tmp_path):
    recs = corpus_records(2)
    recs[0]["title"] = "<script>alert('x')</script> exports"
    recs[0]["outlet"] = "<b>Evil</b>"
    body = recs[0]["body"].replace("353", "335", 1)  # make sure there is a mismatch to list
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({**r, "body": body if i == 0 else r["body"]})
                              for i, r in enumerate(recs)) + "\n", encoding="utf-8")
    run = audit([str(path)], AuditOptions(out=str(tmp_path / "o")), workers=1)
    page = (tmp_path / "o" / "summary.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;b&gt;Evil&lt;/b&gt;" in page
    assert "http://" not in page.replace('href="https://news.example', "") and "<svg" in page
    assert run.summary["by_outlet"]


def test_terminal_summary_renders_what_a_person_reads(archive, tmp_path):
    from rich.console import Console

    from factcheck.audit_report import render_terminal

    run = audit([str(archive)], AuditOptions(out=str(tmp_path / "o"), shard_size=5), workers=1)
    console = Console(file=io.StringIO(), width=100, color_system=None)
    render_terminal(run.summary, console, run.outputs, 1.5, 10.0)
    text = console.file.getvalue()
    assert "factcheck audit" in text and "could not be read or checked" in text
    assert f"{run.summary['claims']:,}" in text and "audit.sqlite" in text


def test_dask_local_cluster_gives_the_local_result(archive, tmp_path):
    pytest.importorskip("distributed")
    local = tmp_path / "local"
    dask = tmp_path / "dask"
    audit([str(archive)], AuditOptions(out=str(local), shard_size=4), workers=1)
    audit([str(archive)], AuditOptions(out=str(dask), shard_size=4), engine="dask", workers=2)
    assert digests(local) == digests(dask)


def test_near_dupes_finds_a_syndicated_copy_whose_figure_was_changed(tmp_path, run):
    import re

    recs = corpus_records(4)
    body = recs[0]["body"]
    m = re.search(r"([\d,]+) (?:metric )?tons", body)
    changed = body[:m.start(1)] + "9" + body[m.start(1) + 1:]
    recs += [{**recs[0], "id": "exact-copy"}, {**recs[0], "id": "changed-copy", "body": changed}]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    out = tmp_path / "o"
    code, _, err = run("audit", str(path), "--out", str(out), "--near-dupes", "--quiet")
    assert code == 1, err  # a copy whose figures differ is a finding
    db = sqlite3.connect(out / "audit.sqlite")
    rows = db.execute("SELECT article_id, code, message FROM findings "
                      "WHERE kind = 'archive-inconsistent-duplicate'").fetchall()
    assert [(a, c) for a, c, _ in rows] == [("changed-copy", "D201")]
    assert f"{m.group(1)} vs 9{m.group(1)[1:]}" in rows[0][2]
    art = dict(db.execute("SELECT article_id, changed_copies FROM articles").fetchall())
    assert art["changed-copy"] == 1 and art["exact-copy"] == 0
    exact = db.execute("SELECT count(*) FROM findings WHERE article_id = 'exact-copy' "
                       "AND code = 'D101'").fetchone()[0]
    assert exact > 0


def test_quiet_gives_log_lines_and_a_one_line_summary(archive, tmp_path, run):
    code, out, err = run("audit", str(archive), "--out", str(tmp_path / "o"), "--quiet",
                         "--format", "rich", "--shard-size", "5", "--workers", "1")
    lines = err.strip().splitlines()
    assert lines[0] == "factcheck audit: 15 records in 3 shards"
    assert lines[-1].startswith("factcheck audit: 3/3 shards, 15/15 articles, ")
    assert out.count("\n") == 1 and out.startswith("factcheck audit: 15 articles, ")
    assert "2 errors" in out and str(tmp_path / "o") in out


def test_month_chart_shows_empty_months_as_gaps():
    from factcheck.audit_report import _timeline

    months = _timeline({"2024-11": {"supported": 2}, "2025-02": {"mismatch": 1}, "undated": {}})
    assert list(months) == ["2024-11", "2024-12", "2025-01", "2025-02", "undated"]
    assert months["2024-12"] == {}


def test_regression_half_a_surrogate_pair_in_a_record_does_not_stop_the_audit(tmp_path):
    path = tmp_path / "sur.jsonl"
    path.write_text('{"id":"ok","body":"US exports rose 5% in 2023."}\n'
                    '{"id":"cut","title":"Half an emoji \\ud83d","body":"Imports fell 3% \\ud83d"}\n',
                    encoding="utf-8")
    run = audit([str(path)], AuditOptions(out=str(tmp_path / "o")), workers=1)
    rows = pq.read_table(tmp_path / "o" / "articles.parquet").to_pylist()
    assert [r["error_code"] for r in rows] == [None, None]
    assert rows[1]["title"] == "Half an emoji \ufffd" and run.summary["articles"] == 2


def test_regression_a_stray_quote_in_an_unquoted_csv_field_keeps_shards_whole(tmp_path):
    path = tmp_path / "q.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write("id,body\n")
        fh.write('r0,A 5" screen costs 300 dollars.\n')
        w = csv.writer(fh)
        for i in range(1, 12):
            w.writerow([f"r{i}", f"Exports rose {i}%.\n\nImports fell {i}%.\n"])
    whole = [(a.id, a.text) for a in read_inputs([str(path)])]
    for size in (1, 2, 5):
        plan = plan_shards([str(path)], shard_size=size)
        assert [(a.id, a.text) for s in plan.shards for a in read_shard(s)] == whole
    assert len(whole) == 12


def test_regression_a_csv_body_over_128_kb_is_read_not_dropped(tmp_path):
    path = tmp_path / "long.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "body"])
        for i in range(4):
            w.writerow([f"r{i}", ("Exports rose 5%. " * 9000) if i == 1 else "Imports fell 3%."])
    arts = [a for s in plan_shards([str(path)], shard_size=250).shards for a in read_shard(s)]
    assert [a.id for a in arts] == ["r0", "r1", "r2", "r3"]


def test_regression_classic_mac_csv_line_ends_are_read(tmp_path):
    path = tmp_path / "cr.csv"
    path.write_bytes(b"id,body\ra,Exports rose 5% in 2023.\rb,Imports fell 3% in 2023.\r")
    plan = plan_shards([str(path)])
    assert [a.id for s in plan.shards for a in read_shard(s)] == ["a", "b"]


def test_regression_out_inside_the_input_directory_is_not_read_back(tmp_path, run):
    arch = tmp_path / "arch"
    arch.mkdir()
    for i in range(3):
        (arch / f"s{i}.txt").write_text(f"Exports rose {i + 1}% in 2023, story {i}.", encoding="utf-8")
    for _ in range(2):  # the rerun resumes instead of seeing its own outputs as new inputs
        code, out, err = run("audit", str(arch), "--out", str(arch / "audit"), "--quiet",
                             "--format", "json")
        assert code in (0, 1), err
        assert json.loads(out)["articles"] == 3


def test_regression_model_auto_is_recorded_as_the_pipeline_used(archive, tmp_path):
    audit([str(archive)], AuditOptions(out=str(tmp_path / "o")), workers=1)
    manifest = json.loads((tmp_path / "o" / ".factcheck-audit" / "manifest.json").read_text())
    assert manifest["options"]["model"] != "auto"


def test_regression_archive_text_is_not_markup_or_a_script_link(tmp_path):
    from rich.console import Console

    from factcheck.audit_report import render_html, render_terminal

    recs = corpus_records(1)
    body = recs[0]["body"].replace("353", "335", 1)
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({**recs[0], "body": body, "title": "Exports [/bold] fall",
                                "url": "javascript:alert(1)"}) + "\n", encoding="utf-8")
    run = audit([str(path)], AuditOptions(out=str(tmp_path / "o")), workers=1)
    assert run.summary["most_mismatches"]
    console = Console(file=io.StringIO(), width=120, color_system=None)
    render_terminal(run.summary, console, run.outputs)
    assert "Exports [/bold] fall" in console.file.getvalue()
    assert 'href="javascript' not in render_html(run.summary)


def test_regression_a_killed_merge_leaves_no_temporary_tables_after_the_rerun(archive, tmp_path):
    out = tmp_path / "o"
    audit([str(archive)], AuditOptions(out=str(out), shard_size=5), workers=1)
    (out / ".claims.parquet.tmp-4242").write_bytes(b"half a table")
    audit([str(archive)], AuditOptions(out=str(out), shard_size=5), workers=1)
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]
