"""Every bad input: one line on stderr naming the file (and line), exit 2, others still processed."""

from factcheck.inputs import DEFAULT_MAX_BYTES

GOOD = "China's exports of rare earth magnets rose 12% to 5,000 tons in May.\n"


def _lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def test_missing_path_reports_and_continues(run_json, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    code, report, err = run_json("extract", str(tmp_path / "nope.txt"), str(good))
    assert code == 2
    assert _lines(err) == [f"E001 {tmp_path / 'nope.txt'}: file not found; check the path"]
    assert [c["text"] for c in report["claims"]] == ["12%", "5,000 tons"]
    assert report["errors"][0]["code"] == "E001"


def test_empty_file(run_json, tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("  \n")
    code, report, err = run_json("extract", str(f))
    assert code == 2 and err.startswith(f"E002 {f}: empty input")


def test_binary_file(run_json, tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    code, _, err = run_json("extract", str(f))
    assert code == 2 and err.startswith(f"E003 {f}: binary file")
    assert len(_lines(err)) == 1


def test_cp1252_text_is_decoded(run_json, tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("China\u2019s exports fell 18.9% \u2013 to 22,319 tons.\n".encode("cp1252"))
    code, report, err = run_json("extract", str(f))
    assert code == 0, err
    assert [c["value"] for c in report["claims"]] == [18.9, 22319]


def test_utf16_with_bom(run_json, tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes(GOOD.encode("utf-16"))
    code, report, _ = run_json("extract", str(f))
    assert code == 0 and len(report["claims"]) == 2


def test_wrong_forced_encoding_names_the_fix(run_json, tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("caf\u00e9 5%".encode("utf-16-le"))
    code, _, err = run_json("extract", str(f), "--encoding", "ascii")
    assert code == 2 and err.startswith(f"E005 {f}: undecodable text") and "--encoding" in err


def test_huge_file_refused_without_reading_it(run_json, tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.seek(50_000_000)
        fh.write(b"x")
    code, report, err = run_json("extract", str(f))
    assert code == 2
    assert err.startswith(f"E004 {f}: file too large (50.0 MB > {DEFAULT_MAX_BYTES / 1e6:.0f} MB)")
    assert report["claims"] == []


def test_bad_jsonl_line_names_the_line_and_keeps_the_rest(run_json, tmp_path):
    f = tmp_path / "arch.jsonl"
    f.write_text('{"id": "a", "date": "2025-07-20", "body": "Exports rose 5% last month."}\n'
                 "{not json}\n"
                 '{"id": "c", "body": "Imports fell 3%."}\n'
                 '{"id": "d", "title": "no body"}\n')
    code, report, err = run_json("extract", str(f))
    assert code == 2
    lines = _lines(err)
    assert lines[0].startswith(f"E006 {f}:2: bad JSON record")
    assert lines[1].startswith(f"E007 {f}:4: record has no body")
    assert [(c["article"], c["value"]) for c in report["claims"]] == [("a", 5), ("c", 3)]
    assert report["claims"][0]["frame"]["period"] == "2025-06"


def test_csv_records(run_json, tmp_path):
    f = tmp_path / "arch.csv"
    f.write_text('id,date,body\nx1,2025-08-20,"Exports rose 21% to 6,146 tons in July."\n')
    code, report, _ = run_json("extract", str(f))
    assert code == 0
    assert [c["value"] for c in report["claims"]] == [21, 6146]
    assert report["articles"][0]["date"] == "2025-08-20"


def test_bad_date_option(run, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    code, _, err = run("extract", str(f), "--date", "20/07/2025")
    assert code == 2 and err.startswith("E009 --date: bad date")


def test_output_file_is_written_atomically(run, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    out = tmp_path / "report.json"
    code, stdout, _ = run("extract", str(f), "--format", "json", "-o", str(out))
    assert code == 0 and stdout == ""
    assert out.read_text().startswith("{") and not list(tmp_path.glob("*.tmp-*"))


def test_regression_non_string_title_does_not_kill_the_run(run_json, tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "b", "title": ["x"], "body": "Imports fell 5%."}\n'
                 '{"id": "c", "title": 5, "body": "Exports rose 7%."}\n')
    code, report, _ = run_json("extract", str(f))
    assert code == 0 and [c["value"] for c in report["claims"]] == [5, 7]


def test_regression_jsonl_with_raw_line_separators(run_json, tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "a", "body": "Exports rose 5%.\\u2028Imports fell 3%."}\n'.replace(
        "\\u2028", "\u2028") + '{"id": "b", "body": "Sales rose 9%.\\u0085"}\n'.replace("\\u0085", "\u0085"))
    code, report, err = run_json("extract", str(f))
    assert code == 0, err
    assert [c["article"] for c in report["claims"]] == ["a", "a", "b"]


def test_regression_loose_metadata_dates_are_read_and_bad_ones_noted(run_json, tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "a", "date": "20/07/2025", "body": "Exports rose 5% last month."}\n'
                 '{"id": "b", "date": "sometime", "body": "Exports rose 5% last month."}\n')
    code, report, _ = run_json("extract", str(f))
    assert code == 0
    a, b = report["articles"]
    assert a["date"] == "2025-07-20" and report["claims"][0]["frame"]["period"] == "2025-06"
    assert b["date"] is None and "unreadable metadata date 'sometime'" in b["notes"][0]


def test_regression_date_option_wins_over_a_bad_front_matter_date(run_json, tmp_path):
    f = tmp_path / "a.md"
    f.write_text("---\ntitle: X\ndate: sometime in July\n---\nExports rose 5% last month.\n")
    code, report, _ = run_json("extract", str(f), "--date", "2025-07-20")
    assert code == 0 and report["claims"][0]["frame"]["period"] == "2025-06"


def test_regression_cp1252_euro_sign(run_json, tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"Revenue was \x80120m and exports rose 12% to 3,188 tonnes \x96 a record \x93high\x94.")
    code, report, _ = run_json("extract", str(f))
    assert [(c["value"], c["unit"]) for c in report["claims"]][:2] == [(120000000, "EUR"), (12, "pct")]


def test_regression_stdin_json_array_and_template_text(run_json, monkeypatch):
    import io
    import sys

    data = b'[{"id": "x", "body": "Exports rose 5%."}]'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, report, _ = run_json("extract", "-")
    assert code == 0 and report["claims"][0]["article"] == "x"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"{{template}} Exports rose 5%.")))
    code, report, _ = run_json("extract", "-")
    assert code == 0 and report["claims"][0]["value"] == 5


def test_regression_directory_ids_keep_their_subfolder(run_json, tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "story.txt").write_text("Exports rose 5%.\n")
    _, report, _ = run_json("extract", str(tmp_path))
    assert [a["id"] for a in report["articles"]] == ["a/story", "b/story"]


def test_regression_unwritable_output_and_missing_model_are_coded_errors(run, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    code, _, err = run("extract", str(f), "-o", str(tmp_path / "nope" / "out.json"))
    assert code == 2 and err.startswith("E013 ")
    code, _, err = run("extract", str(f), "-o", str(tmp_path))
    assert code == 2 and err.startswith("E013 ") and not list(tmp_path.glob("*.tmp-*"))
    code, _, err = run("extract", str(f), "--model", "no_such_model_xyz")
    assert code == 2 and err.startswith("E014 no_such_model_xyz: spaCy pipeline not found")


def test_regression_max_bytes_must_be_positive(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    proc = subprocess.run([sys.executable, "-m", "factcheck.cli", "extract", str(f), "--max-bytes", "0"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "must be more than 0" in proc.stderr
