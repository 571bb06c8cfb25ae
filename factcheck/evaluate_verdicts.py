"""Score verdicts against the hand-made verdict gold (``corpus/verdicts/*.json``).

Each gold claim (located by quote and occurrence) is paired with the checked claim whose span
overlaps it. A gold claim the extractor missed has no verdict and counts as wrong. Figures:

- accuracy: tool verdict == gold verdict, over all gold claims;
- mismatch recall: gold mismatches the tool calls mismatch (and, of those, with the gold reason);
- false-alarm rate: claims the tool calls mismatch among gold non-mismatches (correct or
  uncheckable copy), and among gold-supported claims alone;
- supported rate: gold-supported claims the tool calls supported (not unverifiable).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FactcheckError
from .evaluate import _locate

VERDICTS = ("supported", "mismatch", "unverifiable")
REASONS = {"mismatch": {"value", "direction", "period", "basis", "series", "partner", "unit",
                        "separator", "superlative"},
           "unverifiable": {"series", "period", "partner", "measure", "frame"},
           "supported": {None}}


@dataclass
class VerdictScore:
    articles: int = 0
    gold: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold, tool or "missed") -> n
    reason_hits: int = 0
    errors: list[str] = field(default_factory=list)

    def _n(self, gold: str | None = None, tool: str | None = None) -> int:
        return sum(n for (g, t), n in self.confusion.items()
                   if (gold is None or g == gold) and (tool is None or t == tool))

    def figures(self) -> dict:
        gm, gs = self._n("mismatch"), self._n("supported")
        correct = sum(self._n(v, v) for v in VERDICTS)
        non_mismatch = self.gold - gm
        return {
            "articles": self.articles, "gold_claims": self.gold,
            "accuracy": _ratio(correct, self.gold),
            "mismatch_recall": _ratio(self._n("mismatch", "mismatch"), gm),
            "mismatch_reason_accuracy": _ratio(self.reason_hits, self._n("mismatch", "mismatch")),
            "false_alarm_rate": _ratio(self._n(tool="mismatch") - self._n("mismatch", "mismatch"),
                                       non_mismatch),
            "false_alarm_rate_supported": _ratio(self._n("supported", "mismatch"), gs),
            "supported_rate": _ratio(self._n("supported", "supported"), gs),
            "gold": {v: self._n(v) for v in VERDICTS},
            "confusion": {f"{g}->{t}": n for (g, t), n in sorted(self.confusion.items())},
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def load_verdict_gold(corpus: Path) -> dict[str, dict]:
    out = {}
    vdir = corpus / "verdicts"
    if not vdir.is_dir():
        raise FactcheckError("E011", str(vdir), "no verdicts/ directory in this corpus")
    for path in sorted(vdir.glob("*.json")):
        try:
            out[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise FactcheckError("E011", str(path), f"not JSON: {exc}") from None
    return out


def validate_verdicts(corpus: Path) -> list[str]:
    """Each verdict file lists the gold file's claims in order, with allowed values."""
    problems = []
    for stem, vg in load_verdict_gold(corpus).items():
        gold_path = corpus / "gold" / f"{stem}.json"
        if not gold_path.exists():
            problems.append(f"verdicts/{stem}.json: no gold file")
            continue
        claims = json.loads(gold_path.read_text(encoding="utf-8"))["claims"]
        vclaims = vg.get("claims", [])
        if len(vclaims) != len(claims):
            problems.append(f"verdicts/{stem}.json: {len(vclaims)} entries, gold has {len(claims)}")
        for n, (g, v) in enumerate(zip(claims, vclaims, strict=False), 1):
            tag = f"verdicts/{stem}.json#{n}"
            if (g["quote"], g["occurrence"]) != (v.get("quote"), v.get("occurrence")):
                problems.append(f"{tag}: quote/occurrence differ from the gold file")
            if v.get("verdict") not in VERDICTS:
                problems.append(f"{tag}: verdict {v.get('verdict')!r}")
            elif v.get("reason") not in REASONS[v["verdict"]]:
                problems.append(f"{tag}: reason {v.get('reason')!r} for {v['verdict']}")
    return problems


def evaluate_verdicts(corpus: Path, reference_dirs: tuple[str, ...] = (),
                      details: list | None = None) -> VerdictScore:
    from .check import Checker
    from .inputs import read_inputs

    checker = Checker(reference_dirs)
    score = VerdictScore()
    for stem, vg in load_verdict_gold(corpus).items():
        gold = json.loads((corpus / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        article_path = next((corpus / "articles").glob(stem + ".*"), None)
        if article_path is None:
            raise FactcheckError("E011", stem, "no article with this name")
        article = next(a for a in read_inputs([str(article_path)])
                       if not isinstance(a, FactcheckError))
        checked = checker.check(article, gold.get("date"))
        score.articles += 1
        used: set[int] = set()
        for v in vg["claims"]:
            s, e = _locate(article.text, v["quote"], v["occurrence"], stem)
            hit = next((i for i, c in enumerate(checked.claims)
                        if i not in used and c.start < e and s < c.end), None)
            score.gold += 1
            if hit is None:
                score.confusion[(v["verdict"], "missed")] += 1
                if details is not None:
                    details.append(f"{stem}: {v['quote']!r} gold {v['verdict']}: not extracted")
                continue
            used.add(hit)
            tool = checked.verdicts[hit]
            score.confusion[(v["verdict"], tool.verdict)] += 1
            if v["verdict"] == tool.verdict == "mismatch" and v.get("reason") == tool.reason:
                score.reason_hits += 1
            if details is not None and (tool.verdict != v["verdict"] or (
                    tool.verdict == "mismatch" and tool.reason != v.get("reason"))):
                details.append(
                    f"{stem}: {v['quote']!r} gold {v['verdict']}/{v.get('reason')} "
                    f"({v.get('note', '')}) | tool {tool.verdict}/{tool.reason}: "
                    f"{tool.explanation}")
    return score
