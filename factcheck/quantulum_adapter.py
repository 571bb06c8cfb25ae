"""quantulum3 as a secondary unit recognizer, behind an adapter that overrides its known errors.

The rules decide almost every mention. Only a number followed by an unknown unit-like token
("3000 rpm", "20 mmBTU", "5 GHz") is handed to quantulum3, and only that sentence, so its
~3 s first-parse cost (the inflect import) is paid only by documents that need it.
Known quantulum3 errors are overridden, never trusted: it reads "tons" as short tons and "MT" as
megatonnes, and mis-scales "bn"/"mln"; for those the rules' answer stands.
"""

from __future__ import annotations

import re
from decimal import Decimal

UNKNOWN_UNIT_RE = re.compile(r"[ \t]?(?P<u>[A-Za-z][A-Za-z/°µ]{0,6})(?![A-Za-z])")
# quantulum3 names the rules already decide better; its answers for these are ignored.
DISTRUSTED = {"ton", "short ton", "long ton", "tonne", "metric ton", "megatonne", "million",
              "billion", "dimensionless", "count"}
_parser = None


def _load():
    global _parser
    if _parser is None:
        import warnings

        with warnings.catch_warnings():
            # its optional classifier is not installed (it breaks with scikit-learn 1.9)
            warnings.simplefilter("ignore")
            from quantulum3 import parser

        _parser = parser
    return _parser


def needs_help(view: str, end: int, limit: int, known_nouns: set[str]) -> str | None:
    """The unit-like token after a number that the rules do not know, if any."""
    m = UNKNOWN_UNIT_RE.match(view, end, limit)
    if not m:
        return None
    tok = m.group("u")
    if tok.lower() in known_nouns:
        return None
    if any(c.isupper() for c in tok[1:]) or (len(tok) <= 3 and tok.islower() and tok not in (
            "and", "the", "for", "was", "per", "its", "are", "has", "had", "but", "not", "new",
            "all", "one", "two", "yet", "you", "his", "her", "our", "who", "out", "off", "now",
            "ago", "set", "say", "saw", "won", "got", "put", "via", "key", "top", "old", "big",
            "day", "men", "way", "run", "see", "use", "add", "may", "can")):
        return tok
    return None


def unit_for(sentence: str, value: Decimal) -> tuple[str, str] | None:
    """quantulum3's unit for ``value`` in ``sentence``, as (unit name, entity), or None."""
    try:
        quantities = _load().parse(sentence)
    except Exception:  # quantulum3 raises on odd input; the rules' answer stands
        return None
    for q in quantities:
        try:
            same = abs(float(q.value) - float(value)) <= 1e-9 * max(1.0, abs(float(value)))
        except (TypeError, ValueError):
            continue
        name = q.unit.name.lower()
        # compound guesses ("per metre to the 12 metre") are quantulum3 reading noise as units
        if same and name not in DISTRUSTED and " to the " not in name and len(name.split()) <= 4 \
                and not name.startswith("per "):
            return name, q.unit.entity.name
    return None
