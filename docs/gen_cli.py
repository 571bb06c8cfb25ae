"""Regenerate docs/cli.md from the parser: `python docs/gen_cli.py` (a test checks it is current)."""

import os
from pathlib import Path


def render() -> str:
    os.environ["COLUMNS"] = "100"
    from factcheck.cli import build_parser

    parser = build_parser()
    subs = parser._subparsers._group_actions[0].choices  # argparse keeps subparsers here
    parts = ["# Command line\n", "Generated from `--help` by `docs/gen_cli.py`; "
             "`tests/test_cli_docs.py` fails when it is out of date.\n",
             "```\n" + parser.format_help() + "```\n"]
    for name, sub in subs.items():
        parts.append(f"## factcheck {name}\n\n```\n{sub.format_help()}```\n")
        nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
        for group in nested:
            for inner, p in group.choices.items():
                parts.append(f"### factcheck {name} {inner}\n\n```\n{p.format_help()}```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    Path(__file__).with_name("cli.md").write_text(render(), encoding="utf-8")
