"""Configuration: ``[tool.factcheck]`` in pyproject.toml, or the same keys at the top level of
factcheck.toml (a ``[tool.factcheck]`` table there is read too).

Found by walking up from the current directory: the first directory holding a factcheck.toml,
or a pyproject.toml with a ``[tool.factcheck]`` table, wins (factcheck.toml first, as ruff.toml
beats pyproject.toml). ``--config FILE`` names one; ``--isolated`` ignores them all. Command-line
flags beat the file; the file beats the defaults. Every value remembers where it came from, which
``factcheck config --show`` prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cli import CHECK_FORMATS  # one list of formats, kept with the flags
from .errors import FactcheckError
from .findings import CATEGORIES, DEFAULT_FAIL_ON, check_codes, parse_categories
from .verdicts import DEFAULT_TOLERANCES

FORMAT_NAMES = (*CHECK_FORMATS, "table")  # table: another name for rich

# key -> (default, what it is); the docs table is generated from this
KEYS: dict[str, tuple[Any, str]] = {
    "reference": ([], "directories of your own reference tables, laid over the shipped data "
                      "(relative to the config file)"),
    "fail_on": (list(DEFAULT_FAIL_ON), "finding categories that make the exit code 1"),
    "show": (list(CATEGORIES), "finding categories reported"),
    "disable": ([], "finding codes (or prefixes: V3, C2) turned off everywhere"),
    "format": (None, f"default output format of check: {', '.join(CHECK_FORMATS)}"),
    "baseline": (None, "a baseline file (from `factcheck baseline`): only newer findings are "
                       "reported (relative to the config file)"),
    "model": (None, "spaCy pipeline: a name or path, blank, rules, or auto"),
    "max_annotations": (10, "most GitHub annotations of each level (error, warning) written; the "
                           "rest are counted in the summary (GitHub shows 10 of each a step)"),
    "tolerance.hedge": (float(DEFAULT_TOLERANCES["hedge"]),
                        "'about', 'around', 'roughly': the share either side accepted"),
    "tolerance.round_number": (float(DEFAULT_TOLERANCES["round_number"]),
                               "a round number ('160%') may be rounded by at most this share"),
    "tolerance.multiple_in_words": (float(DEFAULT_TOLERANCES["multiple_in_words"]),
                                    "'doubled', 'sevenfold': the share either side accepted"),
    "serve.host": ("127.0.0.1", "address `factcheck serve` binds"),
    "serve.port": (8765, "port `factcheck serve` listens on"),
    "serve.cors_origins": ([], "origins allowed to call the API from a browser (CORS is off "
                               "when empty)"),
    "serve.max_body_bytes": (2_000_000, "largest request body accepted (413 above)"),
    "serve.timeout": (10.0, "seconds a request may take (504 after)"),
}
PATH_KEYS = ("reference", "baseline")
# setting <- argparse attribute <- flag (as the source names it); None or [] means not given
FLAGS = (("fail_on", "fail_on", "--fail-on"), ("show", "show", "--show"),
         ("disable", "disable", "--disable"), ("format", "format", "--format"),
         ("baseline", "baseline", "--baseline"), ("model", "model", "--model"),
         ("reference", "reference", "--reference"),
         ("max_annotations", "max_annotations", "--max-annotations"),
         ("serve.host", "host", "--host"), ("serve.port", "port", "--port"),
         ("serve.cors_origins", "cors_origin", "--cors-origin"),
         ("serve.timeout", "timeout", "--timeout"),
         ("serve.max_body_bytes", "max_body_bytes", "--max-body-bytes"))


@dataclass
class Settings:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    file: str | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def set(self, key: str, value: Any, source: str) -> None:
        self.values[key] = value
        self.sources[key] = source

    def tolerances(self) -> dict[str, Any]:
        return {k.split(".", 1)[1]: v for k, v in self.values.items()
                if k.startswith("tolerance.")}

    def as_table(self) -> list[tuple[str, Any, str]]:
        return [(k, self.values[k], self.sources[k]) for k in KEYS]


def find_config(start: str | os.PathLike | None = None) -> Path | None:
    """factcheck.toml, or a pyproject.toml with [tool.factcheck], nearest up from ``start``."""
    import tomllib

    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "factcheck.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                with open(pyproject, "rb") as fh:
                    raw = fh.read()
                if "factcheck" in tomllib.loads(raw.decode("utf-8")).get("tool", {}):
                    return pyproject
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                # ours if it names our table: read it (and report it) rather than walk past
                if b"[tool.factcheck" in raw:
                    return pyproject
            except OSError:
                continue
    return None


def _flatten(table: dict, prefix: str = "") -> dict[str, Any]:
    out = {}
    for key, value in table.items():
        name = prefix + key.replace("-", "_")
        if isinstance(value, dict) and name in ("tolerance", "serve"):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def read_config_file(path: Path) -> dict[str, Any]:
    """The file's factcheck keys, flattened (``tolerance.hedge``) and checked; E023 if wrong."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise FactcheckError("E023", str(path), "no such file") from None
    except OSError as exc:
        raise FactcheckError("E023", str(path), exc.strerror or str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise FactcheckError("E023", str(path), f"not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("factcheck")
    if table is None:
        if path.name == "pyproject.toml":
            raise FactcheckError("E023", str(path), "no [tool.factcheck] table")
        table = {k: v for k, v in data.items() if k != "tool"}
    if not isinstance(table, dict):
        raise FactcheckError("E023", str(path), "[tool.factcheck] must be a table")
    flat = _flatten(table)
    unknown = sorted(set(flat) - set(KEYS))
    if unknown:
        raise FactcheckError("E023", str(path), f"unknown key {', '.join(unknown)}; known: "
                             f"{', '.join(KEYS)}")
    for key, value in flat.items():
        flat[key] = _checked(key, value, str(path), path.parent)
    return flat


def _checked(key: str, value: Any, where: str, base: Path | None) -> Any:
    """A value of the right type (paths made absolute against ``base``); E023 otherwise."""
    def bad(why: str):
        return FactcheckError("E023", where, f"{key}: {why}")

    default = KEYS[key][0]
    if key in ("fail_on", "show"):
        if not (isinstance(value, str) or (isinstance(value, list)
                                           and all(isinstance(v, str) for v in value))):
            raise bad('a list of categories, e.g. ["mismatch", "inconsistent"], or "all" / "none"')
        try:
            return list(parse_categories(value, key))
        except FactcheckError as exc:
            raise bad(exc.detail) from None
    if key == "disable":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad('a list of codes, e.g. ["V305", "C2"]')
        try:
            return list(check_codes(value, where))
        except FactcheckError as exc:
            raise bad(exc.detail) from None
    if key in ("reference", "serve.cors_origins"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of strings")
        if key == "reference" and base is not None:
            return [str((base / v).resolve()) for v in value]
        return value
    if key == "format":
        if value not in FORMAT_NAMES:
            raise bad(f"one of {', '.join(CHECK_FORMATS)}")
        return "rich" if value == "table" else value
    if key == "serve.port":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
            raise bad("a port number, 0 to 65535 (0: any free port)")
        return value
    if key in ("baseline", "model", "serve.host"):
        if not isinstance(value, str) or not value:
            raise bad("a string")
        return str((base / value).resolve()) if key == "baseline" and base is not None else value
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise bad("a number, 0 or more")
    if key.startswith("tolerance.") and value >= 1:
        raise bad("a share below 1 (0.05 = 5%)")
    if key == "serve.timeout" and value <= 0:
        raise bad("seconds, more than 0")
    if isinstance(default, int) and not isinstance(default, bool):
        if value != int(value) or value <= 0:
            raise bad("a whole number above 0")
        return int(value)
    return float(value)


def load_settings(args=None, start: str | None = None) -> Settings:
    """Defaults, then the config file, then the command line (``args`` from argparse: its
    attributes left at None were not given)."""
    settings = Settings()
    for key, (default, _) in KEYS.items():
        settings.set(key, default, "default")
    if args is not None and getattr(args, "isolated", False):
        path = None
    elif args is not None and getattr(args, "config", None):
        path = Path(args.config)
    else:
        path = find_config(start)
    if path is not None:
        label = f"{path} [tool.factcheck]" if path.name == "pyproject.toml" else str(path)
        settings.file = str(path)
        for key, value in read_config_file(path).items():
            settings.set(key, value, label)
    env_model = os.environ.get("FACTCHECK_SPACY_MODEL")
    if env_model:
        settings.set("model", env_model, "environment (FACTCHECK_SPACY_MODEL)")
    if args is not None:
        for key, attr, flag in FLAGS:
            if key == "format" and getattr(args, "command", None) == "config":
                continue  # config's own --format is how to print it, not a setting
            value = getattr(args, attr, None)
            if value is None or value == []:
                continue
            if key in ("fail_on", "show"):
                value = list(parse_categories(value, flag))
            elif key == "disable":
                value = list(check_codes([v for item in value for v in item.split(",")], flag))
            elif key == "format" and value == "table":
                value = "rich"
            settings.set(key, value, f"command line ({flag})")
    return settings
