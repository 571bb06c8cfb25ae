"""Mentions -> framed claims: what each number is about.

For every sentence we collect *cues* (series names, partners, flow words, reporter names, period
expressions, comparison bases) and give each mention the nearest cue of each sort from its own
sentence. A field the sentence does not state is carried from earlier sentences of the same
paragraph (``frame.inherited`` names the field and the sentence it came from); series, flow and
reporter may also come from the headline. Period and partner never cross a paragraph. A field
nobody states stays ``None`` and ``frame.unresolved`` says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .document import Document, lowered, prefix_guard, word_start_alternation
from .mentions import Mention
from .periods import PeriodCue, find_basis_words, find_periods, normalize_basis

# Patterns used inside functions, compiled once (re.match(<literal>, ...) looked each
# one up in re's cache on every call).
_RE_0 = re.compile(r"\s*(?:year-on-year|month-on-month|y/y|m/m|on the year|on-year|"
                    r"from a year|compared)", re.I)
_RE_1 = re.compile(r"\bfrom\s+China\b")
_RE_2 = re.compile(r"-bound|\s*:")
_RE_3 = re.compile(r"(?:'s|’s)\s|\s+share\b")
_RE_4 = re.compile(r"\s+(?:accounted|took|received|bought|imported|remained|was|were|"
                            r"supplied|shipped|sent|sold|provided|exported)\b")
_RE_5 = re.compile(r"\b(?:to|at|reach(?:ed|ing)?)\s+(?:a\s+)?(?:record\s+)?$", re.I)
_RE_6 = re.compile(r"\bto\s+(?:a\s+|an\s+)?(?:record\s+|new\s+)?(?:\S+\s+)?$", re.I)
_RE_7 = re.compile(r"\s*(?:\S+\s+){0,4}?(?:from|than|below|above|over|compared\s+(?:with|to)|versus|vs\.?)"
                r"\s+(?:a\s+|an\s+|the\s+)?", re.I | re.S)
_RE_8 = re.compile(r"[\s,]*(?:in|for|during|of|over|through)?\s*(?:the\s+)?", re.I)
_RE_9 = re.compile(r"\bup\s+to\s+$", re.I)
_RE_10 = re.compile(r"(?:'s|’s)?\s+(?:[a-z-]+\s+)?")
_RE_11 = re.compile(r"[\s,]*(?:\w+\s+)?(?:in|for|during)?\s*(?:the\s+)?", re.I)
_RE_12 = re.compile(r"\b(?:to|from|into|for)\s+(?:the\s+)?$")

TRADE_KINDS = {"mass", "percent", "percentage_points", "basis_points", "money", "multiple"}


@dataclass
class Frame:
    measure: str | None = None
    flow: str | None = None
    commodity: str | None = None  # the phrase as written
    series: str | None = None  # resolved series id
    reporter: str | None = None
    partner: str | None = None
    period: str | None = None
    period_text: str | None = None
    basis: str | None = None  # mom | yoy | a period string
    basis_text: str | None = None
    basis_value: float | None = None  # "from 1,238 tons in May"
    inherited: dict = field(default_factory=dict)  # field -> "sentence N" | "headline"
    unresolved: dict = field(default_factory=dict)  # field -> reason


@dataclass
class Gazetteer:
    series_re: re.Pattern
    series_by_alias: dict[str, str]
    partner_re: re.Pattern
    partner_by_alias: dict[str, str]
    reporter_re: re.Pattern


@lru_cache(maxsize=8)
def load_gazetteer(extra_dirs: tuple[str, ...] = ()) -> Gazetteer:
    """Name patterns from the series catalog and partner gazetteer (see ``reference``)."""
    from .reference import load_catalogs

    catalog, partner_info, reporter_info = load_catalogs(extra_dirs)
    series = {a.lower(): sid for sid, s in catalog.items() for a in s.get("aliases", [])}
    partners = {a: pid for pid, p in partner_info.items() for a in p.get("aliases", [])}
    reporters = [a for r in reporter_info.values() for a in r.get("aliases", [])]

    def alt(words, flags_ci: bool) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    def starts(words, first: str) -> str:
        # the first four characters of the names that can start where ``first`` matches
        heads = [w[:4] for w in words if re.match(first, w)]
        return prefix_guard(heads) if heads else "(?!)"

    # the leading lookahead lets the engine skip positions that cannot start a name: the
    # first letter class as before, narrowed to the names' own first four characters
    # Series names are matched case-blind on a lower-cased copy of the text (see
    # ``lowered``): three times faster than re.IGNORECASE on a long alternation.
    series_re = re.compile(rf"(?<![\w-])(?={starts(series, '[a-z稀]')})(?:{alt(series, True)})(?![\w])")
    # Partner names are matched case-sensitively: "US" is a country, "us" is not.
    partner_re = re.compile(rf"(?<![\w-])(?={starts(partners, '[A-Za-z]')})(?:{alt(partners, False)})"
                            rf"(?![\w$])")
    reporter_re = re.compile(rf"(?<![\w-])(?={starts(reporters, '[A-Z]')})(?:{alt(reporters, False)})"
                             rf"(?![\w])")
    return Gazetteer(series_re, series, partner_re, partners, reporter_re)


# (on the lower-cased copy; see document.word_start_alternation for the form)
EXPORT_RE = re.compile(word_start_alternation(
    ["exports?", "exported", "exporting", "exporters?", "outbound", "shipments?", "shipped",
     "shipping", "overseas sales", "sales abroad", "sold abroad"]) + r"\b")
IMPORT_RE = re.compile(word_start_alternation(
    ["imports?", "imported", "importing", "importers?", "inbound", "purchases", "bought",
     "arrivals"]) + r"\b")
PARTNER_PREP_RE = re.compile(
    r"(?:\b(?:to|from|for|into|with|toward|towards|destined for|bound for|by)\s+(?:the\s+)?$)", re.I)
WORLD_RE = re.compile(word_start_alternation(
    ["globally", "worldwide", "to the world", "all destinations", "in total", "overall",
     "total (?:exports|imports|shipments)", "global (?:exports|imports|shipments|total)",
     "all markets"]) + r"\b")
UNKNOWN_PARTNER_RE = re.compile(  # (the lookahead: the first letters, to skip other words fast)
    r"(?=(?i:[esid]))\b(?i:exports?|exported|shipments?|shipped|imports?|imported|sales|deliveries)\s+"
    r"(?:[\w-]+\s+){0,5}?(?:to|from)\s+(?:the\s+)?(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
NOT_PLACES = {"January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December", "China", "Beijing", "Chinese",
              "The", "A", "An", "Last", "This", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
              "Sep", "Sept", "Oct", "Nov", "Dec"}
SHARE_BEFORE_RE = re.compile(r"\b(?:accounted for|account for|accounting for|share of|made up|"
                             r"makes up|make up|represent(?:ed|s|ing)?|comprised?)\s+(?:about\s+|"
                             r"around\s+|nearly\s+|almost\s+|more than\s+|over\s+|some\s+|roughly\s+|just\s+)?$",
                             re.I)
SHARE_AFTER_RE = re.compile(r"\s+(?:of|share)\b", re.I)
CHANGE_NOUN_AFTER_RE = re.compile(r"\s*(?:year-on-year\s+|month-on-month\s+|annual\s+|monthly\s+)?"
                                  r"(?:increase|rise|gain|jump|growth|drop|decline|fall|decrease|"
                                  r"slump|surge|plunge|rebound|contraction|change)\b", re.I)
LIST_ITEM_RE = re.compile(r"\s*(?:\d{1,2}[.)]|[-*•·–])\s")
INCLUDE_CLAUSE_RE = re.compile(r"\b(?:which|that)\s+includes?\b[^,;]*$|\bincluding\b[^,;]*$", re.I)
SCOPE_WORDS_RE = re.compile(r"\b(?:excludes?|excluding|includes?|including|distinct from|other than|"
                            r"unlike|rather than|not|nor|except|besides)\s+(?:the\s+|all\s+)?"
                            r"(?:[\w-]+\s+){0,2}$", re.I)
RECORD_AFTER_RE = re.compile(r"[\s-]*(?:high|low|peak|record|trough|best|worst)\b", re.I)
# "the Netherlands, a hub for distribution, took 96 tonnes": a partner as the subject
APPOSITIVE_VERB_RE = re.compile(r",[^,;]{3,80},\s+(?:took|bought|received|imported|accounted|supplied|"
                                r"shipped|remained|was|were)\b")
NON_TRADE_MONEY_RE = re.compile(
    r"\b(?:invest\w*|plant|factory|facility|fund\w*|raised|raise|revenue|profit|loss|earnings|"
    r"valuation|valued|market value|contract|deal|orders?|capex|budget|subsid\w*|loan|grant|"
    r"spend\w*|cost(?:s|ing)?|salary|wages?|fine[ds]?)\b", re.I)
BASE_BEFORE_RE = re.compile(r"(?:compared (?:with|to)|from|than|below|above|versus|vs\.?|against)\s+"
                            r"(?:the\s+|a\s+|an\s+)?(?:\w+'s\s+)?(?:record\s+|revised\s+|year-low\s+of\s+|"
                            r"year-high\s+of\s+|low\s+of\s+|high\s+of\s+)?$", re.I)
CUSTOMS_RE = re.compile(word_start_alternation(["customs", "gac"]) + r"\b")


@dataclass
class SentenceCues:
    series: list[tuple[int, int, str, str]]  # start, end, phrase, id
    partners: list[tuple[int, int, str]]
    flows: list[tuple[int, int, str]]
    reporters: list[tuple[int, int, str]]
    periods: list[PeriodCue]
    bases: list[tuple[int, int, str]]
    trade: bool


def _series_cues(view: str, s0: int, s1: int, gaz: Gazetteer) -> list[tuple[int, int, str, str]]:
    # "rare earths, a category that excludes magnets": a series named only to be set apart
    # is not what the sentence is about
    return [(m.start(), m.end(), view[m.start():m.end()], gaz.series_by_alias[m.group(0)])
            for m in gaz.series_re.finditer(lowered(view), s0, s1)
            if not SCOPE_WORDS_RE.search(view, max(s0, m.start() - 24), m.start())]


def _flow_cues(view: str, s0: int, s1: int, gaz: Gazetteer) -> list[tuple[int, int, str]]:
    low = lowered(view)
    flows = [(m.start(), m.end(), "export") for m in EXPORT_RE.finditer(low, s0, s1)]
    for m in IMPORT_RE.finditer(low, s0, s1):
        # "Germany's purchases", "the EU bought", "imports from China": the partner's side of
        # China's exports
        before = view[max(s0, m.start() - 30):m.start()]
        after = view[m.end():min(s1, m.end() + 40)]
        # the partner must be the subject right before the word: "Japan's imports",
        # "the EU bought" -- not a destination earlier in the sentence ("exports to Japan rose
        # 5%, while imports fell")
        subject = [p for p in gaz.partner_re.finditer(before)
                   if gaz.partner_by_alias[p.group(0)] != "World"  # "overall imports" is no country
                   and _RE_10.fullmatch(before[p.end():])
                   and not _RE_12.search(before[:p.start()])]
        partner_side = _RE_1.search(after) or subject
        flows.append((m.start(), m.end(), "export" if partner_side else "import"))
    flows.sort()
    return flows


def sentence_cues(view: str, s0: int, s1: int, gaz: Gazetteer,
                  pub: tuple[int, int] | None) -> SentenceCues:
    series = _series_cues(view, s0, s1, gaz)
    partners = []
    for m in gaz.partner_re.finditer(view, s0, s1):
        pid = gaz.partner_by_alias[m.group(0)]
        before = view[max(s0, m.start() - 25):m.start()]
        after = view[m.end():m.end() + 20]
        if INCLUDE_CLAUSE_RE.search(view, max(s0, m.start() - 60), m.start()):
            continue  # "imports, which include ore from Myanmar": a part, not the partner
        if pid == "World" or PARTNER_PREP_RE.search(before) or _RE_2.match(after) \
                or _RE_3.match(after) \
                or _RE_4.match(after) \
                or APPOSITIVE_VERB_RE.match(view, m.end(), min(s1, m.end() + 120)):
            partners.append((m.start(), m.end(), pid))
    low = lowered(view)  # flow, world and customs words: case-blind on the lower-cased copy
    for m in WORLD_RE.finditer(low, s0, s1):
        partners.append((m.start(), m.end(), "World"))
    known = {p[0] for p in partners}
    for m in UNKNOWN_PARTNER_RE.finditer(view, s0, s1):
        name = m.group("name")
        if m.start("name") not in known and name not in gaz.partner_by_alias \
                and name.split()[0] not in NOT_PLACES:
            # a place the gazetteer lacks: it blocks context carry and waits for a model's NER
            partners.append((m.start("name"), m.end("name"), f"?{name}"))
    partners.sort()
    flows = _flow_cues(view, s0, s1, gaz)
    reporters = [(m.start(), m.end(), "China") for m in gaz.reporter_re.finditer(view, s0, s1)]
    periods = find_periods(view, s0, s1, pub)
    bases = find_basis_words(view, s0, s1)
    trade = bool(series or flows or CUSTOMS_RE.search(low, s0, s1))
    return SentenceCues(series, partners, flows, reporters, periods, bases, trade)


def document_cues(doc: Document, s0: int, s1: int, gaz: Gazetteer,
                  pub: tuple[int, int] | None) -> SentenceCues:
    """``sentence_cues`` of a span of ``doc.view``, computed once per document (the cues are only
    read, never modified, by framing and by the verdicts' sentence names)."""
    key = (s0, s1, id(gaz), pub)
    hit = doc.cue_memo.get(key)
    if hit is not None and hit[0] is gaz:
        return hit[1]
    cues = sentence_cues(doc.view, s0, s1, gaz, pub)
    doc.cue_memo[key] = (gaz, cues)
    return cues


def _nearest(items: list, pos: int, prefer_before: bool = True):
    """The cue closest to ``pos``; cues before the claim win ties (subjects come first)."""
    best, best_d = None, None
    for it in items:
        a, b = it[0], it[1]
        d = pos - b if b <= pos else a - pos
        if not prefer_before and a >= pos:
            d = d * 0.5
        if best_d is None or d < best_d:
            best, best_d = it, d
    return best


def frame_mentions(doc: Document, mentions: list[Mention], pub: tuple[int, int] | None,
                   gaz: Gazetteer | None = None) -> list[Frame]:
    gaz = gaz or load_gazetteer()
    view = doc.view
    frames: list[Frame] = []
    by_sentence: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        by_sentence.setdefault(m.sentence, []).append(i)
    headline: dict[str, tuple[str, str | None]] = {}
    if doc.title_span or doc.title:
        if doc.title_span:
            t0, t1 = doc.title_span
            hc = document_cues(doc, t0, t1, gaz, pub)
        else:
            title = doc.title or ""
            hc = sentence_cues(title, 0, len(title), gaz, pub)
        if hc.series:
            headline["series"] = (hc.series[0][3], hc.series[0][2])
        if hc.flows:
            headline["flow"] = (hc.flows[0][2], None)
        if hc.reporters:
            headline["reporter"] = ("China", None)
    results: list[Frame | None] = [None] * len(mentions)
    paras_with_claims = {doc.sentences[m.sentence].paragraph for m in mentions}
    list_context: tuple[dict, bool] | None = None
    # series, flow and reporter run on across paragraphs (an article keeps its subject);
    # period and partner never do
    doc_carry: dict[str, tuple] = {}
    header_para = -1
    paragraph = -1
    carry: dict[str, tuple] = {}
    para_trade = False
    for si, sent in enumerate(doc.sentences):
        if sent.paragraph != paragraph:
            para = doc.paragraphs[sent.paragraph]
            # List items under a header line ("By destination in August:") keep the header's
            # context: the header and its items read as one paragraph.
            in_list = LIST_ITEM_RE.match(view, para.start) and list_context is not None
            if in_list:
                carry, para_trade = dict(list_context[0]), list_context[1]
            else:
                carry, para_trade = {}, False
                list_context = None
            paragraph = sent.paragraph
            if view[para.start:para.end].rstrip().endswith(":"):
                header_para = sent.paragraph
        if sent.paragraph not in paras_with_claims and sent.paragraph != header_para:
            # nothing to frame here; only what the article is about runs on to later paragraphs
            _note_subject(view, sent.start, sent.end, gaz, si, doc_carry)
            continue
        cues = document_cues(doc, sent.start, sent.end, gaz, pub)
        para_trade = para_trade or cues.trade
        idxs = by_sentence.get(si, [])
        for i in idxs:
            results[i] = _frame_one(view, mentions, i, idxs, cues, carry, headline,
                                    para_trade, pub, sent.start, sent.end, doc_carry)
        # update the paragraph's carried context with what this sentence stated
        if cues.series:
            carry["series"] = (cues.series[-1][3], cues.series[-1][2], si)
            doc_carry["series"] = carry["series"]
        if cues.flows:
            doc_carry["flow"] = (cues.flows[-1][2], None, si)
        if cues.reporters:
            doc_carry["reporter"] = ("China", None, si)
        if cues.flows:
            carry["flow"] = (cues.flows[-1][2], None, si)
        if cues.reporters:
            carry["reporter"] = ("China", None, si)
        own_partners = [p for p in cues.partners]
        if own_partners:
            last_partner = own_partners[-1][2]
            if last_partner.startswith("?"):
                carry.pop("partner", None)
            else:
                carry["partner"] = (last_partner, None, si)
        stated = {results[i].basis for i in idxs
                  if results[i] is not None and results[i].basis in ("mom", "yoy")
                  and "basis" not in results[i].inherited}
        if stated:
            seen = carry.get("basis_kinds", set()) | stated
            carry["basis_kinds"] = seen
            if len(seen) == 1:
                b = next(iter(seen))
                carry["basis"] = (b, b, si)
            else:
                carry.pop("basis", None)  # both m/m and y/y in the paragraph: no default
        if sent.paragraph == header_para:
            list_context = (carry, para_trade)
        own_periods = [p for p in cues.periods if p.basis is None and (p.period or p.reason)]
        if idxs:
            # the sentence's own figures carry their period on; a comparison figure's does not
            # ("slipped to 5,952 tons last month from 6,150 tons in November. They were ...")
            main = [j for j in idxs if not BASE_BEFORE_RE.search(
                view, max(sent.start, mentions[j].start - 30), mentions[j].start)] or idxs
            last = results[main[-1]]
            if last and (last.period or last.unresolved.get("period", "").startswith("relative")):
                carry["period"] = (last.period, last.period_text, si)
        elif own_periods:
            p = own_periods[0]
            carry["period"] = (p.period, p.text, si)
    frames.extend(f or Frame() for f in results)
    return frames


def _note_subject(view: str, s0: int, s1: int, gaz: Gazetteer, si: int, doc_carry: dict) -> None:
    """Series, flow and reporter named in a sentence without numbers (cheap: no period scan)."""
    series = _series_cues(view, s0, s1, gaz)
    if series:
        doc_carry["series"] = (series[-1][3], series[-1][2], si)
    flows = _flow_cues(view, s0, s1, gaz)
    if flows:
        doc_carry["flow"] = (flows[-1][2], None, si)
    if gaz.reporter_re.search(view, s0, s1):
        doc_carry["reporter"] = ("China", None, si)


# ", as shipments to the US dropped", ", and imports ...": a comma and a conjunction start a
# clause with its own subject
CLAUSE_RE = re.compile(r";|,\s+(?:while|but|although|though|whereas|yet|as|and|with)\b"
                       r"|\s(?:but|while|whereas|although|yet)\s")


def _clause_bounds(view: str, s0: int, s1: int, pos: int) -> tuple[int, int]:
    lo = s0
    for m in CLAUSE_RE.finditer(view[s0:pos]):
        lo = s0 + m.end()
    hi = s1
    m = CLAUSE_RE.search(view[pos:s1])
    if m:
        hi = pos + m.start()
    return lo, hi


def _frame_one(view: str, mentions: list[Mention], i: int, idxs: list[int], cues: SentenceCues,
               carry: dict, headline: dict, para_trade: bool, pub: tuple[int, int] | None,
               s0: int, s1: int, doc_carry: dict) -> Frame:
    men = mentions[i]
    f = Frame()
    pos = men.start
    c0, c1 = _clause_bounds(view, s0, s1, pos)
    is_trade = (men.kind in TRADE_KINDS) or (men.kind == "count" and men.noun in (
        "tons", "tonnes", "containers", "shipments", "cargoes", "licences", "licenses")) or (
        men.kind == "duration" and bool(RECORD_AFTER_RE.match(view, men.end, s1)))
    # ---- measure -----------------------------------------------------------------------------
    f.measure = _measure(view, men, s0, s1)
    # ---- period ------------------------------------------------------------------------------
    own = [p for p in cues.periods if p.basis is None]
    # a period phrase glued right after the number ("353 tons in June") wins
    glued = [p for p in own if men.end <= p.start <= men.end + 25
             and not any(men.end <= mentions[j].start < p.start for j in idxs if j != i)
             and _RE_8.fullmatch(view[men.end:p.start])]
    chosen = glued[0] if glued else None
    if chosen is None and BASE_BEFORE_RE.search(view, max(s0, men.start - 30), men.start):
        # a comparison figure ("from 250 tons a year earlier") is not in the sentence's period
        _base_period(view, men, cues, carry, f)
        return _finish_frame(view, mentions, i, idxs, cues, carry, headline, para_trade, pub,
                             s0, s1, doc_carry, f, c0, c1, is_trade)
    if chosen is None:
        # a period glued to another number ("3,188 tons in June") is that number's, not ours
        # ...but only when that number is a comparison base ("compared with 3,188 tons in June")
        others = [mentions[j] for j in idxs if j != i and BASE_BEFORE_RE.search(
            view, max(s0, mentions[j].start - 30), mentions[j].start)]
        own = [p for p in own if not any(
            o.end <= p.start <= o.end + 25
            and _RE_11.fullmatch(view[o.end:p.start])
            for o in others)]
        in_clause = [p for p in own if c0 <= p.start < c1]
        pool = in_clause or own
        if pool:
            chosen = _nearest([(p.start, p.end, p) for p in pool], pos, prefer_before=False)[2]
    if chosen is not None:
        f.period, f.period_text = chosen.period, chosen.text
        if chosen.period is None and chosen.reason:
            f.unresolved["period"] = chosen.reason
        if chosen.cumulative and f.measure == "level":
            f.measure = "cumulative"
    elif "period" in carry:
        f.period, f.period_text = carry["period"][0], carry["period"][1]
        f.inherited["period"] = f"sentence {carry['period'][2]}"
        if f.period is None:
            f.unresolved["period"] = "relative period and no publication date (pass --date)"
        if f.period and ".." in f.period and f.measure == "level":
            f.measure = "cumulative"
    else:
        f.unresolved["period"] = "no period stated in the sentence or paragraph"
    return _finish_frame(view, mentions, i, idxs, cues, carry, headline, para_trade, pub,
                         s0, s1, doc_carry, f, c0, c1, is_trade)


def _flow_near(cues: SentenceCues, pos: int) -> str | None:
    """The flow word nearest before ``pos`` in the sentence (what a partner there belongs to)."""
    before = [fl for fl in cues.flows if fl[0] <= pos]
    return before[-1][2] if before else (cues.flows[0][2] if cues.flows else None)


def _flow_cue_near(cues: SentenceCues, pos: int) -> tuple | None:
    before = [fl for fl in cues.flows if fl[0] <= pos]
    return before[-1] if before else (cues.flows[0] if cues.flows else None)


def _base_period(view: str, men: Mention, cues: SentenceCues, carry: dict, f: Frame) -> None:
    """The period of a comparison figure: "a year earlier" / "a month earlier" glued to it
    shifts the sentence's own period; otherwise it is left unresolved."""
    from .periods import shift

    after = [p for p in cues.periods if p.basis in ("yoy", "mom") and p.period is None
             and men.end <= p.start <= men.end + 12]
    main = [p for p in cues.periods if p.basis is None and p.period and len(p.period) == 7]
    current = main[0].period if main else (carry.get("period") or (None,))[0]
    if after and current and len(current) == 7:
        y, m = shift(int(current[:4]), int(current[5:]), -12 if after[0].basis == "yoy" else -1)
        f.period, f.period_text = f"{y:04d}-{m:02d}", after[0].text
        f.unresolved.pop("period", None)
    else:
        f.unresolved["period"] = "a comparison figure whose period is not stated"


def _finish_frame(view: str, mentions: list[Mention], i: int, idxs: list[int],
                  cues: SentenceCues, carry: dict, headline: dict, para_trade: bool,
                  pub: tuple[int, int] | None, s0: int, s1: int, doc_carry: dict, f: Frame,
                  c0: int, c1: int, is_trade: bool) -> Frame:
    men = mentions[i]
    pos = men.start
    pos_in = lambda cue: c0 <= cue[0] < c1  # noqa: E731
    # ---- comparison basis ---------------------------------------------------------------------
    if f.measure in ("change", "multiple"):
        _basis(view, mentions, i, idxs, cues, f, c0, c1, pub, carry)
    # a tonnage in an article about exports is a trade figure even in a paragraph that names
    # no flow ("1. Germany: 1,118 tons", "Japan took 226 tons")
    article_trade = para_trade or "flow" in doc_carry or "flow" in headline
    if men.kind == "money" and not cues.trade and not cues.partners \
            and NON_TRADE_MONEY_RE.search(view, s0, s1):
        # "a $120 million plant", "orders worth 1.5 billion yuan": money in a trade story that
        # is not a customs figure
        article_trade = False
    if not (is_trade and article_trade):
        if men.kind not in TRADE_KINDS:
            # ages, distances, workers: the article's periods are not theirs
            f.period = f.period_text = None
            f.inherited.pop("period", None)
            f.unresolved["period"] = "not a trade figure"
        for k in ("flow", "series", "reporter", "partner"):
            f.unresolved[k] = "not a trade figure" if not is_trade else "no trade context"
        return f
    # ---- series, flow, reporter, partner -----------------------------------------------------
    for key, items in (("series", cues.series), ("flow", cues.flows),
                       ("reporter", cues.reporters), ("partner", cues.partners)):
        clause_items = [it for it in items if pos_in(it)]
        if not clause_items:
            clause_items = items
            if key == "partner":
                # a partner crosses into another clause only when that clause does not switch
                # flow: "exports to Japan rose 5%, while imports fell 3%" -> imports: World
                # and a clause with its own flow word is its own subject: "exports fell 6.1% to
                # 5,774 tons, as shipments to the United States dropped" -> 5,774: World
                own_flows = [fl for fl in cues.flows if pos_in(fl)]
                clause_items = [it for it in items if not own_flows
                                or _flow_cue_near(cues, it[0]) in own_flows]
        if key == "partner":
            # a partner right after the number ("3,188 tons globally") beats one before it
            glued = [it for it in clause_items if men.end <= it[0] <= men.end + 12]
            hit = glued[0] if glued else (_nearest(clause_items, pos) if clause_items else None)
        else:
            hit = _nearest(clause_items, pos) if clause_items else None
        if hit is not None:
            if key == "series":
                f.series, f.commodity = hit[3], hit[2]
            elif key == "partner" and hit[2].startswith("?"):
                f.unresolved["partner"] = f"{hit[2][1:]!r} is not in the partner gazetteer"
            else:
                setattr(f, key, hit[2])
        elif key in carry:
            val = carry[key]
            setattr(f, key, val[0])
            if key == "series":
                f.commodity = val[1]
            f.inherited[key] = f"sentence {val[2]}"
        elif key in headline and key != "partner":
            val = headline[key]
            setattr(f, key, val[0])
            if key == "series":
                f.commodity = val[1]
            f.inherited[key] = "headline"
        elif key in doc_carry and key != "partner":
            val = doc_carry[key]
            setattr(f, key, val[0])
            if key == "series":
                f.commodity = val[1]
            f.inherited[key] = f"sentence {val[2]}"
        elif key == "partner" and (f.flow or "flow" in carry or "flow" in headline):
            # exports with no destination named are exports to all destinations
            f.partner = "World"
            f.inherited["partner"] = "no partner named: the total"
        else:
            f.unresolved[key] = f"no {key} stated in the sentence, paragraph or headline"
    if f.reporter is None and CUSTOMS_RE.search(lowered(view), s0, s1):
        f.reporter = "China"
        f.unresolved.pop("reporter", None)
        f.inherited["reporter"] = "customs source"
    return f


def _measure(view: str, men: Mention, s0: int, s1: int) -> str:
    if men.kind == "multiple":
        return "multiple"
    left = view[max(s0, men.start - 40):men.start]
    right = view[men.end:min(s1, men.end + 30)]
    if men.kind in ("percent", "percentage_points", "basis_points"):
        if men.kind == "percent" and _RE_5.search(left):
            return "level"  # "rose 3 points to 40%": the new level
        if men.kind == "percent" and (SHARE_BEFORE_RE.search(left) or (
                SHARE_AFTER_RE.match(right) and not men.direction)):
            return "share"
        if men.direction or CHANGE_NOUN_AFTER_RE.match(right) or men.kind != "percent":
            return "change"
        if _RE_0.match(right):
            return "change"
        return "level"
    if men.direction and men.kind in ("mass", "money", "count"):
        # "rose 1,950 tons" / "up $3m" / "an increase of 500 tons": an amount of change;
        # "rose to 353 tons": a level.
        if _RE_6.search(left) \
                and not _RE_9.search(left):
            return "level"
        if men.verb and re.search(rf"\b{re.escape(men.verb)}\s+(?:by\s+)?(?:an?\s+)?(?:\S+\s+)?$",
                                  left, re.I):
            return "change"
    return "level"


def _basis(view: str, mentions: list[Mention], i: int, idxs: list[int], cues: SentenceCues,
           f: Frame, c0: int, c1: int, pub: tuple[int, int] | None, carry: dict) -> None:
    men = mentions[i]
    # 1. basis words: "month-on-month", "on the year", "y/y"
    words = [b for b in cues.bases if c0 <= b[0] < c1 and b[0] >= men.start - 40]
    # 2. named base periods: "from May", "than June 2024", "the May level"
    periods = [p for p in cues.periods if p.basis in ("period", "mom", "yoy")
               and c0 <= p.start < c1 and p.start >= men.end - 2]
    # 3. a base level: "up 157.5% from 1,238 tons in May"
    base_level = None
    for j in idxs:
        o = mentions[j]
        if o.start > men.end and _RE_7.fullmatch(view[men.end:o.start]):
            base_level = o
            break
    candidates: list[tuple[int, str, str]] = []
    for b in words:
        candidates.append((abs(b[0] - men.end), b[2], view[b[0]:b[1]]))
    # A base named before the number counts when no other number claims it in between:
    # "Compared with September, shipments jumped 56.1%"; "sevenfold from May, a rise of 660%".
    for p in cues.periods:
        if p.basis in ("period", "mom", "yoy") and c0 <= p.start and p.end <= men.start and not any(
                p.end <= mentions[j].start < men.start
                and mentions[j].kind in ("percent", "percentage_points", "multiple")
                for j in idxs if j != i):
            periods.append(p)
    for p in periods:
        val = p.basis if p.basis in ("mom", "yoy") else normalize_basis(f.period, p.period)
        if val is None and p.basis == "period":
            f.unresolved["basis"] = p.reason or "comparison period could not be resolved"
            continue
        distance = p.start - men.end if p.start >= men.end else 200 + men.start - p.end
        candidates.append((distance, val, p.text))
    if base_level is not None:
        f.basis_value = float(base_level.value) if isinstance(base_level.value, Decimal) else None
        # the base level's own period ("in May") decides the basis
        own = [p for p in cues.periods if base_level.end <= p.start <= base_level.end + 30
               and p.period and _RE_11.fullmatch(view[base_level.end:p.start])]
        if own and own[0].period:
            candidates.append((abs(base_level.start - men.end), normalize_basis(f.period, own[0].period),
                               view[base_level.start:own[0].end]))
    if candidates:
        candidates.sort(key=lambda c: c[0])
        f.basis, f.basis_text = candidates[0][1], candidates[0][2]
        f.unresolved.pop("basis", None)
    elif carry.get("basis"):
        # "Exports rose 6% from 2023. Export value, however, fell 36%": the paragraph's one
        # comparison basis applies to changes that state none
        f.basis, f.basis_text = carry["basis"][0], carry["basis"][1]
        f.inherited["basis"] = f"sentence {carry['basis'][2]}"
        f.unresolved.pop("basis", None)
    elif "basis" not in f.unresolved:
        f.unresolved["basis"] = "no comparison basis stated"
