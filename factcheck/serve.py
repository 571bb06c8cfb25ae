"""``factcheck serve``: the editor's page and the HTTP API (FastAPI + uvicorn, the ``serve``
extra).

- The reference data and the pipeline are loaded once, when the app is made (``Engine``); each
  check runs in a small thread pool, off the event loop, under a time cap.
- The API reads no files and takes no paths: only the text posted. Reference directories and the
  model are the server's own settings.
- Every error is one JSON shape: ``{"error": {"code": ..., "message": ...}}``.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any, Literal

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import SCHEMA, __version__
from .deadline import CheckTimeout, limit
from .errors import FactcheckError

Category = Literal["mismatch", "inconsistent", "duplicate", "unverifiable", "suppression"]
CHECK_THREADS = 2
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# the page is one file: its script and style inline, nothing fetched but the API
PAGE_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


# ---------------------------------------------------------------------------------------------
# the models: what the OpenAPI document says the API takes and gives

class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the article: plain text, Markdown or HTML")
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                             description="publication date YYYY-MM-DD; without it, the "
                                         "article's own metadata or dateline is used")
    format: Literal["auto", "text", "markdown", "html"] = Field(
        "auto", description="how to read the text; auto: HTML if it looks like HTML, "
                            "Markdown with front matter, else text")
    title: str | None = Field(None, description="headline, when it is not in the text")
    show: list[Category] | None = Field(None, description="finding categories to list "
                                                            "(default: all)")
    disable: list[str] | None = Field(None, description="finding codes or prefixes to turn off "
                                                        "for this request (V305, C2)")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class CheckReport(BaseModel):
    """The ``factcheck.report/1`` JSON of one document (docs/schema.md)."""

    model_config = ConfigDict(extra="allow")

    schema_: str = Field(alias="schema", description=f"always {SCHEMA}")
    generator: dict[str, Any]
    offsets: str = Field(description="offsets are character (code point) offsets into the "
                                     "exact text posted")
    document: dict[str, Any]
    summary: dict[str, Any]
    claims: list[dict[str, Any]]
    consistency: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    suppressed: list[dict[str, Any]]
    notes: list[str]
    reference: dict[str, Any]
    errors: list[dict[str, Any]]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    model: str
    reference: dict[str, Any]


class SeriesList(BaseModel):
    series: list[dict[str, Any]]


class LTMatch(BaseModel):
    model_config = ConfigDict(extra="allow")

    message: str
    shortMessage: str
    offset: int = Field(description="UTF-16 code units, as LanguageTool counts")
    length: int
    replacements: list[dict[str, str]]
    context: dict[str, Any]
    sentence: str
    rule: dict[str, Any]
    type: dict[str, str]


class LTResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    software: dict[str, Any]
    language: dict[str, Any]
    matches: list[LTMatch]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "request body over the server's cap"},
    422: {"model": ErrorBody, "description": "a field is missing or malformed"},
    504: {"model": ErrorBody, "description": "the check took longer than the server's cap"},
}


# ---------------------------------------------------------------------------------------------
# the engine: loaded once

class Engine:
    def __init__(self, settings) -> None:
        from .check import Checker
        from .cli import make_runner, policy_from, resolve_model

        self.settings = settings
        self.checker = Checker(tuple(settings["reference"]), settings.tolerances())
        self.model = resolve_model(settings["model"])
        runner = make_runner(self.model)
        self.runner = _Serialised(runner) if runner is not None else None
        self.policy = policy_from(settings)

    def check(self, text: str, date: str | None = None, fmt: str = "auto",
              title: str | None = None, show=None, disable=None):
        """(report dict, findings) for one posted text."""
        from dataclasses import replace

        from .findings import collect
        from .inputs import _article, _sniff_format, check_date
        from .report import build_check_report

        date = check_date(date, "date") if date else None
        fmt = _sniff_format(text) if fmt == "auto" else fmt
        article = _article(text, "request", "request", fmt, "utf-8", title=title)
        policy = self.policy
        if show is not None:
            policy = replace(policy, show=tuple(show))
        if disable:
            from .findings import check_codes

            policy = replace(policy, disable=policy.disable + check_codes(disable, "disable",
                                                                          "E027"))
        # the thread stops at the request's time cap instead of running on after the 504
        with limit(float(self.settings["serve.timeout"])):
            checked = self.checker.check(article, date, runner=self.runner)
        found = collect(checked, policy)
        report = build_check_report([checked], [], self.checker.ref, [found], policy)
        return report, found, policy


class _Serialised:
    """A spaCy runner used by one check thread at a time: a pipeline is not shared between
    threads; the rest of the check runs unlocked."""

    def __init__(self, runner) -> None:
        self.runner = runner
        self.lock = threading.Lock()

    def extract_article(self, *args, **kwargs):
        with self.lock:
            return self.runner.extract_article(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# limits

class BodyLimit:
    """413 for a body over ``limit`` bytes, by Content-Length or while it streams in."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _send_error(send, 413, "E025", self._message())
        # read the body up to the cap before the app sees it (FastAPI would turn an error
        # raised while it parses into a 400), then replay it
        chunks, received = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            received += len(message.get("body", b""))
            if received > self.limit:
                return await _send_error(send, 413, "E025", self._message())
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _message(self) -> str:
        return error_message("E025", "request", f"over {self.limit:,} bytes")


