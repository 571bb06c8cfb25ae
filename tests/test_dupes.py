"""Duplicated passages: in one article (check) and across an archive (dupes)."""

import json
from pathlib import Path

from factcheck.archive_dupes import find_archive_duplicates
from factcheck.document import build_document
from factcheck.dupes import find_in_document
from factcheck.passages import compare, is_rounding, tokenize

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "corpora" / "articles"
PARA = ("Outbound shipments to the United States from the world's largest producer of rare earth "
        "magnets surged to {n} metric tons in June, up {p}% from May, data from the General "
        "Administration of Customs showed on Sunday.")


def groups(text: str):
    return find_in_document(build_document(text))


def test_seed_001_every_repeated_block_grouped_with_spans():
    text = (ARTICLES / "001_seed_ainvest.txt").read_text(encoding="utf-8")
    gs = groups(text)
    kinds = sorted((g.kind, g.level, len(g.passages)) for g in gs)
    assert kinds == [("exact", "block", 2), ("near", "paragraph", 3)]
    block = next(g for g in gs if g.kind == "exact")
    first, copy = block.passages
    assert text[first.start:first.end] == text[copy.start:copy.end]
    assert text[first.start:].startswith("Outbound shipments") and first.start < copy.start
    assert "References" in first.text  # the repeated reference list is part of the block
    lead = next(g for g in gs if g.kind == "near")
    glued = lead.passages[2]
    # the copy glued to "Title: ..." is reported from where the shared text starts
    assert text[glued.start - 60:glued.start].startswith("Title:") is False
    assert "Title:" in text[glued.start - 70:glued.start]
    assert glued.text.startswith("China's exports of rare earth magnets to the United States")


def test_seed_000_has_no_duplicates():
    text = (ARTICLES / "000_seed_groundnews.txt").read_text(encoding="utf-8")
    assert groups(text) == []


def test_number_changed_copy_is_inconsistent_with_both_values():
    text = PARA.format(n="353", p="660") + "\n\nOther news.\n\n" + PARA.format(n="335", p="660")
    (g,) = groups(text)
    assert g.kind == "inconsistent"
    (d,) = g.differences
    assert (d.a, d.b) == ("353", "335") and text[d.a_start:d.a_end] == "353" and text[d.b_start:d.b_end] == "335"


def test_rounding_is_not_an_inconsistency():
    assert is_rounding("38.1", "38") and is_rounding("3,188", "3,190") and not is_rounding("353", "335")
    a = tokenize(PARA.format(n="353", p="38.1"))
    b = tokenize(PARA.format(n="353", p="38"))
    cmp = compare(a, b)
    assert cmp.differences and all(d.rounding for d in cmp.differences) and not cmp.numbers_differ


def test_formula_sentences_are_not_duplicates():
    text = ("Shares of MP Materials rose 5.2% on Tuesday in New York trading.\n\n"
            "Shares of Lynas Rare Earths fell 3.1% on Tuesday in Sydney trading.")
    assert groups(text) == []


def test_whitespace_quotes_and_case_do_not_hide_an_exact_copy():
    a = PARA.format(n="353", p="660")
    b = a.upper().replace("'", "’").replace(" ", "  ")
    (g,) = groups(a + "\n\n" + b)
    assert g.kind == "exact"


def _archive():
    filler = [f"Beijing said on {d} it would review export licences for {x} companies, officials "
              "told reporters at a regular briefing in the capital."
              for d, x in [("Monday", "seven"), ("Tuesday", "twelve"), ("Friday", "three")]]
    boiler = "This article was produced by an automated system and checked by an editor before publication today."
    recs = []
    for n in range(30):
        recs.append((f"doc{n:02d}", f"Story {n} about trade figures number {n * 7} in month {n}.\n\n{boiler}"))
    recs.append(("wire", filler[0] + "\n\n" + PARA.format(n="353", p="660")))
    recs.append(("copy", filler[1] + "\n\n" + PARA.format(n="335", p="660")))
    recs.append(("glued", filler[2] + "\n\nTitle: Magnet exports soar" + PARA.format(n="353", p="660")))
    return recs


def test_archive_finds_cross_document_copies_and_summarises_boilerplate():
    result = find_archive_duplicates(_archive(), workers=1)
    by_docs = {tuple(sorted(p.doc for p in g.passages)): g for g in result.groups}
    assert by_docs[("copy", "wire")].kind == "inconsistent"
    assert [(d.a, d.b) for d in by_docs[("copy", "wire")].differences] in ([("353", "335")], [("335", "353")])
    assert by_docs[("glued", "wire")].kind == "near"
    (bp,) = result.boilerplate
    assert bp.count == 30 and bp.text.startswith("This article was produced")
    assert not any(len(g.passages) > 3 for g in result.groups)  # boilerplate is not listed


def test_archive_workers_give_the_same_result():
    one = find_archive_duplicates(_archive(), workers=1)
    two = find_archive_duplicates(_archive(), workers=2)
    assert [g.to_dict() for g in one.groups] == [g.to_dict() for g in two.groups]


def test_dupes_cli_json_names_each_passage_doc(run, tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps({"id": i, "date": "2025-07-20", "body": t}) + "\n"
                            for i, t in _archive()), encoding="utf-8")
    code, out, _ = run("dupes", str(path), "--format", "json")
    d = json.loads(out)
    assert code == 1  # an inconsistent copy
    # the copy differs from the wire story and from the glued copy of it
    assert d["schema"] == "factcheck.dupes/1" and d["summary"]["inconsistent"] == 2
    docs = [{p["doc"] for p in g["passages"]} for g in d["groups"] if g["kind"] == "inconsistent"]
    assert {"wire", "copy"} in docs and {"glued", "copy"} in docs
    assert all({"start", "end", "text"} <= p.keys() for g in d["groups"] for p in g["passages"])
    assert d["boilerplate"][0]["count"] == 30


def test_dupes_rich_shows_copies_side_by_side(run, tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps({"id": i, "body": t}) + "\n" for i, t in _archive()),
                    encoding="utf-8")
    code, out, _ = run("dupes", str(path), "--format", "rich", "--kind", "inconsistent")
    assert "D201 inconsistent" in out and "wire" in out and "copy" in out and "353 vs 335" in out


def test_check_json_has_duplicates_for_seed_001(run_json):
    code, d, _ = run_json("check", str(ARTICLES / "001_seed_ainvest.txt"), "--date", "2025-07-20")
    assert code == 0
    assert [g["kind"] for g in d["duplicates"]] == ["near", "exact"]
    for g in d["duplicates"]:
        assert {"kind", "similarity", "passages"} <= g.keys()
        assert all({"start", "end", "text"} <= p.keys() for p in g["passages"])
    assert d["summary"]["duplicates"] == 2


def test_regression_group_keeps_every_link_when_its_root_changes():
    # A ~ M and B ~ M but A !~ B, with A first: the union re-roots the group at B, and the A-M
    # link (the weaker one) used to be filed under the old root and dropped from the group.
    words = [f"word{n}" for n in range(40)]
    a = list(words)
    m = list(words)
    for n in (2, 9, 16, 23, 30, 37):
        m[n] = f"mid{n}"
    b = list(m)
    for n in (5, 12, 19, 33):
        b[n] = f"other{n}"
    text = "\n\n".join(" ".join(x) + "." for x in (a, b, m))
    (g,) = groups(text)
    assert len(g.passages) == 3
    ta, tb, tm = (tokenize(" ".join(x)) for x in (a, b, m))
    assert compare(ta, tb).similarity < 0.8
    assert g.similarity == min(compare(ta, tm).similarity, compare(tb, tm).similarity)
