"""Loading run and sweep files into tidy tables: every value, label and unit the file holds comes
back where the layout (docs/output.md) says it is."""

import h5py
import numpy as np
import pytest

from analysis import Run, Sweep, is_sweep, open_results, read_run, read_sweep
from analysis.load import SEAL_BYTES, ResultsError, fallback_combine, seal_problem

import synthetic
from synthetic import CALENDARS, GROUP_SIZES, GROUPS, REPLICATIONS, SEED, list_sweep_values, run_series, run_summaries


def test_a_file_is_recognised_as_run_or_sweep(run_file, sweep_file):
    assert not is_sweep(run_file)
    assert is_sweep(sweep_file)
    assert isinstance(open_results(run_file), Run)
    assert isinstance(open_results(sweep_file), Sweep)
    with pytest.raises(ValueError, match="sweep"):
        read_run(sweep_file)
    with pytest.raises(ValueError, match="single run"):
        read_sweep(run_file)


def test_run_metrics_keep_their_attributes(run_file):
    run = read_run(run_file)
    trust = run.timeseries["trust"]
    assert run.days == 40 and run.start_weekday == 0
    assert trust.dims == ["day", "group"]
    assert trust.labels == {"group": GROUPS}
    assert trust.unit == "score" and trust.combine == "ratio" and trust.rule == "final" and not trust.fallbacks
    assert trust.description == "Mean trust of residents, by group."
    np.testing.assert_array_equal(trust.values, run_series()["trust"][0])
    assert run.provenance["seed"] == SEED
    assert run.provenance["overrides"] == ["run.days=40"]


def test_timeseries_frame_is_long_with_a_column_per_axis(run_file):
    run = read_run(run_file)
    frame = run.timeseries_frame(["trust", "work_orders_open", "not_written_yet"])
    assert list(frame.columns) == ["day", "metric", "group", "value", "unit"]
    assert len(frame) == 40 * 3 + 40  # trust by group, then the backlog
    row = frame[(frame.metric == "trust") & (frame.day == 20) & (frame.group == "Mongol")]
    assert row.value.item() == pytest.approx(0.8 - 0.2 * 20 / 40)
    backlog = frame[frame.metric == "work_orders_open"]
    assert backlog.group.isna().all() and (backlog.unit == "orders").all()
    np.testing.assert_allclose(backlog.value, run_series()["work_orders_open"][0])


def test_timeseries_frame_of_a_four_axis_metric_matches_the_array(run_file):
    run = read_run(run_file)
    frame = run.timeseries_frame(["needs_arisen"])
    needs = run_series()["needs_arisen"][0]
    assert len(frame) == needs.size
    cell = frame[(frame.day == 7) & (frame.grid == "grid_02") & (frame.group == "Hui") & (frame.need_type == "parking")]
    assert cell.value.item() == needs[7, 1, 1, 1]


def test_summary_frame_names_fields_as_the_sweep_does(run_file):
    summary = read_run(run_file).summary_frame()
    by_field = summary.set_index("field")
    assert by_field.loc["closure_rate", "value"] == 0.9
    assert by_field.loc["closure_rate", "unit"] == "share"
    assert by_field.loc["trust_final/Mongol", "value"] == pytest.approx(0.8 - 0.2 * 39 / 40)
    assert by_field.loc["work_orders_resolved/subdistrict", "level"] == "subdistrict"
    needs = run_series()["needs_arisen"][0]
    assert by_field.loc["needs_arisen/grid_02/Hui/parking", "value"] == needs[:, 1, 1, 1].sum()
    assert list(summary.columns[-3:]) == ["value", "unit", "description"]


def test_scalar_summary_with_empty_dims_loads(run_file):
    closure = read_run(run_file).summary["closure_rate"]
    assert closure.dims == [] and closure.values.shape == ()
    assert closure.field_names() == ["closure_rate"]