async def _send_error(send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            *[(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]]})
    await send({"type": "http.response.body", "body": body})


def error_message(code: str, source: str, detail: str = "") -> str:
    return str(FactcheckError(code, source, detail))


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


# ---------------------------------------------------------------------------------------------
# LanguageTool's protocol

_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def utf16_index(text: str):
    """A function: code-point offset -> UTF-16 offset (LanguageTool and JavaScript count so)."""
    if not _ASTRAL_RE.search(text):
        return lambda i: i
    cumulative = [0]
    for ch in text:
        cumulative.append(cumulative[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return lambda i: cumulative[i]


def lt_text(text: str | None, data: str | None) -> tuple[str, str]:
    """(the text to check, the text as sent): ``text``, or ``data``'s annotation with each
    markup part replaced by its ``interpretAs`` padded to the markup's length, so code-point
    offsets are those of the annotated original (UTF-16 offsets are counted on the original)."""
    if text is not None:
        return text, text
    try:
        parts = json.loads(data or "")["annotation"]
        out, original = [], []
        for part in parts:
            if "text" in part:
                out.append(str(part["text"]))
                original.append(str(part["text"]))
            else:
                markup = str(part.get("markup", ""))
                meant = str(part.get("interpretAs", ""))[:len(markup)]
                out.append(meant + " " * (len(markup) - len(meant)))
                original.append(markup)
        return "".join(out), "".join(original)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise FactcheckError("E027", "data", "expected {\"annotation\": [{\"text\": ...}, "
                             "{\"markup\": ..., \"interpretAs\": ...}]}") from None


LT_ISSUE_TYPE = {"mismatch": "inconsistency", "inconsistent": "inconsistency",
                 "duplicate": "duplication", "unverifiable": "uncategorized",
                 "suppression": "uncategorized"}


def lt_matches(found, policy, text: str, original: str | None = None) -> list[dict]:
    from .findings import CODE_INFO

    to16 = utf16_index(original or text)
    sentences = found.checked.result.document.sentences
    out = []
    for a in found.shown(policy):
        sentence = next((text[s.start:s.end] for s in sentences if s.start <= a.start < s.end), "")
        c0, c1 = max(0, a.start - 40), min(len(text), a.end + 40)
        context = text[c0:c1].replace("\n", " ")
        info = CODE_INFO[a.code]
        out.append({
            "message": a.message, "shortMessage": f"{a.label} {a.code}",
            "offset": to16(a.start), "length": to16(a.end) - to16(a.start),
            "replacements": [],
            "context": {"text": context, "offset": to16(a.start) - to16(c0),
                        "length": to16(a.end) - to16(a.start)},
            "sentence": sentence,
            "type": {"typeName": "Other"},
            "rule": {"id": f"FACTCHECK_{a.code}", "description": info.title,
                     "issueType": LT_ISSUE_TYPE[a.category],
                     "category": {"id": f"FACTCHECK_{a.category.upper()}",
                                  "name": f"Fact check: {a.category}"},
                     "urls": []},
            "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
        })
    return out


# ---------------------------------------------------------------------------------------------
# the app

def create_app(settings=None) -> FastAPI:
    """The FastAPI app, its engine loaded. ``settings``: config.Settings (defaults if None)."""
    from fastapi.middleware.cors import CORSMiddleware

    from .config import load_settings
    from .data_cmd import series_rows

    settings = settings or load_settings(None)
    engine = Engine(settings)
    executor = ThreadPoolExecutor(max_workers=CHECK_THREADS, thread_name_prefix="factcheck")
    timeout = float(settings["serve.timeout"])
    page = resources.files("factcheck").joinpath("static/index.html").read_text("utf-8")
    series = {"series": series_rows(engine.checker.ref)}

    app = FastAPI(title="factcheck", version=__version__,
                  description="Fact-check the numbers in news copy against official customs "
                              "figures. Offsets in /v1 are character (Unicode code point) "
                              "offsets into the exact text posted; /v2 speaks LanguageTool's "
                              "protocol, whose offsets count UTF-16 code units.")
    app.state.engine = engine

    async def run(fn, *args):
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(executor, fn, *args), timeout)
        except (TimeoutError, CheckTimeout):
            raise _Timeout from None

    @app.exception_handler(_Timeout)
    async def timed_out(request: Request, exc: _Timeout):
        return _error(504, "E026", error_message("E026", request.url.path,
                                                 f"over {timeout:g} s"))

    @app.exception_handler(FactcheckError)
    async def bad_input(request: Request, exc: FactcheckError):
        status = 422 if exc.code in ("E002", "E009", "E022", "E027") else 400
        return _error(status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}"
                             for e in exc.errors())
        return _error(422, "E027", error_message("E027", request.url.path, problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, f"HTTP{exc.status_code}", str(exc.detail))

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index():
        return HTMLResponse(page, headers={"Content-Security-Policy": PAGE_CSP,
                                           "Cache-Control": "no-store"})

    @app.get("/healthz", response_model=Health, summary="liveness and what is loaded")
    async def healthz():
        ref = engine.checker.ref
        return {"status": "ok", "version": __version__, "model": engine.model,
                "reference": {"directories": list(ref.dirs), "figures": len(ref.figures),
                              "series": len(ref.series)}}

    @app.get("/v1/series", response_model=SeriesList, summary="the official series")
    async def list_series():
        return series

    @app.post("/v1/check", response_model=CheckReport, response_model_by_alias=True,
              responses=ERROR_RESPONSES, summary="check one article",
              description="The factcheck.report/1 JSON of the text posted: every claim with its "
                          "verdict, official figure, arithmetic and sources; the article's own "
                          "arithmetic; duplicated passages; and the findings.")
    async def check(body: CheckRequest):
        report, _, _ = await run(engine.check, body.text, body.date, body.format, body.title,
                                 body.show, body.disable)
        return JSONResponse(report)

    @app.post("/v2/check", response_model=LTResponse, responses=ERROR_RESPONSES,
              summary="LanguageTool-compatible check",
              description="LanguageTool's /v2/check: form fields text or data, language; "
                          "answers matches (offsets in UTF-16 code units) that editor plugins "
                          "speaking LanguageTool's protocol show as they are.")
    async def lt_check(text: str | None = Form(None), data: str | None = Form(None),
                       language: str = Form("auto"), disabledRules: str | None = Form(None),
                       date: str | None = Form(None, description="factcheck's addition: the "
                                               "publication date YYYY-MM-DD (else the text's "
                                               "own dateline)")):
        if text is None and data is None:
            raise FactcheckError("E027", "text", "give the form field text or data")
        if language.lower() not in ("auto", "en") and not language.lower().startswith("en-"):
            raise FactcheckError("E027", "language", f"{language!r}: only English (en, en-US, "
                                 "en-GB..., or auto) is checked")
        content, original = lt_text(text, data)
        disable = [r.strip()[len("FACTCHECK_"):] for r in (disabledRules or "").split(",")
                   if r.strip().upper().startswith("FACTCHECK_")
                   and len(r.strip()) > len("FACTCHECK_")]
        if not content.strip():
            matches: list[dict] = []
        else:
            _, found, policy = await run(engine.check, content, date, "auto", None, None,
                                         disable)
            matches = lt_matches(found, policy, content, original)
        code = "en-US" if language.lower() == "auto" else language
        return JSONResponse({
            "software": {"name": "factcheck", "version": __version__, "apiVersion": 1,
                         "premium": False, "status": ""},
            "warnings": {"incompleteResults": False},
            "language": {"name": "English", "code": code,
                         "detectedLanguage": {"name": "English", "code": "en-US",
                                              "confidence": 1.0}},
            "matches": matches})

    @app.get("/v2/languages", summary="languages, as LanguageTool lists them")
    async def languages():
        return [{"name": "English", "code": "en", "longCode": "en-US"}]

    origins = settings["serve.cors_origins"]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type"])
    app.add_middleware(BodyLimit, limit=int(settings["serve.max_body_bytes"]))
    return app


class _Timeout(Exception):
    pass


def cmd_serve(args) -> int:
    from .config import load_settings

    settings = load_settings(args)
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - the extra is installed by setup.sh
        raise FactcheckError("E028", "serve", "uvicorn is not installed") from None
    app = create_app(settings)
    host, port = settings["serve.host"], settings["serve.port"]
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}: anyone who can reach it can use it (no "
              "authentication); put it behind your CMS's proxy", file=sys.stderr)
    print(f"factcheck {__version__} serving the editor's page on http://{host}:{port}/ "
          f"(API docs at /docs; Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    return 0
