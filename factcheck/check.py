"""The verdict stage end to end: Article -> extraction -> a verdict for every claim.

``check_article`` is a pure function of its inputs (the reference is loaded once and passed
in), so a batch engine can call it on a shard.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .consistency import Finding, check_consistency
from .deadline import check_deadline
from .dupes import DupGroup, find_in_document
from .extract import ArticleResult, Claim, extract_article
from .frames import load_gazetteer
from .inputs import Article, front_matter
from .official import OfficialSide
from .reference import Reference, load_reference
from .verdicts import Context, Verdict, check_claim


@dataclass
class CheckedArticle:
    result: ArticleResult
    verdicts: list[Verdict] = field(default_factory=list)
    consistency: list[Finding] = field(default_factory=list)
    duplicates: list[DupGroup] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        return self.result.claims

    @property
    def inconsistent(self) -> list[Finding]:
        return [f for f in self.consistency if f.verdict == "inconsistent"]

    def counts(self) -> dict[str, int]:
        out = {"supported": 0, "mismatch": 0, "unverifiable": 0}
        for v in self.verdicts:
            out[v.verdict] += 1
        return out


class Checker:
    """Holds the reference data and the memoised official side for a run."""

    def __init__(self, reference_dirs: tuple[str, ...] = (), tolerances: dict | None = None):
        from .verdicts import set_tolerances

        # process-wide, like the reference: one run, one reading of "about"
        set_tolerances(tolerances or {})
        self.reference_dirs = reference_dirs
        self.ref: Reference = load_reference(reference_dirs)
        self.gazetteer = load_gazetteer(reference_dirs)
        self.side = OfficialSide(self.ref)

    def check(self, article: Article, date: str | None = None,
              result: ArticleResult | None = None, runner=None) -> CheckedArticle:
        """``runner``: a spaCy runner (cli.make_runner) to extract with instead of the rules."""
        if result is None:
            result = (runner.extract_article(article, date, gaz=self.gazetteer) if runner
                      else extract_article(article, date, gaz=self.gazetteer))
        check_deadline()  # stages are checked against the caller's time limit (deadline.py)
        ctx = Context(self.ref, self.side, article.text,
                      _sentence_names(result, self.gazetteer))
        checked = CheckedArticle(result, [check_claim(c, ctx) for c in result.claims])
        recheck_loose(checked, ctx)
        add_superlatives(checked, ctx)
        check_deadline()
        checked.consistency = check_consistency(checked.claims, article.text, self.ref.partners)
        checked.duplicates = find_in_document(result.document, _metadata_span(article, result))
        return checked


def _metadata_span(article: Article, result: ArticleResult) -> tuple[int, int] | None:
    """Front matter or an HTML <title>: a title there is repeated by the page's own heading,
    which is not a duplicated passage."""
    if article.fmt == "markdown":
        end = front_matter(article.text)[1]
        return (0, end) if end else None
    if article.fmt == "html":
        return result.document.title_span
    return None


def add_superlatives(checked: CheckedArticle, ctx: Context) -> None:
    """Superlative phrases join the claims (kind 'superlative'), in text order."""
    from .superlatives import check_superlative, find_superlatives, superlative_claim

    found = find_superlatives(checked.result, checked.claims)
    if not found:
        return
    pairs = list(zip(checked.claims, checked.verdicts, strict=True))
    for start, end, match, anchor in found:
        overlapping = [p for p in pairs if p[0].start < end and start < p[0].end]
        if any(c.kind in ("mass", "percent", "money", "multiple") for c, _ in overlapping):
            continue  # "record 6,357 tons": the number is the claim
        # "a six-month high" is not a duration: the superlative replaces that reading
        pairs = [p for p in pairs if p not in overlapping]
        pairs.append((superlative_claim(checked.result, start, end, anchor),
                      check_superlative(match, anchor, ctx)))
    pairs.sort(key=lambda p: p[0].start)
    checked.result.claims = [c for c, _ in pairs]
    checked.verdicts = [v for _, v in pairs]


def _sentence_names(result: ArticleResult, gaz):
    """A function: claim -> the partners, periods, series and bases its sentence names."""
    from .extract import pub_tuple
    from .frames import document_cues
    from .official import base_period

    cache: dict[tuple[int, int], dict] = {}
    doc = result.document
    pub = pub_tuple(result.date)

    def names(claim: Claim) -> dict:
        key = claim.sentence
        if key not in cache:
            cues = document_cues(doc, key[0], key[1], gaz, pub)
            periods = {p.period for p in cues.periods if p.period}
            cache[key] = {"partner": {p[2] for p in cues.partners},
                          "period": periods,
                          "series": {s[3] for s in cues.series},
                          "basis": {b[2] for b in cues.bases}}
        out = dict(cache[key])
        # a period named as the comparison base ("from May") is no reading of the claim itself
        if claim.frame.period and claim.frame.basis:
            out["period"] = out["period"] - {base_period(claim.frame.period, claim.frame.basis)}
        return out

    return names


def _loose(claim: Claim, ref: Reference) -> bool:
    """The sentence names its series only by a loose word ("rare earth exports")."""
    f = claim.frame
    info = ref.series.get(f.series or "", {})
    return bool(f.commodity) and f.commodity.lower() in {a.lower() for a in
                                                          info.get("loose_aliases", [])}


def recheck_loose(checked: CheckedArticle, ctx: Context) -> None:
    """A mismatch under a loose series word is re-read as the article's own subject.

    "This increase in Chinese rare earth exports in June, more than seven times the May level"
    in a story about magnets to the US is the magnet figure, loosely worded; the GAC headline
    series rose only 1.3x. The article's subject is the series and partners of its supported
    claims with specific names. The verdict notes the loose wording either way."""
    from dataclasses import replace

    subjects = [(c.frame.series, c.frame.partner) for c, v in zip(checked.claims, checked.verdicts, strict=True)
                if v.verdict == "supported" and not _loose(c, ctx.ref)]
    if not subjects:
        return
    for i, (claim, verdict) in enumerate(zip(checked.claims, checked.verdicts, strict=True)):
        if verdict.verdict != "mismatch" or not _loose(claim, ctx.ref):
            continue
        for series, partner in dict.fromkeys(subjects):
            if series == claim.frame.series:
                continue
            alt = replace(claim, frame=replace(claim.frame, series=series, partner=partner))
            v = check_claim(alt, ctx)
            if v.verdict == "supported":
                v.notes.append(f"the sentence says {claim.frame.commodity!r}; the figure is the "
                               f"{ctx.ref.series_name(series)} figure the article reports, not "
                               f"{ctx.ref.series_name(claim.frame.series)} ({verdict.explanation})")
                checked.verdicts[i] = v
                break
