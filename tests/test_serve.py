"""factcheck serve: the API, LanguageTool's protocol, the limits, the OpenAPI document."""

import json
import threading
import time
from pathlib import Path

import pytest

fastapi = pytest.importorskip("fastapi", reason="the serve extra (setup.sh installs it)")

from fastapi.testclient import TestClient  # noqa: E402

from factcheck.config import load_settings  # noqa: E402
from factcheck.serve import create_app, utf16_index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "corpora" / "articles" / "001_seed_ainvest.txt").read_text(encoding="utf-8")
WRONG = "China exported 5,000 tons of rare earth magnets to the US in June, up 660% from May."


def settings(**overrides):
    s = load_settings(None, start="/")  # defaults: no configuration file leaks in
    s.file = None
    for key, value in overrides.items():
        s.set(key.replace("__", "."), value, "test")
    return s


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(settings())) as c:
        yield c


def test_check_returns_the_report_with_character_offsets(client, run_json, tmp_path):
    r = client.post("/v1/check", json={"text": SEED, "date": "2025-07-20"})
    assert r.status_code == 200
    report = r.json()
    assert report["schema"] == "factcheck.report/1"
    assert "character offsets" in report["offsets"]
    for claim in report["claims"]:
        assert SEED[claim["start"]:claim["end"]] == claim["text"]
    # the same verdicts as the command line
    path = tmp_path / "seed.txt"
    path.write_text(SEED, encoding="utf-8")
    _, cli, _ = run_json("check", str(path), "--date", "2025-07-20", "--isolated")
    assert [(c["text"], c["verdict"], c["code"]) for c in report["claims"]] == \
        [(c["text"], c["verdict"], c["code"]) for c in cli["claims"]]
    assert report["summary"] == {**cli["summary"]}
    assert len(report["duplicates"]) == 2


def test_check_options_and_findings(client):
    r = client.post("/v1/check", json={"text": WRONG, "date": "2025-07-20",
                                       "show": ["duplicate"]})
    assert r.status_code == 200 and r.json()["findings"] == []
    assert r.json()["summary"]["failing"] == 1  # hidden, still failing
    r = client.post("/v1/check", json={"text": WRONG, "date": "2025-07-20", "disable": ["V2"]})
    assert r.json()["summary"]["failing"] == 0


def test_astral_characters_keep_character_offsets(client):
    text = "😀 " + WRONG
    claims = client.post("/v1/check", json={"text": text, "date": "2025-07-20"}).json()["claims"]
    assert all(text[c["start"]:c["end"]] == c["text"] for c in claims)


@pytest.mark.parametrize("body, status, code", [
    ({"text": WRONG, "date": "20 July"}, 422, "E027"),
    ({"text": WRONG, "date": "2025-02-30"}, 422, "E009"),
    ({"text": ""}, 422, "E027"),
    ({"text": "   \n "}, 422, "E002"),
    ({"text": WRONG, "path": "/etc/passwd"}, 422, "E027"),  # no filesystem access
    ({"text": WRONG, "reference": ["/etc"]}, 422, "E027"),
    ({"text": WRONG, "format": "pdf"}, 422, "E027"),
])
def test_bad_requests_get_one_error_shape(client, body, status, code):
    r = client.post("/v1/check", json=body)
    assert r.status_code == status
    error = r.json()["error"]
    assert error["code"] == code and error["message"].startswith(code)


def test_a_path_is_checked_as_text_never_opened(client):
    r = client.post("/v1/check", json={"text": "/etc/passwd"})
    assert r.status_code == 200 and r.json()["claims"] == []


def test_body_cap_413():
    with TestClient(create_app(settings(serve__max_body_bytes=1000))) as c:
        r = c.post("/v1/check", json={"text": "x" * 2000})
        assert r.status_code == 413 and r.json()["error"]["code"] == "E025"

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(5):
                yield b"x" * 400

        r = c.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert c.post("/v1/check", json={"text": WRONG}).status_code == 200


