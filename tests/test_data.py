"""Checks on the cited calibration table ``calibration/observed.csv``.

The source-verbatim tests need the shared folder (``../shared`` beside the repo,
as CI clones it); they are skipped with a reason only if that folder is missing.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SOURCES = SHARED / "sources"
PUBLIC = SHARED / "data" / "public_statistics_2013_2020.csv"
PUBLIC_LATER = SHARED / "data" / "public_statistics_2021_2022.csv"
OBSERVED = REPO / "calibration" / "observed.csv"

COLUMNS = ["region", "indicator", "year", "value", "unit", "kind", "measure", "source", "quote", "note"]
KINDS = {"actual", "estimate", "actual-uncertain-year", "lower-bound", "target"}
OBSERVED_KINDS = KINDS - {"target"}
LAST_DATA_YEAR = 2022   # no figure after 2022 goes into the data
MEASURES = {"stock", "annual_flow", "annual_register", "cumulative", "ratio", "definition"}
REGIONS = {"tianjin", "tianjin_nidz", "ecocity"}

needs_shared = pytest.mark.skipif(
    not (SOURCES.is_dir() and PUBLIC.is_file()),
    reason=f"shared sources not found at {SHARED} (clone shared/ beside the repo to verify quotes)",
)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def table() -> tuple[list[str], list[dict[str, str]]]:
    return _read(OBSERVED)


@pytest.fixture(scope="module")
def rows(table) -> list[dict[str, str]]:
    return table[1]


@pytest.fixture(scope="module")
def public_rows() -> list[dict[str, str]]:
    return _read(PUBLIC)[1] + _read(PUBLIC_LATER)[1]


@pytest.fixture(scope="module")
def source_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}


def _num(v: float) -> str:
    """Plain decimal form without trailing zeros: 16538.19, 7420, 3.1."""
    return f"{v:.6f}".rstrip("0").rstrip(".")


def _is_document(source: str) -> bool:
    return re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", source) is not None


# ---------------------------------------------------------------- structure


def test_columns_exact(table):
    assert table[0] == COLUMNS


def test_file_is_utf8_without_bom():
    raw = OBSERVED.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")


def test_not_empty_and_no_blank_fields(rows):
    assert len(rows) > 50
    for i, r in enumerate(rows):
        for c in COLUMNS:
            assert r[c] is not None and r[c].strip() != "", f"row {i + 2}: empty {c}"


def test_kinds_measures_regions_allowed(rows):
    for r in rows:
        assert r["kind"] in KINDS, r
        assert r["measure"] in MEASURES, r
        assert r["region"] in REGIONS, r
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["indicator"]), r["indicator"]


def test_years_are_integers_in_range(rows):
    for r in rows:
        y = int(r["year"])
        assert 2013 <= y <= LAST_DATA_YEAR, r


def test_no_observed_figure_after_2022(rows):
    for r in rows:
        if r["kind"] in OBSERVED_KINDS:
            assert int(r["year"]) <= LAST_DATA_YEAR, f"observed figure for {r['year']} must not be in the table: {r}"


def test_later_vintages_are_present(rows):
    years = {int(r["year"]) for r in rows if r["kind"] in OBSERVED_KINDS}
    assert {2021, 2022} <= years


def test_partial_year_and_at_least_figures_are_lower_bounds(rows):
    by = {(r["indicator"], r["year"]): r for r in rows if r["region"] == "tianjin" and r["kind"] != "target"}
    for key in [("chuying_batch2", "2021"), ("dengling_batch2", "2021"), ("tech_smes_jan_may", "2022"),
                ("rd_intensity_pre_census", "2016"), ("tech_contract_turnover_ambiguous", "2016"),
                ("tech_transfer_bodies", "2020"), ("startups_incubated", "2016"), ("tech_contract_turnover", "2013")]:
        assert by[key]["kind"] == "lower-bound", key
    for r in rows:  # a note that reads a figure as a bound files it as one
        if "lower bound" in r["note"].lower() and r["kind"] != "target":
            assert r["kind"] == "lower-bound", f"{r['indicator']} {r['year']}: a bound read as a value"
    # the 2022 R&D intensity is an estimate of uncertain year, not an actual
    assert by[("rd_intensity", "2022")]["kind"] == "estimate"


def test_no_targets_beyond_2020(rows):
    # 2022 / 2027 plan targets belong in scenario files, not here
    for r in rows:
        if r["kind"] == "target":
            assert int(r["year"]) <= 2020, r


def test_values_positive_finite(rows):
    for r in rows:
        v = float(r["value"])
        assert math.isfinite(v) and v > 0, r


def test_sorted_by_indicator_then_year(rows):
    keys = [(r["indicator"], int(r["year"])) for r in rows]
    assert keys == sorted(keys)


def test_one_unit_and_one_measure_per_indicator(rows):
    units, measures = defaultdict(set), defaultdict(set)
    for r in rows:
        units[r["indicator"]].add(r["unit"])
        measures[r["indicator"]].add(r["measure"])
    mixed = {k: (units[k], measures[k]) for k in units if len(units[k]) > 1 or len(measures[k]) > 1}
    assert not mixed, f"indicators mixing units/measures: {mixed}"


def test_actual_rows_unique(rows):
    c = Counter((r["region"], r["indicator"], r["year"], r["kind"]) for r in rows)
    dups = {k: n for k, n in c.items() if n > 1}
    assert not dups, f"duplicate (region, indicator, year, kind): {dups}"


def test_one_observation_per_region_indicator_year(rows):
    # actual / estimate / uncertain-year rows form one history; a year may not appear twice in it
    c = Counter((r["region"], r["indicator"], r["year"]) for r in rows if r["kind"] != "target")
    dups = {k: n for k, n in c.items() if n > 1}
    assert not dups, f"more than one observed value for: {dups}"


def test_estimates_explain_how_read(rows):
    for r in rows:
        if r["kind"] == "lower-bound":
            assert "lower bound" in r["note"].lower(), r
        if r["kind"] == "estimate":
            note = r["note"].lower()
            assert any(w in note for w in ("lower bound", "approximation", "预计")), r


def test_uncertain_year_rows_say_why(rows):
    for r in rows:
        if r["kind"] == "actual-uncertain-year":
            assert len(r["note"]) > 20, r


# ------------------------------------------------------ definitional splits


def test_pre_census_split(rows):
    by = {(r["indicator"], r["year"], r["kind"]): float(r["value"]) for r in rows if r["region"] == "tianjin"}
    # pre-census R&D intensities are not in the census-basis series
    assert by[("rd_intensity_pre_census", "2015", "actual")] == 3.08
    assert by[("rd_intensity_pre_census", "2016", "lower-bound")] == 3.1
    assert by[("rd_intensity_pre_census", "2017", "actual-uncertain-year")] == 2.47
    assert by[("rd_intensity", "2019", "actual")] == 3.28
    assert all(not (i == "rd_intensity" and y in {"2015", "2016", "2017"}) for i, y, _ in by)
    # pre-census GDP kept apart
    assert by[("gdp_pre_census", "2015", "actual")] == 16538.19
    assert by[("gdp_pre_census", "2018", "actual")] == 18800
    assert by[("gdp", "2020", "actual")] == 14083.73
    assert all(not (i == "gdp" and y in {"2015", "2018"}) for i, y, _ in by)


def test_definitional_indicators_not_mixed(rows):
    tianjin = {(r["indicator"], r["year"]): float(r["value"]) for r in rows
               if r["region"] == "tianjin" and r["kind"] != "target"}
    # old municipal 科技型企业 count is not the national tech-SME register
    assert tianjin[("municipal_tech_enterprises", "2016")] == 88000
    assert all(v < 20000 for (i, _), v in tianjin.items() if i == "tech_smes")
    # 技术交易额 (508) is not 技术合同成交额 (923)
    assert tianjin[("tech_transaction_value", "2019")] == 508
    assert tianjin[("tech_contract_turnover", "2019")] == 923
    # the ambiguous 2016 "交易额 突破600亿" is not in the turnover series
    assert ("tech_contract_turnover", "2016") not in tianjin
    assert tianjin[("tech_contract_turnover_ambiguous", "2016")] == 600
    # broad incubator count vs national+municipal recognised
    assert tianjin[("incubators", "2016")] == 158
    assert ("incubators", "2020") not in tianjin
    assert not any(i == "incubators" and y in {"2021", "2022"} for i, y in tianjin)       # 市级以上 is not 资格认定以上
    assert tianjin[("incubators_municipal_and_above", "2021")] == 86
    assert tianjin[("maker_spaces_municipal_and_above", "2021")] == 206
    assert ("maker_spaces", "2021") not in tianjin
    # partial-year counts never enter the full-year registers
    assert tianjin[("chuying", "2021")] == 4974 and tianjin[("chuying_batch2", "2021")] == 1627
    assert ("tech_smes", "2022") not in tianjin and tianjin[("tech_smes_jan_may", "2022")] == 4222
    for y in ("2016", "2020"):
        assert tianjin[("incubators_recognised", y)] == (
            tianjin[("national_incubators", y)] + tianjin[("municipal_incubators", y)]
        )
    assert tianjin[("incubators_recognised", "2020")] == 78
    assert tianjin[("maker_spaces_national", "2020")] == 83


def test_subregion_figures_not_under_tianjin(rows):
    nidz = {(r["indicator"], r["year"]): float(r["value"]) for r in rows
            if r["region"] == "tianjin_nidz" and r["kind"] == "actual"}
    assert nidz[("high_tech_enterprises", "2016")] == 1800
    city = {(r["indicator"], r["year"]): float(r["value"]) for r in rows
            if r["region"] == "tianjin" and r["kind"] == "actual"}
    assert city[("high_tech_enterprises", "2016")] == 3265


KNOWN = [
    # region, indicator, year, value, kind, source
    ("tianjin", "high_tech_enterprises", "2020", 7420, "actual", "002_505e0d89221369b7.txt"),
    ("tianjin", "tech_smes", "2020", 8179, "actual", "002_505e0d89221369b7.txt"),
    ("tianjin", "chuying", "2020", 3557, "actual", "002_505e0d89221369b7.txt"),
    ("tianjin", "dengling", "2020", 385, "actual", "002_505e0d89221369b7.txt"),
    ("tianjin", "lingjun", "2020", 216, "actual", "002_505e0d89221369b7.txt"),
    ("tianjin", "science_commissioners_cumulative", "2020", 5390, None, "002_505e0d89221369b7.txt"),
    ("tianjin", "science_commissioners_cumulative", "2016", 1620, "actual", "004_be33313261e92299.txt"),
    ("tianjin", "high_tech_new_certifications", "2016", 1075, "actual", "004_be33313261e92299.txt"),
    ("tianjin", "high_tech_enterprises", "2017", 3900, "target", "004_be33313261e92299.txt"),
    ("tianjin", "rd_intensity_pre_census", "2017", 3.2, "target", "004_be33313261e92299.txt"),
]


@pytest.mark.parametrize("region,indicator,year,value,kind,source", KNOWN)
def test_known_rows_present(rows, region, indicator, year, value, kind, source):
    key = (region, indicator, year, source)
    hits = [r for r in rows if (r["region"], r["indicator"], r["year"], r["source"]) == key
            and (kind is None or r["kind"] == kind)]
    assert len(hits) == 1, f"expected one row for {region}/{indicator}/{year} from {source}, found {len(hits)}"
    assert float(hits[0]["value"]) == pytest.approx(value)


def test_measures_of_main_series(rows):
    expected = {
        "gdp": "annual_flow", "rd_intensity": "ratio", "rd_expenditure": "annual_flow",
        "valid_invention_patents": "stock", "invention_patents_per_10k": "ratio", "incubators": "stock",
        "maker_spaces": "stock", "startups_incubated": "stock", "tech_smes": "annual_register",
        "chuying": "annual_register", "dengling": "annual_register", "lingjun": "cumulative",
        "lingjun_new": "annual_flow", "high_tech_enterprises": "stock",
        "high_tech_new_certifications": "annual_flow", "unicorns": "stock",
        "tech_contract_turnover": "annual_flow", "science_commissioners_cumulative": "cumulative",
        "tech_transfer_bodies": "stock", "technology_managers": "stock",
    }
    seen = {r["indicator"]: r["measure"] for r in rows}
    for ind, m in expected.items():
        assert seen.get(ind) == m, f"{ind}: measure {seen.get(ind)!r}, expected {m!r}"


# ------------------------------------------------------ sources and quotes


@needs_shared
def test_every_source_exists(rows, public_rows, source_texts):
    citations = {p["source"] for p in public_rows}
    for r in rows:
        if _is_document(r["source"]):
            assert r["source"] in source_texts, f"missing source file {r['source']}"
        else:
            assert r["source"] in citations, f"unknown citation: {r['source']!r}"


@needs_shared
def test_document_quotes_verbatim(rows, source_texts):
    for r in rows:
        if _is_document(r["source"]):
            assert r["quote"] in source_texts[r["source"]], f"quote not verbatim in {r['source']}: {r['quote']!r}"


@needs_shared
def test_public_quotes_verbatim(rows, public_rows):
    quotes = defaultdict(set)
    for p in public_rows:
        quotes[p["source"]].add(p["quote"])
    for r in rows:
        if not _is_document(r["source"]):
            assert r["quote"] in quotes[r["source"]], f"quote not in public statistics for that citation: {r}"


@needs_shared
def test_every_public_statistics_row_present(rows, public_rows):
    assert len(public_rows) > 0
    for p in public_rows:
        # pre-census GDP and R&D intensity are filed under their own *_pre_census indicators
        names = {p["indicator"], p["indicator"] + "_pre_census"}
        hits = [r for r in rows
                if r["source"] == p["source"] and r["quote"] == p["quote"] and r["year"] == p["year"]
                and r["region"] == p["region"] and r["indicator"] in names]
        assert len(hits) == 1, f"public statistics row missing or duplicated: {p['indicator']} {p['year']}"
        assert float(hits[0]["value"]) == pytest.approx(float(p["value"]))
        assert hits[0]["unit"] == p["unit"]


@needs_shared
def test_numbers_appear_in_quote(rows):
    """Each value (or its 万/亿 form) should be readable in its quote, unless the note says it is a sum."""
    for r in rows:
        if "sum computed" in r["note"]:
            continue
        v = float(r["value"])
        q = r["quote"].replace(",", "").replace(" ", "").replace("\u00a0", "")
        forms = {_num(v), _num(v / 1e4) + "万", _num(v / 1e4) + "萬"}
        assert any(f in q for f in forms), f"value {r['value']} not found in quote of {r['indicator']} {r['year']}"
