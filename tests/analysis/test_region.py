"""A region run (docs/output.md, "A region run"): its tables load with names in the code columns,
its communities' own groups are found by name, and the report lists exactly the communities past
its thresholds, by subdistrict then community."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import build_report, read_run
from analysis.__main__ import main
from analysis.load import ResultsError, part_link_name, part_name, read_region
from analysis.report import Thresholds, flagged_communities, subdistrict_threshold_table

import synthetic
from synthetic import REGION_COMMUNITIES, REGION_SUBDISTRICTS


@pytest.fixture(scope="module")
def region_file(tmp_path_factory):
    return synthetic.write_region_run_file(tmp_path_factory.mktemp("region") / "region.h5")


def test_region_tables_load_with_names_in_the_regions_order(region_file):
    region = read_region(region_file)
    communities = region.communities
    assert list(communities["community"]) == [c[0] for c in REGION_COMMUNITIES]
    assert list(communities["community"].cat.categories) == [c[0] for c in REGION_COMMUNITIES]
    assert list(communities["subdistrict"]) == [c[1] for c in REGION_COMMUNITIES]
    # Ordered as the region lists them (S02 first), not by the alphabet.
    assert list(communities["subdistrict"].cat.categories) == REGION_SUBDISTRICTS
    assert communities["households"].tolist() == [c[2] for c in REGION_COMMUNITIES]
    assert region.units["communities"]["trust_final_gap_max"] == "score"
    assert list(region.subdistricts["subdistrict"]) == REGION_SUBDISTRICTS
    assert region.subdistricts.set_index("subdistrict").at["S02", "department_wait_mean"] == 2.5
    assert region.parts == {"community": [c[0] for c in REGION_COMMUNITIES], "subdistrict": REGION_SUBDISTRICTS}


def test_a_communitys_own_group_is_found_by_its_name(region_file):
    region = read_region(region_file)
    east = region.part("C01/East")
    assert east.summary["closure_rate"].headline == 0.75
    assert east.summary["closure_rate"].headline_weight == 2500.0
    assert east.days == synthetic.DAYS and not east.timeseries  # summaries only, the run's days
    assert region.part("S01", "subdistrict").summary["closure_rate"].headline == 0.91
    with pytest.raises(KeyError, match="no community 'C99'"):
        region.part("C99")


def test_the_run_carries_its_region_and_the_totals_headline_weight(region_file, run_file):
    run = read_run(region_file)
    assert run.region is not None and len(run.region.communities) == len(REGION_COMMUNITIES)
    assert run.summary["closure_rate"].headline_weight == 1234.0
    assert np.isnan(run.summary["work_orders_resolved"].headline_weight)  # absent: unknown
    community = read_run(run_file)
    assert community.region is None
    with pytest.raises(ResultsError, match="not a region run"):
        read_region(run_file)


def test_link_names_escape_as_the_writer_does():
    # The cases of tests/output/test_hdf5.cpp.
    for name in ["a/b", "/", "//", ".", "..", "a.b", "%", "%2F", "a%2Fb/c", "金花园 东区", " x "]:
        link = part_link_name(name)
        assert "/" not in link and link != "." and part_name(link) == name
    assert part_link_name("a/b") == "a%2Fb" and part_link_name(".") == "%2E"
    assert part_link_name("%2F") == "%252F" and part_link_name("a.b") == "a.b"


def test_flagged_communities_are_those_past_a_threshold(region_file):
    run = read_run(region_file)
    flagged = flagged_communities(run.region, Thresholds(), run)
    # By subdistrict (S02 before S01, the region's order), then community. C03's gap of 1.5 is in
    # days, not on the gap's scale; C04's closure of 0.8 is not below 0.8, but its gap of -0.06
    # is beyond 0.05; C05 has no closure rate.
    assert list(flagged["community"]) == ["C01/East", "C02", "C04"]
    assert list(flagged["subdistrict"]) == ["S02", "S01", "S01"]
    assert "time_to_resolution_gap_max" not in flagged.columns
    why = dict(zip(flagged["community"], flagged["listed because"]))
    assert why["C01/East"].startswith("closure 0.75")
    assert "trust_final gap" in why["C02"] and "closure" not in why["C02"]
    # Other thresholds, other communities.
    strict = flagged_communities(run.region, Thresholds(closure=0.93, gap=1.0), run)
    assert list(strict["community"]) == ["C03", "C01/East", "C04"]
    assert flagged_communities(run.region, Thresholds(closure=0.5, gap=1.0), run).empty


def test_subdistrict_summary_counts_its_listed_communities(region_file):
    run = read_run(region_file)
    flagged = flagged_communities(run.region, Thresholds(), run)
    table = subdistrict_threshold_table(run.region, flagged, Thresholds(), run).set_index("subdistrict")
    assert list(table.index) == REGION_SUBDISTRICTS
    assert table.loc["S02", "communities"] == 2 and table.loc["S01", "communities"] == 3
    assert table.loc["S02", "closure below 0.8"] == 1 and table.loc["S01", "closure below 0.8"] == 0
    assert table.loc["S02", "a gap beyond 0.05"] == 0 and table.loc["S01", "a gap beyond 0.05"] == 2
    assert table.loc["S01", "listed"] == 2 and table.loc["S01", "share listed"] == pytest.approx(2 / 3)
    assert table.loc["S02", "subdistrict closure_rate"] == 0.84


def test_report_has_the_section_with_thresholds_from_the_command_line(region_file, run_file, tmp_path):
    assert main(["report", str(region_file), "-o", str(tmp_path / "r"), "-q", "--gap-threshold", "0.1"]) == 0
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "Communities against thresholds" in html
    tables = pd.read_html(html)
    listed = next(t for t in tables if "listed because" in t.columns)
    assert list(listed["community"]) == ["C01/East"]  # no gap beyond 0.1
    by_subdistrict = next(t for t in tables if "share listed" in t.columns)
    assert list(by_subdistrict["subdistrict"]) == REGION_SUBDISTRICTS
    assert "time_to_resolution_gap_max" in html  # named as not compared
    assert (tmp_path / "r" / "region_communities.csv").is_file()
    # A community run's report has no such section.
    index = build_report(run_file, tmp_path / "community")
    assert "Communities against thresholds" not in index.read_text(encoding="utf-8")
