"""Score the internal-arithmetic check against the consistency gold (``corpora/consistency``).

``pairs.jsonl`` holds related claims found by hand (quote + occurrence, as in the claim gold)
with the expected result: consistent, inconsistent, or unrelated (must not be linked as one
quantity). A gold item is *linked* when one finding holds all its claims; its verdict is then
the finding's (inconsistent wins when several findings hold them). Figures:

- inconsistent recall: gold-inconsistent items the tool calls inconsistent;
- false inconsistent: gold consistent or unrelated items the tool calls inconsistent;
- consistent linked: gold-consistent items the tool links and calls consistent;
- unexpected inconsistent findings: inconsistent findings in the gold files' articles that no
  gold item expects (false alarms the gold did not plan for; the gold lists every genuine one).

Items are split dev / held-out by the article's folder (heldout, heldout2 are never tuned on).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .errors import FactcheckError
from .evaluate import _locate


def _split(path: str) -> str:
    return "heldout" if "/heldout" in path else "dev"


def evaluate_consistency(corpus: Path, details: list[str] | None = None) -> dict:
    from .check import Checker
    from .inputs import read_inputs

    gold_path = corpus / "consistency" / "pairs.jsonl"
    if not gold_path.is_file():
        raise FactcheckError("E011", str(gold_path), "no consistency gold found; "
                             "pass --corpus DIR holding consistency/pairs.jsonl")
    root = corpus.parent
    items = []
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise FactcheckError("E011", f"{gold_path}:{n}", f"not JSON: {exc.msg}") from None
    checker = Checker()
    cache: dict[tuple[str, str], tuple] = {}
    confusion: Counter = Counter()  # (split, expected, got) -> n
    by_relation: Counter = Counter()
    expected_bad: dict[tuple[str, str], set] = {}
    for item in items:
        key = (item["file"], item["date"])
        if key not in cache:
            arts = [a for a in read_inputs([str(root / item["file"])]) if not isinstance(a, FactcheckError)]
            if not arts:
                raise FactcheckError("E011", item["file"], "article could not be read")
            checked = checker.check(arts[0], item["date"])
            cache[key] = (arts[0].text, checked)
        text, checked = cache[key]
        starts = {c.start: i for i, c in enumerate(checked.claims)}
        wanted = set()
        for q in item["claims"]:
            s, _ = _locate(text, q["quote"], q.get("occurrence", 1), item["file"])
            idx = starts.get(s)
            if idx is None:  # the claim may start a little earlier ("up 660%" vs "660%")
                idx = next((i for i, c in enumerate(checked.claims) if c.start <= s < c.end), None)
            wanted.add(idx)
        # the same figure printed twice (a repeated paragraph) is one figure: a relation is
        # reported once, on its first printing
        same = {i: {j for j, o in enumerate(checked.claims) if o.text == checked.claims[i].text}
                for i in wanted if i is not None}
        holding = [f for f in checked.consistency if None not in wanted
                   and all(same[i] & set(f.claims) for i in wanted)]
        got = "unrelated"
        if holding:
            got = "inconsistent" if any(f.verdict == "inconsistent" for f in holding) else "consistent"
        expected = item["expected"]
        split = _split(item["file"])
        confusion[(split, expected, got)] += 1
        by_relation[(item["relation"], expected, got == expected or (
            expected == "unrelated" and got != "inconsistent"))] += 1
        if expected == "inconsistent":
            expected_bad.setdefault(key, set()).update(wanted)
        if details is not None and got != expected and not (expected == "unrelated" and got == "consistent"):
            quotes = " / ".join(q["quote"] for q in item["claims"])
            details.append(f"{item['file']}: {item['relation']} [{quotes}] expected {expected}, got {got}")
    unexpected = 0
    for key, (_, checked) in cache.items():
        for f in checked.inconsistent:
            if not set(f.claims) & expected_bad.get(key, set()):
                unexpected += 1
                if details is not None:
                    details.append(f"{key[0]}: unexpected inconsistent finding: {f.arithmetic}")

    def rate(split: str | None, expected: tuple[str, ...], got: tuple[str, ...]) -> dict:
        num = sum(n for (s, e, g), n in confusion.items()
                  if (split is None or s == split) and e in expected and g in got)
        den = sum(n for (s, e, _), n in confusion.items()
                  if (split is None or s == split) and e in expected)
        return {"value": round(num / den, 3) if den else None, "n": num, "of": den}

    figures = {"items": len(items), "articles": len(cache),
               "gold": dict(Counter(i["expected"] for i in items))}
    for split in (None, "dev", "heldout"):
        name = split or "all"
        figures[name] = {
            "inconsistent_recall": rate(split, ("inconsistent",), ("inconsistent",)),
            "false_inconsistent": rate(split, ("consistent", "unrelated"), ("inconsistent",)),
            "consistent_linked": rate(split, ("consistent",), ("consistent",)),
            "unrelated_not_flagged": rate(split, ("unrelated",), ("unrelated", "consistent")),
        }
    figures["unexpected_inconsistent_findings"] = unexpected
    figures["by_relation"] = {f"{r}/{e}": {"right": by_relation[(r, e, True)],
                                           "of": by_relation[(r, e, True)] + by_relation[(r, e, False)]}
                              for r, e in sorted({(r, e) for r, e, _ in by_relation})}
    return figures
