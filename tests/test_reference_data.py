"""Reference tables: strict loading, shipped data, importers, ``factcheck data``."""

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.reference import load_reference, read_figures, validate_reference

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
HEADER = "series,flow,reporter,partner,period,measure,value,unit,stated,status,source\n"


def table(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "figures.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("header, body, line, column, says", [
    (HEADER.replace("unit,", ""), "rare_earths,export,China,World,2025-05,level,5864.6,stated,"
     "accepted,Reuters\n", 1, None, "missing column(s) unit"),
    (HEADER, "rare_earths,export,China,World,2025-05,level,5,864.6x,t,stated,accepted,R\n", 2,
     None, "cells but the header"),
    (HEADER, "rare_earths,export,China,World,2025-05,level,58x4,t,stated,accepted,R\n", 2,
     "value", "not a number"),
    (HEADER, "rare_earths,export,China,World,2025-05,level,5864.6,bushels,stated,accepted,R\n",
     2, "unit", "unknown unit"),
    (HEADER, "rare_earths,export,China,World,May 2025,level,5864.6,t,stated,accepted,R\n", 2,
     "period", "YYYY-MM"),
    (HEADER, "rare_earths,export,China,World,2025-05,level,5864.6,t,stated,accepted,R\n"
             "rare_earths,export,China,World,2025-05,level,5846.6,t,stated,accepted,R\n", 3,
     "value", "duplicate key"),
])
def test_malformed_table_names_file_line_and_column(tmp_path, header, body, line, column, says):
    path = table(tmp_path, body, header)
    with pytest.raises(FactcheckError) as info:
        read_figures(path)
    err = info.value
    assert (err.code, err.line, err.column) == ("E012", line, column)
    assert says in err.detail
    assert str(path) in str(err)


