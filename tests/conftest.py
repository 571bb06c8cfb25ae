import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest

from factcheck.cli import main


@pytest.fixture
def run():
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""

    def _run(*argv: str):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(argv))
        return code, out.getvalue(), err.getvalue()

    return _run


@pytest.fixture
def run_json(run):
    def _run(*argv: str):
        code, out, err = run(*argv, "--format", "json")
        return code, json.loads(out), err

    return _run
