"""CLI docs stay in step with --help (sqlite-utils style)."""

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_cli_md_matches_help(monkeypatch):
    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    monkeypatch.setenv("COLUMNS", "100")
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == gen.render(), \
        "docs/cli.md is stale: run python docs/gen_cli.py"


def test_version(run):
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("factcheck 0.")


def test_broken_pipe_is_quiet(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "a.txt"
    f.write_text("Exports rose 5% in May.\n" * 2000)
    proc = subprocess.run(f"{sys.executable} -m factcheck.cli extract {f} --format json | head -1",
                          shell=True, capture_output=True, text=True)
    assert proc.stdout.strip() == "{" and "Broken pipe" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_error_code_is_documented_with_its_fix():
    from pathlib import Path

    from factcheck.errors import ERRORS

    page = (Path(__file__).resolve().parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    for code, (name, fix) in ERRORS.items():
        assert f"| {code} | {name} | {fix} |" in page, code
