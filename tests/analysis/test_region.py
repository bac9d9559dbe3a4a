"""A region run (docs/output.md, "A region run"): its tables load with names in the code columns,
its communities' own groups are found by name, and the report lists exactly the communities past
its thresholds, by subdistrict then community."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import read_run
from analysis.load import ResultsError, part_link_name, part_name, read_region

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