def test_time_cap_504(monkeypatch):
    app = create_app(settings(serve__timeout=0.2))
    engine = app.state.engine
    slow = engine.check

    def sleepy(*args):
        time.sleep(1)
        return slow(*args)

    monkeypatch.setattr(engine, "check", sleepy)
    with TestClient(app) as c:
        r = c.post("/v1/check", json={"text": WRONG})
        assert r.status_code == 504 and r.json()["error"]["code"] == "E026"


def test_text_is_data_never_markup(client):
    payload = '<script>alert("x")</script> China exported 5,000 tons of magnets to the US.'
    r = client.post("/v1/check", json={"text": payload, "format": "text"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["document"]["characters"] == len(payload)
    page = client.get("/")
    assert "Content-Security-Policy" in page.headers
    assert page.headers["x-content-type-options"] == "nosniff"
    # the page builds the text with DOM text nodes only (checked in the browser test too)
    script = page.text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink


def test_cors_off_unless_configured(client):
    headers = {"Origin": "https://cms.example.org"}
    r = client.post("/v1/check", json={"text": WRONG}, headers=headers)
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/v1/check", headers={**headers, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers
    app = create_app(settings(serve__cors_origins=["https://cms.example.org"]))
    with TestClient(app) as c:
        r = c.post("/v1/check", json={"text": WRONG}, headers=headers)
        assert r.headers["access-control-allow-origin"] == "https://cms.example.org"
        other = c.post("/v1/check", json={"text": WRONG}, headers={"Origin": "https://evil.test"})
        assert "access-control-allow-origin" not in other.headers


def test_health_and_series(client):
    h = client.get("/healthz").json()
    assert h["status"] == "ok" and h["reference"]["figures"] > 300
    series = client.get("/v1/series").json()["series"]
    magnets = next(s for s in series if s["hs_code"] == "8505111000")
    assert magnets["figures"] > 0


# ---------------------------------------------------------------------------------------------
# LanguageTool's protocol

def test_languagetool_check_form(client):
    text = "😀 Headline.\n\n" + WRONG
    r = client.post("/v2/check", data={"text": text, "language": "en-US",
                                       "date": "2025-07-20"})
    assert r.status_code == 200
    body = r.json()
    assert body["language"]["code"] == "en-US" and body["software"]["name"] == "factcheck"
    match = next(m for m in body["matches"] if m["rule"]["id"].startswith("FACTCHECK_V2"))
    # offsets in UTF-16 code units, as LanguageTool and JavaScript count: the emoji is 2
    utf16 = text.encode("utf-16-le")
    start, length = match["offset"], match["length"]
    assert utf16[2 * start:2 * (start + length)].decode("utf-16-le") == "5,000 tons"
    ctx = match["context"]
    ctx16 = ctx["text"].encode("utf-16-le")
    assert ctx16[2 * ctx["offset"]:2 * (ctx["offset"] + ctx["length"])].decode("utf-16-le") == \
        "5,000 tons"
    for key in ("message", "shortMessage", "replacements", "sentence", "type"):
        assert key in match
    assert match["rule"]["category"]["id"] == "FACTCHECK_MISMATCH"


def test_languagetool_data_annotation_keeps_offsets(client):
    data = {"annotation": [{"markup": "<p>", "interpretAs": "\n\n"}, {"text": WRONG},
                           {"markup": "</p>"}]}
    r = client.post("/v2/check", data={"data": json.dumps(data), "language": "auto",
                                       "date": "2025-07-20"})
    full = "<p>" + WRONG + "</p>"
    match = next(m for m in r.json()["matches"] if m["rule"]["id"].startswith("FACTCHECK_V2"))
    assert full[match["offset"]:match["offset"] + match["length"]] == "5,000 tons"


def test_languagetool_disabled_rules_and_errors(client):
    r = client.post("/v2/check", data={"text": WRONG, "language": "en",
                                       "date": "2025-07-20",
                                       "disabledRules": "FACTCHECK_V2,OTHER_RULE"})
    assert not any(m["rule"]["id"].startswith("FACTCHECK_V2") for m in r.json()["matches"])
    assert client.post("/v2/check", data={"text": WRONG, "language": "de-DE"}).status_code == 422
    assert client.post("/v2/check", data={"language": "en"}).status_code == 422
    assert client.post("/v2/check", data={"data": "{bad", "language": "en"}).status_code == 422
    assert client.get("/v2/languages").json()[0]["code"] == "en"


def test_utf16_index():
    to16 = utf16_index("a😀b")
    assert [to16(i) for i in range(4)] == [0, 1, 3, 4]


# ---------------------------------------------------------------------------------------------
# the OpenAPI document matches the server

def test_openapi_lists_every_route_with_its_methods(client):
    spec = client.get("/openapi.json").json()
    served = {(route.path, method.lower()) for route in client.app.routes
              if getattr(route, "include_in_schema", False) for method in route.methods}
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert served == documented
    assert {"/v1/check", "/v2/check", "/v1/series", "/healthz"} <= set(spec["paths"])


def test_responses_validate_against_the_openapi_schemas(client):
    jsonschema = pytest.importorskip("jsonschema")
    spec = client.get("/openapi.json").json()

    def check(path, method, status, body):
        op = spec["paths"][path][method]
        schema = op["responses"][str(status)]["content"]["application/json"]["schema"]
        full = {**schema, "components": spec["components"]}
        jsonschema.validate(body, full)

    r = client.post("/v1/check", json={"text": SEED, "date": "2025-07-20"})
    check("/v1/check", "post", 200, r.json())
    r = client.post("/v1/check", json={"text": WRONG, "date": "bad"})
    check("/v1/check", "post", 422, r.json())
    r = client.post("/v2/check", data={"text": WRONG, "language": "en-US"})
    check("/v2/check", "post", 200, r.json())
    check("/healthz", "get", 200, client.get("/healthz").json())
    check("/v1/series", "get", 200, client.get("/v1/series").json())
    request_schema = spec["components"]["schemas"]["CheckRequest"]
    assert request_schema["additionalProperties"] is False


def test_concurrent_requests_get_the_same_answers(client):
    expected = client.post("/v1/check", json={"text": SEED, "date": "2025-07-20"}).json()
    results, errors = [], []

    def one():
        try:
            r = client.post("/v1/check", json={"text": SEED, "date": "2025-07-20"})
            results.append(r.json() if r.status_code == 200 else r.status_code)
        except Exception as exc:  # noqa: BLE001 - any failure counts
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(r == expected for r in results) and len(results) == 12


def test_factcheck_serve_binds_loopback_by_default(tmp_path):
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("factcheck")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--isolated"],
                            stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, proc.stderr.read()
                time.sleep(0.2)
        with open("/proc/net/tcp") as fh:  # listening sockets: local address 127.0.0.1 only
            rows = [line.split() for line in fh.readlines()[1:]]
        listening = [r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == port]
        assert listening == [f"0100007F:{port:04X}"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            page = r.read().decode()
        import re

        # offline: nothing loaded from elsewhere (no CDN scripts, styles, fonts or images)
        assert "<textarea" in page
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
        assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_slow_article_stops_at_the_time_cap_and_frees_its_thread():
    # regression: a 504 used to leave the check running for minutes in its worker thread, so
    # two slow posts stalled every later request (400 restated figures: quadratic pairs)
    import threading

    from factcheck.deadline import CheckTimeout, limit
    from factcheck.inputs import _article

    line = "China exported {} tons of rare earth magnets to the US in June, up 660% from May.\n\n"
    big = "Dated July 20, 2025.\n\n" + "".join(line.format(f"{5000 + i:,}") for i in range(400))
    app = create_app(settings(serve__timeout=0.5))
    with TestClient(app) as c:
        answers = {}

        def post(key):
            answers[key] = c.post("/v1/check", json={"text": big}).status_code

        threads = [threading.Thread(target=post, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert answers == {0: 504, 1: 504}
        t0 = time.monotonic()
        assert c.post("/v1/check", json={"text": WRONG}).status_code == 200
        assert time.monotonic() - t0 < 0.5  # both threads free again
    with pytest.raises(CheckTimeout), limit(0.2):
        app.state.engine.checker.check(_article(big, "x", "x", "text", "utf-8"))
