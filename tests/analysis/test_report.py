"""Reports built end to end on the synthetic files: every figure made is shown, every figure shown
exists, and the numbers in the tables are the ones in the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import h5py
import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from analysis import build_comparison, build_report
from analysis.__main__ import main

from synthetic import GROUP_SIZES, GROUPS


def referenced_images(index: Path) -> list[str]:
    return re.findall(r"<img src='([^']+)'", index.read_text(encoding="utf-8"))


def assert_figures_consistent(index: Path) -> list[str]:
    """The page shows every PNG in its folder, and every PNG it shows is there (by relative path)."""
    shown = referenced_images(index)
    made = sorted(p.name for p in index.parent.glob("*.png"))
    assert sorted(shown) == made
    assert len(set(shown)) == len(shown)
    assert all(not Path(src).is_absolute() and (index.parent / src).is_file() for src in shown)
    return shown


@pytest.fixture(scope="module")
def run_report(run_file, tmp_path_factory) -> Path:
    return build_report(run_file, tmp_path_factory.mktemp("report"))


def test_run_report_shows_every_section(run_report):
    index = run_report
    shown = assert_figures_consistent(index)
    for figure in (
        "work_orders_opened_and_resolved_each_day_and_the_backlog.png",
        "work_orders_resolved_by_level.png",
        "staff_hours_by_activity.png",
        "trust_in_the_community_organisation_by_ethnic_group.png",
        "share_of_social_ties_that_cross_ethnic_lines.png",
        "share_of_neighbours_from_the_same_group.png",
        "council_meetings_and_attendance_by_ethnic_group.png",
        "agreement_at_council_decisions.png",
        "needs_arisen_by_type.png",
        "needs_arisen_by_ethnic_group_per_1_000_residents.png",
        "whistles_by_kind.png",  # a metric no chart names still gets one
    ):
        assert figure in shown
    html = index.read_text(encoding="utf-8")
    assert "Other daily series" in html and "<style>" in html
    # Constant series are left out with a note naming them: no flat panel.
    assert "closure_rate.png" not in shown and "residential_dissimilarity_index.png" not in shown
    assert "Not drawn, because nothing changes: closure_rate (0.9 every day)" in html
    assert "moves_within (0 every day)" in html
    assert set(re.findall(r"data-empty-panels='(\d+)'", html)) == {"0"}
    for fact in ("Testhuayuan", "20241", "abc1234", "0.1.0"):  # provenance: scenario, seed, commit, version
        assert fact in html


def test_run_report_tables_hold_the_file_values(run_report):
    index = run_report
    html = index.read_text(encoding="utf-8")
    # Well-being on the last day: trust falls 0.1 (Hui) and 0.2 (Mongol) over the run from 0.8;
    # the gap is Han minus Mongol = 0.2 * 39/40.
    tables = pd.read_html(html)
    wellbeing = next(t for t in tables if "gap (highest - lowest)" in t.columns).set_index("metric")
    assert list(wellbeing.columns[1:4]) == GROUPS
    assert wellbeing.loc["trust", "Mongol"] == pytest.approx(0.8 - 0.2 * 39 / 40, abs=1e-3)
    assert wellbeing.loc["trust", "gap (highest - lowest)"] == pytest.approx(0.195, abs=1e-3)
    key = next(t for t in tables if "what it is" in t.columns).set_index("summary")
    # Key outcomes first: the file's headline (trust: the residents-weighted mean), with its cells.
    assert {"closure_rate", "work_orders_resolved", "needs_hidden_end"} <= set(key.index)
    assert float(key.loc["trust_final", "value"]) == pytest.approx(
        sum(v * n for v, n in zip([0.8 - 0.0 * 39 / 40, 0.8 - 0.1 * 39 / 40, 0.8 - 0.2 * 39 / 40], GROUP_SIZES))
        / sum(GROUP_SIZES), abs=1e-3)
    assert key.loc["trust_final", "of"] == "population mean" and key.loc["needs_hidden_end", "of"] == "total"
    assert "Hui 0.7025" in key.loc["trust_final", "by cell"]
    summary = next(t for t in tables if "summary" in t.columns and "description" in t.columns).set_index("summary")
    assert summary.loc["closure_rate", "unit"] == "share"
    assert summary.loc["trust_final/Hui", "value"] == pytest.approx(0.8 - 0.1 * 39 / 40, abs=1e-3)
    # needs_arisen has 18 cells: small enough for the main table; the CSV holds everything.
    csv = pd.read_csv(index.parent / "summary.csv")
    assert len(csv) == 1 + 4 + 1 + 1 + 3 + 3 + 18


def test_run_report_copes_with_missing_metrics(sparse_run_file, tmp_path):
    index = build_report(sparse_run_file, tmp_path / "report")
    shown = assert_figures_consistent(index)
    # No residents in the file: counts by group, not rates per 1,000.
    assert shown == ["needs_arisen_by_type.png", "needs_arisen_by_ethnic_group_per_1_000_residents.png"]
    html = index.read_text(encoding="utf-8")
    assert "None of these metrics is in this file (looked for work_orders_opened" in html
    assert "no /summary values" in html


def test_sweep_report_has_curves_heatmaps_and_the_policy_table(sweep_file, tmp_path):
    index = build_report(sweep_file, tmp_path / "report")
    shown = assert_figures_consistent(index)
    assert "response_closure_rate.png" in shown and "heatmap_closure_rate.png" in shown
    # The key outcomes by default: closure and the population trust (a group breakdown combined).
    assert "response_trust_final.png" in shown and not any("trust_final_hui" in s for s in shown)
    assert not any("residents" in s for s in shown)  # constant across runs: nothing to show
    html = index.read_text(encoding="utf-8")
    comparison = next(t for t in pd.read_html(html) if "beyond noise" in t.columns)
    closure = comparison[comparison.metric == "closure_rate"].set_index("point")
    assert closure.loc[1, "difference"] == pytest.approx(0.05, abs=1e-4)
    assert closure.loc[1, "beyond noise"] == "yes"
    assert closure.loc[2, "beyond noise"] == "no" and closure.loc[3, "beyond noise"] == "no"
    assert closure.loc[2, "settings"] == "staffing.per_10k=12, council.calendar=days_with_4"
    assert set(comparison.metric) == {"closure_rate", "trust_final"}
    full = pd.read_csv(index.parent / "policy_comparison.csv")
    assert "trust_final/Hui" in set(full.metric) and len(full) == 3 * len(set(full.metric))
    means = pd.read_csv(index.parent / "point_means.csv")
    assert set(means.metric) == {"closure_rate", "trust_final", "residents", *[f"trust_final/{g}" for g in GROUPS],
                                 *[f"residents/{g}" for g in GROUPS]}
    assert means[(means.point == 1) & (means.metric == "closure_rate")]["mean"].item() == pytest.approx(0.85)


def test_saltelli_report_shows_sobol_indices(saltelli_file, tmp_path):
    index = build_report(saltelli_file, tmp_path / "report")
    shown = assert_figures_consistent(index)
    assert {"sobol_closure_rate.png"} <= set(shown)
    html = index.read_text(encoding="utf-8")
    assert "Sobol indices" in html and "Policy comparison" not in html
    indices = pd.read_csv(index.parent / "sobol_indices.csv").set_index(["metric", "parameter"])
    assert indices.loc[("closure_rate", "staffing.per_10k"), "S1"] == pytest.approx(0.8, abs=0.05)
    index = build_report(saltelli_file, tmp_path / "chosen", metrics=["trust_final/Han"])
    indices = pd.read_csv(index.parent / "sobol_indices.csv").set_index(["metric", "parameter"])
    assert indices.loc[("trust_final/Han", "volunteers.hours"), "ST"] == pytest.approx(1.0, abs=0.05)


def test_report_of_chosen_metrics_only(sweep_file, tmp_path):
    index = build_report(sweep_file, tmp_path / "report", metrics=["trust_final/Hui"])
    assert referenced_images(index) == ["response_trust_final_hui.png", "heatmap_trust_final_hui.png"]


def test_compare_shows_summaries_side_by_side(run_file, other_run_file, tmp_path):
    index = build_comparison([run_file, other_run_file], tmp_path / "compare")
    shown = assert_figures_consistent(index)
    assert "compare_trust.png" in shown and "compare_work_orders_open.png" in shown
    table = pd.read_csv(index.parent / "summary_comparison.csv").set_index("field")
    assert list(table.columns[-3:]) == ["baseline", "more_trust", "more_trust - baseline"]
    # 30 days instead of 40 and 0.05 more trust: the last-day trust of Han differs by 0.05 exactly.
    assert table.loc["trust_final/Han", "more_trust - baseline"] == pytest.approx(0.05)
    assert table.loc["closure_rate", "more_trust - baseline"] == 0


def test_command_line(sparse_run_file, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["report", str(sparse_run_file), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "index.html")
    # The same run under another folder and the same name: the comparison must tell them apart.
    copy = tmp_path / "again" / sparse_run_file.name
    copy.parent.mkdir()
    copy.write_bytes(sparse_run_file.read_bytes())
    assert main(["compare", str(sparse_run_file), str(copy), "-o", str(tmp_path / "cmp")]) == 0
    header = pd.read_csv(tmp_path / "cmp" / "summary_comparison.csv", nrows=0).columns
    assert str(copy.with_suffix("")) in header
    assert main(["report", str(tmp_path / "missing.h5"), "-o", str(out)]) == 2
    assert "missing.h5" in capsys.readouterr().err
    assert main(["compare", str(sparse_run_file), "-o", str(out)]) == 2


def test_one_level_parameter_gets_no_curve_or_heatmap(sweep_file, tmp_path):
    # The same sweep with council.calendar at one level: only staffing.per_10k varies.
    path = tmp_path / "one_level.h5"
    shutil.copy(sweep_file, path)
    with h5py.File(path, "r+") as f:
        points = f["sweep/points"][()]
        points["council.calendar"] = 0.0
        f["sweep/points"][...] = points
    index = build_report(path, tmp_path / "report", metrics=["closure_rate"])
    assert referenced_images(index) == ["response_closure_rate.png"]


def test_how_each_series_is_drawn_follows_its_values(run_report):
    html = run_report.read_text(encoding="utf-8")
    captions = dict(re.findall(r"<img src='([^']+)'[^>]*><figcaption>([^<]*)</figcaption>", html))
    # Meetings every Thursday and agreement only on those days: events, not lines through NaN.
    assert "drawn on the days it happens" in captions["agreement_at_council_decisions.png"]
    assert "drawn on the days it happens" in captions["council_meetings_and_attendance_by_ethnic_group.png"]
    # A share of 0/1 days: a windowed mean with its band and its denominator below.
    language = captions["orders_of_low_proficiency_residents_handled_in_their_language_by_ethnic_group.png"]
    assert "mean over the last 28 days" in language and "Lower panel: the days in each window" in language
    # Hidden needs and the backlog on their own axes, below the flows.
    assert "Lower panel: Needs still hidden" in captions["needs_reported_by_channel_and_needs_left_hidden.png"]
    backlog = captions["work_orders_opened_and_resolved_each_day_and_the_backlog.png"]
    assert backlog.index("Upper panel: Work orders opened") < backlog.index("Lower panel: Work orders open at day end")
    # Group counts per 1,000 residents.
    assert "per 1,000 residents of the group" in captions["needs_arisen_by_ethnic_group_per_1_000_residents.png"]
    # Every figure has the same width in pixels.
    widths = {matplotlib.image.imread(run_report.parent / name).shape[1] for name in captions}
    assert widths == {1000}


def test_heatmap_panels_share_one_colour_scale():
    from analysis import figures

    maps = [figures.Heatmap("a", "b", np.array([[0.92, 0.921], [0.922, 0.92]]), ["1", "2"], ["x", "y"]),
            figures.Heatmap("a", "c", np.array([[0.85, 0.96], [0.9, 0.91]]), ["1", "2"], ["x", "y"])]
    fig = figures.heatmap_figure("t", "share", maps)
    limits = {image.get_clim() for ax in fig.axes for image in ax.images}
    assert limits == {(0.85, 0.96)}
    assert len(fig.axes) == len(maps) + 1  # the panels and one colour bar


def test_one_number_format():
    from analysis.numbers import format_number, plus_minus

    assert [format_number(x) for x in (10484, 10938.76, 257.49, 0.94954, 1.715, 0.0006027, float("nan"))] == [
        "10,484", "10,939", "257.5", "0.9495", "1.715", "0.0006027", "–"]
    assert format_number(-4.474e-06) == "-0.000004474"
    assert plus_minus(0.8319, 0.6093, 1.0545) == "0.8319 ± 0.2226"


def test_many_metrics_make_a_long_table_not_a_wide_one(sweep_file, tmp_path, monkeypatch):
    from analysis import report

    monkeypatch.setattr(report, "WIDE_TABLE_METRICS", 3)  # the synthetic sweep has 5 varying fields
    index = build_report(sweep_file, tmp_path / "all", every=True)
    table = next(t for t in pd.read_html(index.read_text(encoding="utf-8")) if "settings" in t.columns)
    assert list(table.columns) == ["point", "settings", "metric", "mean ± half the 95% CI", "unit"]
    assert set(table["metric"]) >= {"closure_rate", "trust_final/Hui"}
