"""CI behaviour: output formats, --fail-on/--show/--exit-zero, configuration, inline suppressions,
baselines, the pre-commit hook and the documented GitHub Actions workflow."""

import json
import os
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRONG = ("China exported 5,000 tons of rare earth magnets to the US in June, up 660% from May.\n")
RIGHT = ("China exported 353 tons of rare earth magnets to the US in June, up 660% from May.\n")
HEAD = "---\ntitle: Magnet exports\ndate: 2025-07-20\n---\n"


@pytest.fixture
def article(tmp_path, monkeypatch):
    """A Markdown article with one mismatch (V206: the world figure given for the US), in a
    directory with no configuration above it that could leak into the test."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "a.md"
    path.write_text(HEAD + WRONG, encoding="utf-8")
    return path


def test_concise_and_exit_codes(run, article):
    code, out, _ = run("check", str(article), "--format", "concise")
    assert code == 1
    assert re.match(rf"{re.escape(str(article))}:5:16: V2\d\d mismatch '5,000 tons': ", out)


def test_fail_on_decides_the_exit_code_apart_from_show(run, article):
    assert run("check", str(article), "--format", "concise", "--fail-on", "none")[0] == 0
    assert run("check", str(article), "--format", "concise", "--fail-on", "duplicate")[0] == 0
    # hidden from the output, still failing
    code, out, _ = run("check", str(article), "--format", "concise", "--show", "duplicate")
    assert code == 1 and out == ""
    assert run("check", str(article), "--format", "concise", "--exit-zero")[0] == 0
    code, _, err = run("check", str(article), "--fail-on", "typo")
    assert code == 2 and "E022" in err and "unknown category typo" in err


def test_exit_zero_keeps_input_errors(run, article, tmp_path):
    code, _, err = run("check", str(article), str(tmp_path / "missing.md"), "--exit-zero",
                       "--format", "concise")
    assert code == 2 and "E001" in err


def test_jsonl_one_finding_a_line(run, article):
    code, out, _ = run("check", str(article), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["source"] == str(article) for r in rows)
    mismatch = next(r for r in rows if r["category"] == "mismatch")
    text = article.read_text(encoding="utf-8")
    assert text[mismatch["start"]:mismatch["end"]] == mismatch["text"] == "5,000 tons"
    assert re.fullmatch(r"[0-9a-f]{20}", mismatch["fingerprint"])


def test_json_report_lists_findings(run_json, article):
    code, report, _ = run_json("check", str(article))
    assert report["summary"]["failing"] == 1
    assert [f["category"] for f in report["findings"]] == ["mismatch"]


def test_github_annotations_sorted_capped_and_summarised(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("b.md", "a.md"):
        (tmp_path / name).write_text(HEAD + WRONG + "\n" + WRONG.replace("June", "June 2025"),
                                     encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run("check", "b.md", "a.md", "--format", "github")
    lines = out.splitlines()
    annotations = [line for line in lines if not line.startswith("::notice")]
    keys = [(re.search(r"file=([^,]+)", a)[1], int(re.search(r"line=(\d+)", a)[1]))
            for a in annotations]
    assert keys == sorted(keys) and len(keys) >= 4
    assert lines[-1].startswith("::notice title=factcheck::factcheck: 2 documents")
    assert all(a.startswith("::error ") for a in annotations if "mismatch" in a)
    # capped per level (GitHub shows 10 errors and 10 warnings a step), the rest counted
    errors = [a for a in annotations if a.startswith("::error ")]
    warnings = [a for a in annotations if a.startswith("::warning ")]
    code, out, _ = run("check", "b.md", "a.md", "--format", "github", "--max-annotations", "1")
    lines = out.splitlines()
    assert [line.split(" ")[0] for line in lines[:-1]] == ["::error", "::warning"] or \
        sorted(line.split(" ")[0] for line in lines[:-1]) == ["::error", "::warning"]
    hidden = len(errors) + len(warnings) - 2
    assert f"; {hidden} more not annotated (at most 1 of each level" in lines[-1]
    assert "| where | code | finding |" in summary.read_text(encoding="utf-8")


def test_github_escapes_newlines_and_percent():
    from factcheck.formats import _gh_data, _gh_property

    assert _gh_data("50%\nnext") == "50%25%0Anext"
    assert _gh_property("a,b:c") == "a%2Cb%3Ac"


def test_sarif_2_1_0_with_stable_fingerprints(run, article, tmp_path):
    code, out, _ = run("check", str(article), "--format", "sarif")
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run0 = log["runs"][0]
    assert run0["tool"]["driver"]["name"] == "factcheck"
    assert run0["columnKind"] == "unicodeCodePoints"
    rules = run0["tool"]["driver"]["rules"]
    for result in run0["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["message"]["text"]
    first = {r["ruleId"]: r["partialFingerprints"]["factcheckContent/v1"] for r in run0["results"]}
    # a paragraph inserted above moves every line; the fingerprints do not move
    article.write_text(HEAD + "A new first paragraph about something else.\n\n" + WRONG,
                       encoding="utf-8")
    moved = json.loads(run("check", str(article), "--format", "sarif")[1])["runs"][0]["results"]
    assert {r["ruleId"]: r["partialFingerprints"]["factcheckContent/v1"] for r in moved} == first
    assert moved[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7


def test_junit_xml(run, article, tmp_path):
    clean = tmp_path / "clean.md"
    clean.write_text(HEAD + RIGHT, encoding="utf-8")
    code, out, _ = run("check", str(article), str(clean), "--format", "junit")
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(article), str(clean)]
    assert suites[0].get("failures") == "1" and suites[1].get("failures") == "0"
    failure = suites[0].find("testcase/failure")
    assert failure.get("type").startswith("V2") and "5,000 tons" in failure.get("message")


# ---------------------------------------------------------------------------------------------
# configuration

def test_config_from_pyproject_and_where_it_came_from(run, article, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.factcheck]\nfail_on = ["duplicate"]\n'
        'disable = ["V3"]\n\n[tool.factcheck.tolerance]\nhedge = 0.1\n', encoding="utf-8")
    code, out, _ = run("config", "--show")
    assert code == 0
    assert f"# configuration file: {tmp_path / 'pyproject.toml'}" in out
    line = next(x for x in out.splitlines() if x.startswith("fail_on"))
    assert '["duplicate"]' in line and "pyproject.toml [tool.factcheck]" in line
    assert re.search(r"^show = .*# default$", out, re.M)
    assert re.search(r"^tolerance.hedge = 0.1 .*pyproject", out, re.M)
    # the file decides the exit code; the command line beats the file
    assert run("check", str(article), "--format", "concise")[0] == 0
    assert run("check", str(article), "--format", "concise", "--fail-on", "mismatch")[0] == 1
    code, out, _ = run("config", "--show", "--format", "json", "--isolated")
    assert json.loads(out)["settings"]["fail_on"]["source"] == "default"


def test_factcheck_toml_wins_and_is_found_from_a_subdirectory(run, article, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.factcheck]\nfail_on = "none"\n')
    (tmp_path / "factcheck.toml").write_text('fail_on = ["mismatch"]\nformat = "concise"\n')
    sub = tmp_path / "desk"
    sub.mkdir()
    os.chdir(sub)
    code, out, _ = run("check", str(article))
    assert code == 1 and " mismatch " in out  # format from the file, not json
    code, out, _ = run("config", "--format", "json")
    settings = json.loads(out)["settings"]
    assert settings["format"] == {"value": "concise", "source": str(tmp_path / "factcheck.toml")}


def test_configured_tolerance_changes_the_reading_of_about(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "about.md"
    # official: 353 t; "about 330" reads 313.5..346.5 at 5%, 297..363 at 10%
    path.write_text(HEAD + "China exported about 330 tons of rare earth magnets to the US in "
                    "June.\n", encoding="utf-8")
    assert run("check", str(path), "--format", "concise")[0] == 1
    (tmp_path / "factcheck.toml").write_text("[tolerance]\nhedge = 0.1\n")
    code, out, _ = run("check", str(path), "--format", "concise")
    assert code == 0, out
    (tmp_path / "factcheck.toml").unlink()
    assert run("check", str(path), "--format", "concise")[0] == 1  # not left behind


@pytest.mark.parametrize("content, problem", [
    ("fail_on = [\n", "not valid TOML"),
    ("failon = []\n", "unknown key failon"),
    ('fail_on = ["typo"]\n', "unknown category typo"),
    ('disable = ["X9"]\n', "no finding code starts X9"),
    ("[tolerance]\nhedge = 5\n", "a share below 1"),
    ('format = "pdf"\n', "format: one of"),
])
def test_bad_configuration_is_one_coded_line(run, article, tmp_path, content, problem):
    (tmp_path / "factcheck.toml").write_text(content)
    code, out, err = run("check", str(article), "--format", "concise")
    assert code == 2 and out == ""
    assert err.startswith("E023 ") and problem in err and err.count("\n") == 1


def test_config_reference_dirs_are_relative_to_the_file(run, article, tmp_path):
    (tmp_path / "factcheck.toml").write_text('reference = ["mydata"]\n')
    code, _, err = run("check", str(article))
    assert code == 2 and "E015" in err and str(tmp_path / "mydata") in err


# ---------------------------------------------------------------------------------------------
# inline suppressions

def test_suppression_for_the_next_paragraph_with_its_reason(run_json, article):
    article.write_text(HEAD + '<!-- factcheck: ignore[V2] reason="desk checked: revised" -->\n'
                       + WRONG, encoding="utf-8")
    code, report, _ = run_json("check", str(article))
    assert code == 0 and report["findings"] == []
    assert report["suppressed"][0]["suppressed"] == "desk checked: revised"
    assert report["summary"]["suppressed"] == 1


def test_suppression_covers_only_the_next_paragraph(run_json, article):
    article.write_text(HEAD + "<!-- factcheck: ignore[V206] -->\nShipments rose.\n\n" + WRONG,
                       encoding="utf-8")
    code, report, _ = run_json("check", str(article))
    assert code == 1
    assert {f["code"] for f in report["findings"]} == {"S101", "V206"}


def test_unused_and_malformed_suppressions_are_reported(run, article):
    article.write_text(HEAD + "<!-- factcheck: ignore[C201] reason=\"no\" -->\nShipments rose."
                       "\n\n<!-- factcheck: ignore[Z1] -->\nMore.\n\n<!-- factcheck: skip -->\nEnd.\n",
                       encoding="utf-8")
    code, out, _ = run("check", str(article), "--format", "concise")
    assert code == 0  # suppression findings warn; --fail-on suppression makes them fail
    assert ":5:1: S101 suppression-unused ignore[C201] matched no finding" in out
    assert ":8:1: S102 suppression-malformed unknown code Z1" in out
    assert ":11:1: S102 suppression-malformed expected ignore" in out
    assert run("check", str(article), "--fail-on", "suppression", "--format", "concise")[0] == 1


def test_suppression_in_html(run_json, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>Published 2025-07-20.</p>\n<!-- factcheck: ignore[V206] "
                    "reason='revised' -->\n<p>" + WRONG.strip() + "</p></body></html>",
                    encoding="utf-8")
    code, report, _ = run_json("check", str(page), "--date", "2025-07-20")
    assert code == 0 and [s["code"] for s in report["suppressed"]] == ["V206"]


# ---------------------------------------------------------------------------------------------
# baselines

def test_baseline_reports_only_new_findings(run, article, tmp_path):
    baseline = tmp_path / "baseline.json"
    code, _, err = run("baseline", str(article), "-o", str(baseline))
    assert code == 0 and "findings written to" in err
    data = json.loads(baseline.read_text(encoding="utf-8"))
    keys = [(f["source"], f["document"], f["code"], f["fingerprint"]) for f in data["findings"]]
    assert keys == sorted(keys) and data["schema"] == "factcheck.baseline/1"
    assert run("check", str(article), "--baseline", str(baseline), "--format", "concise")[:2] == (0, "")
    # edits above do not revive it; a new wrong figure is reported alone
    article.write_text(HEAD + "An opening paragraph.\n\n" + WRONG + "\n"
                       + WRONG.replace("5,000", "9,000").replace("the US", "Germany"),
                       encoding="utf-8")
    code, out, _ = run("check", str(article), "--baseline", str(baseline), "--format", "concise")
    assert code == 1 and "9,000" in out and "'5,000 tons'" not in out


def test_baseline_from_configuration(run, article, tmp_path):
    (tmp_path / "factcheck.toml").write_text('baseline = "known.json"\n')
    assert run("baseline", str(article))[0] == 0  # written to the configured path
    assert (tmp_path / "known.json").exists()
    assert run("check", str(article), "--format", "concise")[:2] == (0, "")


def test_bad_baseline_file(run, article, tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text('{"schema": "something else"}')
    code, _, err = run("check", str(article), "--baseline", str(bad))
    assert code == 2 and err.startswith("E024 ")


# ---------------------------------------------------------------------------------------------
# codes, pre-commit, GitHub Actions

def test_every_finding_code_has_a_documented_page():
    from factcheck.findings import CODE_INFO

    for code in CODE_INFO:
        page = ROOT / "docs" / "codes" / f"{code}.md"
        assert page.exists(), code
        text = page.read_text(encoding="utf-8")
        assert text.startswith(f"# {code}"), code
        for section in ("## What it means", "## Example", "## How to fix"):
            assert section in text, (code, section)


def test_pre_commit_hook_runs_as_pre_commit_would(run, article, tmp_path):
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "factcheck")
    assert hook["language"] == "python"
    argv = shlex.split(hook["entry"]) + hook.get("args", [])
    assert argv[0] == "factcheck"
    assert re.search(hook["files"], "news/story.md") and not re.search(hook["files"], "x.py")
    clean = tmp_path / "clean.md"
    clean.write_text(HEAD + RIGHT, encoding="utf-8")
    # pre-commit appends the staged file names
    code, out, _ = run(*argv[1:], str(clean))
    assert code == 0
    code, out, _ = run(*argv[1:], str(article), str(clean))
    assert code == 1 and "mismatch" in out


def _workflow() -> dict:
    import yaml

    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.github/workflows/factcheck\.yml\n.*?)```", doc, re.S)[1]
    example = (ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8")
    assert block == example, "docs/ci.md and examples/github-workflow.yml differ"
    return yaml.safe_load(example)


def test_github_actions_example_runs(run, article, tmp_path, monkeypatch):
    workflow = _workflow()
    steps = workflow["jobs"]["factcheck"]["steps"]
    commands = [line.strip() for s in steps if "run" in s for line in s["run"].splitlines()
                if line.strip().startswith("factcheck ")]
    assert any("--format github" in c for c in commands)
    assert any("--format sarif" in c for c in commands)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "story.md").write_text(HEAD + WRONG, encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    for command in commands:
        argv = shlex.split(command)[1:]
        code, out, err = run(*argv)
        assert code in (0, 1), (command, err)
    assert (tmp_path / "factcheck.sarif").exists()


def test_every_configuration_key_is_documented():
    from factcheck.config import KEYS

    page = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key, (default, meaning) in KEYS.items():
        assert f"| `{key}` | `{json.dumps(default)}` | {meaning} |" in page, key


def test_baseline_works_from_another_directory(run, tmp_path, monkeypatch):
    # regression: sources were stored as given, so a check run from elsewhere missed them all
    (tmp_path / "docs").mkdir()
    story = tmp_path / "docs" / "a.md"
    story.write_text(HEAD + WRONG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("baseline", "docs/a.md", "-o", "bl.json")[0] == 0
    assert json.loads((tmp_path / "bl.json").read_text())["findings"][0]["source"] == "docs/a.md"
    monkeypatch.chdir(tmp_path / "docs")
    assert run("check", "a.md", "--baseline", "../bl.json", "--format", "concise")[:2] == (0, "")
    assert run("check", str(story), "--baseline", str(tmp_path / "bl.json"),
               "--format", "concise")[:2] == (0, "")