def test_collapse_follows_the_combine_attribute(run_file):
    run = read_run(run_file)
    needs = run.timeseries["needs_arisen"]
    assert needs.combine == "sum"
    np.testing.assert_array_equal(needs.collapse(["group"]), needs.values.sum(axis=(1, 3)))
    trust = run.timeseries["trust"]
    np.testing.assert_allclose(trust.collapse([]), trust.values.mean(axis=1))
    # A ratio over groups weighted by the groups' denominators: sum of numerators / sum of denominators.
    weighted = trust.collapse([], {"group": np.array(GROUP_SIZES)})
    np.testing.assert_allclose(weighted, trust.values @ np.array(GROUP_SIZES) / sum(GROUP_SIZES))
    # The headline is the file's, not recomputed.
    assert run.summary["trust_final"].headline == pytest.approx(weighted[-1])
    assert run.summary["trust_final"].headline_kind == "mean"


def test_a_metric_that_cannot_be_combined_refuses(tmp_path):
    series = {"wellbeing_gap": (np.ones((5, 2)), "score", "Highest minus lowest group mean.",
                                {"measure": ["trust", "happiness"]}, synthetic.Rules("none", "final"))}
    run = read_run(synthetic.write_run_file(tmp_path / "gap.h5", series, {}, days=5))
    gap = run.timeseries["wellbeing_gap"]
    assert gap.collapse(["measure"]).shape == (5, 2)
    with pytest.raises(ValueError, match="cannot be combined"):
        gap.collapse([])


def test_a_file_without_the_contract_attributes_falls_back_explicitly(tmp_path):
    """Files of commsim before the metric declarations: the rule comes from the unit's exact
    spelling, is recorded as a fallback, and an unknown unit is never added up."""
    series = run_series()
    run = read_run(synthetic.write_run_file(tmp_path / "legacy.h5", series, run_summaries(series), contract=False))
    trust, needs = run.timeseries["trust"], run.timeseries["needs_arisen"]
    assert trust.unit == "score 0-1" and trust.combine == "ratio" and "combine" in trust.fallbacks
    assert needs.combine == "sum" and run.fallbacks == {"combine", "summary", "rule", "headline"}
    assert fallback_combine("furlongs") == "none" and fallback_combine("orders") == "sum"
    # The end-of-run rule of a series is read off the summary made from it.
    assert run.timeseries["work_orders_resolved"].rule == "total"
    assert run.timeseries["trust"].rule == "final"
    # The headline of a group breakdown: weighted by residents at the start.
    expected = np.dot(series["trust"][0][-1], GROUP_SIZES) / sum(GROUP_SIZES)
    assert run.summary["trust_final"].headline == pytest.approx(expected)
    assert run.summary["work_orders_resolved"].headline == pytest.approx(series["work_orders_resolved"][0].sum())


def test_damaged_and_foreign_files_are_named_errors(run_file, tmp_path):
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(run_file.read_bytes()[:5000])
    with pytest.raises(ResultsError, match="truncated.h5"):
        read_run(truncated)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["numbers"] = np.arange(3)
    with pytest.raises(ResultsError, match="foreign.h5.*not a commsim result.*/numbers"):
        open_results(foreign)
    with pytest.raises(ResultsError, match="no such file"):
        open_results(tmp_path / "missing.h5")


def test_a_commsim_file_is_checked_against_its_seal(real_run_file, run_file, tmp_path):
    """The seal commsim writes (sim/output/seal.hpp) reads the same here: a file as commsim wrote it
    passes, one byte changed anywhere or a byte cut off is a ResultsError naming the file, and a
    file another program wrote (no seal) is read as before."""
    data = real_run_file.read_bytes()
    assert data.startswith(b"commsim seal 1\n")
    assert seal_problem(real_run_file) is None
    assert seal_problem(run_file) is None
    # (A byte changed in the words "commsim seal" makes the file unsealed: HDF5 skips those bytes,
    # so what is read is still what commsim wrote.)
    for at in (20, SEAL_BYTES - 1, SEAL_BYTES + 100, len(data) // 2, len(data) - 1):
        damaged = tmp_path / f"flipped_{at}.h5"
        damaged.write_bytes(data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:])
        with pytest.raises(ResultsError, match=f"flipped_{at}.h5: it is damaged"):
            open_results(damaged)
    cut = tmp_path / "cut.h5"
    cut.write_bytes(data[:-1])
    with pytest.raises(ResultsError, match="cut.h5: it is damaged.*cut short"):
        read_run(cut)
    assert read_run(run_file).days > 0
    # The rules of sim/output/seal.cpp: another spelling of the values is garbled, an unknown
    # version is no seal.
    block = data[:SEAL_BYTES].rstrip(b"\0")
    respelled = tmp_path / "respelled.h5"
    respelled.write_bytes(block.replace(b"bytes ", b"bytes 0").ljust(SEAL_BYTES, b"\0") + data[SEAL_BYTES:])
    assert "garbled" in seal_problem(respelled)
    unknown = tmp_path / "unknown.h5"
    unknown.write_bytes(b"commsim seal 2" + data[14:])
    assert seal_problem(unknown) is None


