"""``factcheck serve``'s flags, kept apart from serve.py so ``--help`` needs no FastAPI import."""

from __future__ import annotations


def _port(value: str) -> int:
    import argparse

    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError("a port number, 0 to 65535 (0: any free port)")
    return int(value)


def _seconds(value: str) -> float:
    import argparse

    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError("seconds, more than 0")
    return seconds


def add_serve_parser(sub, add_reference_flag, add_model_flag, add_config_flags,
                     positive_int) -> None:
    sv = sub.add_parser(
        "serve", help="the editor's page and the HTTP API (FastAPI; pip install -e '.[serve]')",
        description="Serve the editor's page at / and the API: POST /v1/check (the "
                    "factcheck.report/1 JSON), GET /v1/series, GET /healthz, and a "
                    "LanguageTool-compatible POST /v2/check for editor plugins; the OpenAPI "
                    "document at /openapi.json. Binds 127.0.0.1 unless --host says otherwise. "
                    "The reference data and pipeline are loaded once at start-up; checks run "
                    "off the event loop with a per-request time cap and a body-size cap. The API "
                    "reads no files: only the text posted. CORS is off unless --cors-origin (or "
                    "serve.cors_origins) names origins.")
    sv.add_argument("--host", help="address to bind (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=_port, help="port (default 8765; 0 picks a free one)")
    sv.add_argument("--cors-origin", metavar="ORIGIN", action="append",
                    help="allow browser calls from ORIGIN (repeatable; '*' for any)")
    sv.add_argument("--max-body-bytes", type=positive_int, metavar="N",
                    help="largest request body accepted, in bytes (default 2,000,000; 413 above)")
    sv.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                    help="most time a check may take (default 10; 504 after)")
    add_reference_flag(sv)
    add_model_flag(sv)
    add_config_flags(sv)
