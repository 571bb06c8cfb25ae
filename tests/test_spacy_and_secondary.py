"""The extractor inside spaCy pipelines (blank and a small fake 'trained' one), and quantulum3."""

import pytest

spacy = pytest.importorskip("spacy")

from factcheck.extract import extract_text  # noqa: E402
from factcheck.inputs import Article  # noqa: E402

TEXT = ("China's exports of rare earth magnets to the United States rose 660% to 353 tons in June. "
        "Shipments to Freedonia rose to 12 tons.")


def test_blank_pipeline_components_give_the_same_claims_as_the_rules():
    from factcheck.nlp import load_pipeline

    nlp = load_pipeline("blank")
    assert nlp.pipe_names == ["factcheck_sentences", "factcheck_claims"]
    doc = nlp(TEXT)
    spans = doc.spans["factcheck"]
    rules = extract_text(TEXT)
    assert [s._.claim["text"] for s in spans] == [c.text for c in rules]
    assert [s._.claim["start"] for s in spans] == [c.start for c in rules]
    assert len(list(doc.sents)) == 2


def test_a_trained_pipeline_adds_partners_the_gazetteer_does_not_know(tmp_path):
    from factcheck.nlp import SpacyRunner

    # A small stand-in for a trained pipeline: an entity ruler that knows one country.
    fake = spacy.blank("en")
    ruler = fake.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Freedonia"}])
    fake.to_disk(tmp_path / "fake_model")
    runner = SpacyRunner(str(tmp_path / "fake_model"))
    result = runner.extract_article(Article(id="a", source="a", text=TEXT), "2025-07-20")
    frames = {c.text: c.frame for c in result.claims}
    assert frames["12 tons"].partner == "Freedonia"
    assert frames["12 tons"].inherited["partner"] == "named entity (GPE)"
    assert frames["353 tons"].partner == "United States"
    # without the model the partner stays empty, with a reason
    plain = {c.text: c.frame for c in extract_text(TEXT, date="2025-07-20")}
    assert plain["12 tons"].partner is None and plain["12 tons"].unresolved["partner"]


def test_cli_model_option(run_json, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(TEXT)
    code, report, _ = run_json("extract", str(f), "--model", "blank")
    assert code == 0 and [c["value"] for c in report["claims"]] == [660, 353, 12]


def test_quantulum_is_asked_only_for_units_the_rules_do_not_know(monkeypatch):
    from factcheck import quantulum_adapter

    calls = []
    real = quantulum_adapter.unit_for
    monkeypatch.setattr(quantulum_adapter, "unit_for",
                        lambda s, v: calls.append(s) or real(s, v))
    extract_text("Exports rose 660% to 353 tons, worth $3m, with 3,000 workers.")
    assert calls == []
    claims = extract_text("The engine peaks at 3000 rpm.")
    assert calls == ["The engine peaks at 3000 rpm."]
    assert (claims[0].unit, claims[0].text) == ("revolutions per minute", "3000 rpm")


def test_quantulum_known_errors_are_overridden():
    from factcheck import quantulum_adapter

    # quantulum3 reads "tons" as short tons; the adapter refuses that answer
    assert quantulum_adapter.unit_for("Exports were 353 tons.", 353) is None


def test_auto_uses_an_installed_trained_pipeline(run_json, tmp_path, monkeypatch):
    """--model auto (the default) picks a trained pipeline when one is installed."""
    import importlib.util

    from factcheck import cli

    fake = spacy.blank("en")
    fake.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Freedonia"}])
    fake.to_disk(tmp_path / "en_core_web_sm")
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: object() if name == "en_core_web_sm" else real_find_spec(name, *a))
    assert cli.installed_trained_pipeline() == "en_core_web_sm"
    monkeypatch.chdir(tmp_path)  # spacy.load("en_core_web_sm") then finds the saved directory
    f = tmp_path / "a.txt"
    f.write_text(TEXT)
    code, report, _ = run_json("extract", str(f), "--date", "2025-07-20")
    assert code == 0
    assert [c["frame"]["partner"] for c in report["claims"]][-1] == "Freedonia"


def test_without_a_trained_pipeline_auto_means_rules_only(monkeypatch):
    import importlib.util

    from factcheck import cli

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert cli.installed_trained_pipeline() is None
