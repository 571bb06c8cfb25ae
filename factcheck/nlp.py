"""spaCy integration: the extractor as registered pipeline components.

``factcheck_sentences`` sets sentence starts from factcheck's own newline-aware segmentation;
``factcheck_claims`` runs the rules and stores each claim as a span in ``doc.spans["factcheck"]``
with ``span._.claim`` (the plain dict of the JSON report). They work in ``spacy.blank("en")``
and in any trained pipeline. With a trained pipeline, its named entities (GPE/LOC/NORP) fill a
partner the gazetteer does not know ("exports to Freedonia"): that is what a model adds.

Imported only when asked for (``--model``), because importing spaCy costs most of a second.
"""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .document import build_document
from .extract import ArticleResult, Claim, extract_article
from .frames import Gazetteer
from .inputs import Article

if not Span.has_extension("claim"):
    Span.set_extension("claim", default=None)
if not Doc.has_extension("factcheck_date"):
    Doc.set_extension("factcheck_date", default=None)

PREP_BEFORE_RE = re.compile(r"\b(?:to|from|into|for|bound for|destined for)\s+(?:the\s+)?$", re.I)


@Language.component("factcheck_sentences")
def factcheck_sentences(doc: Doc) -> Doc:
    fdoc = build_document(doc.text)
    starts = {s.start for s in fdoc.sentences}
    for tok in doc:
        tok.is_sent_start = tok.i == 0 or tok.idx in starts
    return doc


@Language.component("factcheck_claims")
def factcheck_claims(doc: Doc) -> Doc:
    from .extract import extract_text

    spans = []
    for claim in extract_text(doc.text, date=doc._.factcheck_date):
        span = doc.char_span(claim.start, claim.end, alignment_mode="expand")
        if span is None:
            continue
        span._.claim = claim.to_dict()
        spans.append(span)
    doc.spans["factcheck"] = spans
    return doc


def load_pipeline(model: str = "blank") -> Language:
    """``blank`` -> spacy.blank("en"); ``auto`` -> en_core_web_sm if installed, else blank;
    anything else is a package name or a path for spacy.load."""
    if model == "auto":
        from .cli import installed_trained_pipeline

        model = installed_trained_pipeline() or "blank"
    nlp = spacy.blank("en") if model == "blank" else spacy.load(model)
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        first = nlp.pipe_names[0] if nlp.pipe_names else None
        nlp.add_pipe("factcheck_sentences", before=first) if first else nlp.add_pipe("factcheck_sentences")
    nlp.add_pipe("factcheck_claims", last=True)
    return nlp


class SpacyRunner:
    """Runs articles through a spaCy pipeline; the rules do the work, the model adds entities."""

    def __init__(self, model: str = "blank"):
        self.nlp = load_pipeline(model)
        self.has_ner = any(name in self.nlp.pipe_names for name in ("ner", "entity_ruler"))

    def extract_article(self, article: Article, date: str | None = None,
                        gaz: Gazetteer | None = None) -> ArticleResult:
        result = extract_article(article, date, gaz)
        if not self.has_ner:
            return result
        with self.nlp.select_pipes(disable=["factcheck_claims"]):
            doc = self.nlp(result.document.view)
        ents = [e for e in doc.ents if e.label_ in ("GPE", "LOC", "NORP")]
        for claim in result.claims:
            _fill_partner(claim, ents, result.document.view)
        return result


def _fill_partner(claim: Claim, ents: list, view: str) -> None:
    f = claim.frame
    if f.partner or f.unresolved.get("partner", "").startswith(("not a trade", "no trade")):
        return
    s0, s1 = claim.sentence
    for ent in ents:
        if s0 <= ent.start_char < s1 and PREP_BEFORE_RE.search(view[max(s0, ent.start_char - 20):ent.start_char]):
            name = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            if name in ("China", "Beijing"):
                continue
            f.partner = name
            f.unresolved.pop("partner", None)
            f.inherited["partner"] = f"named entity ({ent.label_})"
            return