def test_sweep_points_summary_and_join(sweep_file):
    sweep = read_sweep(sweep_file)
    assert sweep.design == "grid"
    assert sweep.parameters == ["staffing.per_10k", "council.calendar"]
    assert sweep.metrics == ["closure_rate", *[f"trust_final/{g}" for g in GROUPS], *[f"residents/{g}" for g in GROUPS]]
    runs = sweep.runs
    assert len(runs) == 4 * REPLICATIONS
    point1 = runs[runs.point == 1].sort_values("replication")
    np.testing.assert_allclose(point1.closure_rate, list_sweep_values(1))
    assert (point1["staffing.per_10k"] == 18).all()
    # Common seeds: replication r has the same seed at every point.
    assert runs.groupby("replication").seed.nunique().eq(1).all()


def test_sweep_units_come_from_the_runs(sweep_file):
    sweep = read_sweep(sweep_file)
    assert sweep.units == {"closure_rate": "share", **{f"trust_final/{g}": "score" for g in GROUPS},
                           **{f"residents/{g}": "residents" for g in GROUPS}}
    # The population value of a group breakdown, from the cells weighted by residents.
    headline = sweep.headline("trust_final")
    cells = sweep.summary[[f"trust_final/{g}" for g in GROUPS]].to_numpy()
    np.testing.assert_allclose(headline, cells @ np.array(GROUP_SIZES) / sum(GROUP_SIZES))
    # Where the run says no single value stands for the cells, the sweep makes none up either.
    sweep.summaries["trust_final"].headline_kind = "none"
    assert sweep.headline("trust_final") is None


def test_string_parameters_read_as_their_level_names(sweep_file):
    sweep = read_sweep(sweep_file)
    assert sweep.levels == {"council.calendar": CALENDARS}
    assert sweep.level_name("council.calendar", 1.0) == "days_with_4"
    assert sweep.describe_point(2) == "staffing.per_10k=12, council.calendar=days_with_4"


def test_summary_long_has_a_row_per_run_and_field(sweep_file):
    sweep = read_sweep(sweep_file)
    long = sweep.summary_long()
    assert len(long) == 4 * REPLICATIONS * 7
    row = long[(long.point == 3) & (long.replication == 2) & (long.metric == "trust_final/Hui")]
    assert row.value.item() == pytest.approx(0.5 + 0.01 * 18 - 0.1)
    assert row.unit.item() == "score" and row["staffing.per_10k"].item() == 18


def test_a_sweep_run_reads_from_runs(sweep_file):
    run = read_sweep(sweep_file).run(2, 3)
    np.testing.assert_array_equal(run.timeseries["work_orders_open"].values, np.arange(10.0) + 5)
    assert run.summary["trust_final"].labels["group"] == GROUPS
    with pytest.raises(KeyError):
        read_sweep(sweep_file).run(9, 0)


def test_saltelli_points_carry_block_and_row(saltelli_file):
    sweep = read_sweep(saltelli_file)
    assert sweep.design == "saltelli" and sweep.attrs["saltelli_n"] == 128
    assert len(sweep.points) == 128 * 5
    assert sweep.points.groupby("saltelli_block").size().tolist() == [128] * 5
    assert sweep.parameters == ["staffing.per_10k", "burden.paperwork_cut", "volunteers.hours"]