def test_a_bad_user_table_stops_the_run_with_nothing_half_loaded(run, tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    table(ref, "soybeans,import,China,World,2025-05,level,13920000,t,stated,accepted,GAC\n"
               "soybeans,import,China,World,2025-06,level,12.2m,t,stated,accepted,GAC\n")
    draft = tmp_path / "a.txt"
    draft.write_text("China's soybean imports rose to 13.92 million tons in May 2025.\n")
    code, out, err = run("check", str(draft), "--reference", str(ref), "--format", "json")
    assert code == 2 and out == ""
    assert "E012" in err and "figures.csv:3 column 'value'" in err


def test_missing_reference_directory(run, tmp_path):
    code, _, err = run("check", "-", "--reference", str(tmp_path / "nope"))
    assert code == 2 and "E015" in err


def test_shipped_data_keeps_sources_disputed_rows_and_conflicts():
    ref = load_reference()
    assert all(f.source for f in ref.figures)
    disputed = [f for f in ref.figures if f.status == "disputed"]
    assert any(f.partner == "Japan" and f.value == Decimal("411.3") for f in disputed)
    # a disputed figure is never the official value
    assert all(f.status == "accepted" for f in ref.lookup(
        "rare_earth_magnets", "export", "China", "Japan", "2025-12", "level"))
    notes = validate_reference()
    assert any("58152" in n and "58120" in n for n in notes)  # Adamas vs SMM FY2024, both kept
    catalog = ref.series
    assert catalog["rare_earth_products"]["gac_series"] is False
    assert "excludes magnets" in catalog["rare_earths"]["scope"].lower() or \
        "EXCLUDES magnets" in catalog["rare_earths"]["scope"]
    assert ref.partners["United States"]["comtrade"] == 842
    assert ref.partners["United States"]["gac"] == "502"


# ---- importers ------------------------------------------------------------------------------


def imported(run, tmp_path, *argv) -> list[dict]:
    code, out, err = run("data", "import", *argv, "--into", str(tmp_path / "ref"))
    assert code == 0, err
    with (tmp_path / "ref" / "figures.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", ["gac_en.csv", "gac_zh.csv", "gac_zh_gb18030.csv"])
def test_gac_platform_csv_in_any_header_language_and_encoding(run, tmp_path, name):
    rows = imported(run, tmp_path, "--format", "gac", "--flow", "export", str(FIXTURES / name))
    us = {r["period"]: r["value"] for r in rows
          if r["partner"] == "United States" and r["unit"] == "t"}
    # kilograms summed over customs regimes, in tonnes with the kilogram digits kept
    assert us == {"2025-05": "46.421", "2025-06": "352.817", "2025-07": "619.318"}
    assert {r["series"] for r in rows} == {"rare_earth_magnets"}
    assert all(r["source"].startswith("GAC statistics platform") for r in rows)


def test_gac_import_then_check_uses_the_platform_figures(run, run_json, tmp_path):
    imported(run, tmp_path, "--format", "gac", "--flow", "export", str(FIXTURES / "gac_en.csv"))
    draft = tmp_path / "a.txt"
    draft.write_text("China's rare earth magnet exports to Japan were 198 tons in June 2025.\n")
    code, report, _ = run_json("check", str(draft), "--reference", str(tmp_path / "ref"))
    assert code == 0 and report["claims"][0]["verdict"] == "supported"


def test_reimport_is_idempotent(run, tmp_path):
    args = ("--format", "gac", "--flow", "export", str(FIXTURES / "gac_en.csv"))
    first = imported(run, tmp_path, *args)
    code, out, _ = run("data", "import", *args, "--into", str(tmp_path / "ref"))
    assert code == 0 and "0 added, 0 replaced" in out
    assert imported(run, tmp_path, *args) == first


@pytest.mark.parametrize("name", ["comtrade.json", "comtrade.csv"])
def test_comtrade_records_map_codes_and_keep_the_hs6_scope(run, tmp_path, name):
    rows = imported(run, tmp_path, "--format", "comtrade", str(FIXTURES / name))
    partners = {r["partner"] for r in rows}
    assert {"United States", "Japan", "Germany", "World"} <= partners  # 842, 392, 276, 0
    # HS6 850511 is all metal magnets, not GAC's rare-earth line
    assert {r["series"] for r in rows} == {"metal_permanent_magnets_hs6"}
    us = next(r for r in rows if r["partner"] == "United States" and r["unit"] == "t")
    assert Decimal(us["value"]) == Decimal("367.02")


@pytest.mark.parametrize("name, says", [
    ("gac_bad_number.csv", "gac_bad_number.csv:5 column 'Quantity'"),
    ("gac_missing_column.csv", "no Quantity"),
])
def test_bad_import_files_fail_cleanly_and_write_nothing(run, tmp_path, name, says):
    code, _, err = run("data", "import", "--format", "gac", "--flow", "export",
                       str(FIXTURES / name), "--into", str(tmp_path / "ref"))
    assert code == 2 and says in err
    assert not (tmp_path / "ref" / "figures.csv").exists()


def test_gac_import_needs_the_flow(run, tmp_path):
    code, _, err = run("data", "import", "--format", "gac", str(FIXTURES / "gac_en.csv"),
                       "--into", str(tmp_path / "ref"))
    assert code == 2 and "--flow" in err


def test_a_broken_existing_table_is_not_merged_into(run, tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    table(ref, "soybeans,import,China,World,2025-05,level,oops,t,stated,accepted,GAC\n")
    before = (ref / "figures.csv").read_bytes()
    code, _, err = run("data", "import", "--format", "gac", "--flow", "export",
                       str(FIXTURES / "gac_en.csv"), "--into", str(ref))
    assert code == 2 and "E012" in err
    assert (ref / "figures.csv").read_bytes() == before


# ---- factcheck data list | show | validate ----------------------------------------------------


def test_data_list_show_validate(run_json, run):
    code, listing, _ = run_json("data", "list")
    assert code == 0
    magnets = next(s for s in listing["series"] if s["series"] == "rare_earth_magnets")
    assert magnets["figures"] > 100 and magnets["hs_code"] == "8505111000"
    code, shown, _ = run_json("data", "show", "rare_earth_magnets", "--partner", "United States")
    assert code == 0 and shown["figures"]
    assert all(f["partner"] == "United States" and f["source"] for f in shown["figures"])
    code, out, _ = run("data", "validate", "--format", "rich")
    assert code == 0 and "OK" in out and "conflict" in out


def test_shipped_table_is_built_from_the_collected_figures(tmp_path):
    """scripts/build_reference.py reproduces reference_data/figures.csv exactly."""
    source = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / \
        "customs_figures.csv"
    if not source.exists():
        pytest.skip("../shared/reference is not mounted here")
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_reference",
                                                  root / "scripts" / "build_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = tmp_path / "figures.csv"
    module.build(source, target)
    assert target.read_text(encoding="utf-8") == (root / "reference_data" / "figures.csv") \
        .read_text(encoding="utf-8")


def test_series_json_must_be_well_formed(tmp_path, run):
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "series.json").write_text(json.dumps({"series": {"x": "not an object"}}))
    code, _, err = run("data", "validate", "--reference", str(ref))
    assert code == 2 and "E012" in err
    shutil.rmtree(ref)
