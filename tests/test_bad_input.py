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
