"""The extraction stage end to end: Article -> Document -> mentions -> framed claims.

``extract_text`` and ``extract_article`` are pure functions of their inputs and return plain
data, so a batch engine can call them on a shard.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from .document import Document, build_document
from .frames import Frame, Gazetteer, frame_mentions
from .inputs import Article
from .mentions import Mention, find_mentions


@dataclass
class Claim:
    text: str
    start: int
    end: int
    value: Decimal | tuple[Decimal, Decimal] | None  # None for a superlative
    unit: str | None
    kind: str
    direction: str | None
    hedge: str | None
    hedge_relation: str | None
    decimals: int
    step: Decimal  # the last printed digit, in the value's units ("1.2 million" -> 100000)
    sentence: tuple[int, int]
    paragraph: int
    frame: Frame
    noun: str | None = None
    ambiguous: dict | None = None
    source: str = "rules"

    def to_dict(self) -> dict:
        d = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": _num(self.value),
            "unit": self.unit,
            "kind": self.kind,
            "direction": self.direction,
            "hedge": self.hedge,
            "hedge_relation": self.hedge_relation,
            "precision": {"decimals": self.decimals, "step": _num(self.step)},
            "sentence": {"start": self.sentence[0], "end": self.sentence[1]},
            "paragraph": self.paragraph,
            "frame": {k: v for k, v in asdict(self.frame).items()},
        }
        if self.noun:
            d["noun"] = self.noun
        if self.ambiguous:
            d["ambiguous"] = {"alternatives": [_num(a) for a in self.ambiguous["alternatives"]],
                              "reason": self.ambiguous.get("reason")}
        return d


def _num(v):
    if isinstance(v, tuple):
        return [_num(v[0]), _num(v[1])]
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


@dataclass
class ArticleResult:
    id: str
    source: str
    date: str | None
    date_source: str | None
    title: str | None
    text_length: int
    document: Document
    claims: list[Claim] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    record_line: int | None = None  # a JSONL/CSV record's line in its file (None: a whole file)


_NON_DIGIT_RE = re.compile(r"\D")


def printed_step(men: Mention, text: str) -> Decimal:
    """One unit of the last digit printed, in the units of the value: "3,188" -> 1, "157.5" ->
    0.1, "1.2 million" -> 100,000, "$26.74m" -> 10,000. Word numbers count as whole."""
    step = Decimal(1).scaleb(-men.decimals)
    value = men.value[0] if isinstance(men.value, tuple) else men.value
    digits = _NON_DIGIT_RE.sub("", text[men.num_start:men.num_end])
    if not digits or not isinstance(value, Decimal) or value == 0 or int(digits) == 0:
        return step
    ratio = abs(value) / (Decimal(int(digits)).scaleb(-men.decimals))
    power = ratio.adjusted()
    if power >= 2 and ratio == Decimal(1).scaleb(power):  # a multiplier: hundred .. trillion
        return step.scaleb(power)
    return step


def pub_tuple(date: str | None) -> tuple[int, int] | None:
    if not date:
        return None
    return int(date[:4]), int(date[5:7])


def extract_text(text: str, date: str | None = None, fmt: str = "text",
                 title: str | None = None) -> list[Claim]:
    """Framed claims in ``text``; offsets index ``text``. ``date`` is YYYY-MM-DD or None."""
    doc = build_document(text, fmt, title)
    return _claims(doc, date or doc.dateline)


def _claims(doc: Document, date: str | None, gaz: Gazetteer | None = None) -> list[Claim]:
    mentions: list[Mention] = find_mentions(doc)
    frames = frame_mentions(doc, mentions, pub_tuple(date), gaz)
    claims = []
    for men, fr in zip(mentions, frames, strict=True):
        sent = doc.sentences[men.sentence]
        claims.append(Claim(text=men.text, start=men.start, end=men.end, value=men.value,
                            unit=men.unit, kind=men.kind, direction=men.direction,
                            hedge=men.hedge, hedge_relation=men.hedge_relation,
                            decimals=men.decimals, step=printed_step(men, doc.text),
                            sentence=(sent.start, sent.end),
                            paragraph=sent.paragraph, frame=fr, noun=men.noun,
                            ambiguous=men.ambiguous))
    return claims


def extract_article(article: Article, date: str | None = None,
                    gaz: Gazetteer | None = None) -> ArticleResult:
    """``date`` (from --date) wins over record metadata, front matter and a dateline."""
    doc = build_document(article.text, article.fmt, article.title)
    used, how = date, "option" if date else None
    if not used and article.date:
        used, how = article.date, article.date_source
    if not used and doc.dateline:
        used, how = doc.dateline, "dateline"
    result = ArticleResult(id=article.id, source=article.source, date=used, date_source=how,
                           title=doc.title, text_length=len(article.text), document=doc,
                           record_line=article.line)
    if article.meta.get("date_warning"):
        result.notes.append(article.meta["date_warning"])
    if not used:
        result.notes.append("no publication date (none given with --date, in metadata or in a "
                            "dateline): relative periods such as 'last month' stay unresolved")
    result.claims = _claims(doc, used, gaz)
    return result
