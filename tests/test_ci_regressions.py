"""Regression tests for bugs found reviewing the CI formats, configuration and server, each named
after the bug it pins."""

import json
import tomllib
import xml.etree.ElementTree as ET

import pytest

HEAD = "---\ntitle: Magnet exports\ndate: 2025-07-20\n---\n"
WRONG = "China exported 5,000 tons of rare earth magnets to the US in June, up 660% from May.\n"


@pytest.fixture(autouse=True)
def _here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _md(tmp_path, body: str, name: str = "a.md"):
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return str(path)


def test_uppercase_suppression_comment_was_ignored(run, tmp_path):
    path = _md(tmp_path, '<!-- FACTCHECK: ignore[V206] reason="revised" -->\n' + WRONG)
    assert run("check", path, "--format", "concise")[:2] == (0, "")


def test_suppression_inside_a_code_block_was_obeyed(run, tmp_path):
    path = _md(tmp_path, '```\n<!-- factcheck: ignore[*] reason="docs example" -->\n```\n\n' + WRONG)
    assert run("check", path, "--format", "concise")[0] == 1


def test_figures_in_a_suppression_reason_were_claims_in_text_files(run, tmp_path):
    path = tmp_path / "s.txt"
    path.write_text('Dated July 20, 2025.\n\n<!-- factcheck: ignore[V206] reason="was 4,000 tons '
                    'in May" -->\n' + WRONG, encoding="utf-8")
    code, out, _ = run("check", str(path), "--format", "concise")
    assert "4,000" not in out and code == 0


@pytest.mark.parametrize("content", ["fail_on = 5\n", "fail_on = true\n", "show = {}\n"])
def test_a_wrong_type_for_fail_on_meant_none(run, tmp_path, content):
    (tmp_path / "factcheck.toml").write_text(content)
    code, _, err = run("check", _md(tmp_path, WRONG), "--format", "concise")
    assert code == 2 and err.startswith("E023 ")


def test_an_empty_disable_code_turned_every_finding_off(run, tmp_path):
    path = _md(tmp_path, WRONG)
    code, _, err = run("check", path, "--disable", " ", "--format", "concise")
    assert code == 2 and err.startswith("E022 --disable")
    (tmp_path / "factcheck.toml").write_text('disable = [""]\n')
    assert run("check", path, "--format", "concise")[0] == 2


def test_a_broken_pyproject_with_our_table_was_walked_past(run, tmp_path):
    (tmp_path / "factcheck.toml").write_text('fail_on = "none"\n')
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.factcheck]\nfail_on = ["mismatch"\n')
    path = _md(project, WRONG)
    import os

    os.chdir(project)
    code, _, err = run("check", path, "--format", "concise")
    assert code == 2 and "E023" in err and "pyproject.toml" in err


def test_config_pointing_at_a_pyproject_without_our_table(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    code, _, err = run("config", "--config", str(tmp_path / "pyproject.toml"))
    assert code == 2 and "no [tool.factcheck] table" in err


def test_config_show_was_not_valid_toml(run, tmp_path):
    (tmp_path / "factcheck.toml").write_text('disable = ["V305"]\n[tolerance]\nhedge = 0.1\n')
    code, out, _ = run("config", "--show")
    parsed = tomllib.loads(out)
    assert parsed["disable"] == ["V305"] and parsed["tolerance"]["hedge"] == 0.1
    assert "format" not in parsed  # unset: printed as a comment


def test_junit_was_not_well_formed_with_noncharacters(run, tmp_path):
    para = "China exported 353 tons of magnets \uffff to the US in June 2025, a figure that rose.\n"
    path = _md(tmp_path, para + "\n" + para)
    code, out, _ = run("check", path, "--format", "junit")
    ET.fromstring(out)


def test_unwritable_step_summary_crashed(run, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "x.md"))
    code, out, err = run("check", _md(tmp_path, WRONG), "--format", "github")
    assert code == 1 and "::error" in out and err.startswith("warning: cannot write")


def test_sarif_uri_with_a_colon_or_absolute(run, tmp_path):
    from factcheck.formats import _uri

    assert _uri("note:x.md") in ("./note%3Ax.md", "note%3Ax.md")
    assert _uri("docs/a b.md") == "docs/a%20b.md"
    assert _uri(str(tmp_path / "a.md")).startswith("file:///")


def test_records_were_located_by_their_body_lines_in_the_archive(run, tmp_path):
    rows = [{"id": f"r{i}", "date": "2025-07-20", "body": "Intro.\n\n\n" + WRONG} for i in range(3)]
    (tmp_path / "recs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, _ = run("check", "recs.jsonl", "--format", "github")
    errors = [line for line in out.splitlines() if line.startswith("::error")]
    assert [e.split(",")[1] for e in errors] == ["line=1", "line=2", "line=3"]
    assert "[record r0, body line 4:16]" in errors[0]
    sarif = json.loads(run("check", "recs.jsonl", "--format", "sarif")[1])["runs"][0]["results"]
    fingerprints = [r["partialFingerprints"]["factcheckContent/v1"] for r in sarif
                    if r["ruleId"].startswith("V2")]
    assert len(set(fingerprints)) == 3  # one alert a record, not merged


def test_languagetool_offsets_shifted_by_emoji_in_markup():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from factcheck.config import load_settings
    from factcheck.serve import create_app

    data = {"annotation": [{"markup": '<img alt="😀😀">'}, {"text": WRONG}]}
    with TestClient(create_app(load_settings(None, start="/"))) as c:
        r = c.post("/v2/check", data={"data": json.dumps(data), "language": "en",
                                      "date": "2025-07-20"})
        match = next(m for m in r.json()["matches"] if m["rule"]["id"].startswith("FACTCHECK_V2"))
        original = ('<img alt="😀😀">' + WRONG).encode("utf-16-le")
        start, length = 2 * match["offset"], 2 * match["length"]
        assert original[start:start + length].decode("utf-16-le") == "5,000 tons"
        r = c.post("/v1/check", json={"text": WRONG, "disable": [""]})
        assert r.status_code == 422 and r.json()["error"]["code"] == "E027"
        r = c.post("/v2/check", data={"text": WRONG, "language": "en", "date": "2025-07-20",
                                      "disabledRules": "FACTCHECK_"})
        assert any(m["rule"]["id"].startswith("FACTCHECK_V2") for m in r.json()["matches"])


@pytest.mark.parametrize("argv", [["--timeout", "0"], ["--timeout", "-5"], ["--port", "70000"]])
def test_server_limits_out_of_range_were_accepted(run, argv):
    with pytest.raises(SystemExit) as exc:
        run("serve", *argv)
    assert exc.value.code == 2


def test_serve_timeout_zero_in_config(run, tmp_path):
    (tmp_path / "factcheck.toml").write_text("[serve]\ntimeout = 0\nport = 0\n")
    code, _, err = run("config")
    assert code == 2 and "serve.timeout: seconds, more than 0" in err
