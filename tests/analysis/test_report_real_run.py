"""Reports built from real commsim output (made in the set-up by the built binary, see real.py):
every metric name the analysis package mentions is one the model writes, a baseline report shows
every key summary, a comparison names what differs between its arms, a sweep report leads with
its key outcomes, and bad files are exit-2 errors that name the file."""

from __future__ import annotations

import json
from html import unescape
import re
import subprocess

import h5py
import pandas as pd
import pytest

from analysis import read_run
from analysis import report as report_module
from analysis.__main__ import main

import real


def names_in_baseline_run(path) -> set[str]:
    with h5py.File(path, "r") as f:
        return set(f["timeseries"]) | set(f["summary"])


def names_in_metrics_json() -> set[str]:
    listing = subprocess.run([str(real.commsim_binary()), "metrics", "--json"], check=True, capture_output=True,
                             text=True, timeout=60)
    return {m["name"] for m in json.loads(listing.stdout)["metrics"]}


@pytest.fixture(scope="module")
def model_names(real_run_file) -> set[str]:
    """Every metric name the model writes, as `commsim metrics --json` lists them; the listing must
    agree with what a baseline run actually wrote."""
    listed = names_in_metrics_json()
    assert listed == names_in_baseline_run(real_run_file)
    return listed


def test_every_metric_name_the_analysis_mentions_is_written_by_the_model(model_names):
    mentioned = report_module.metric_names_mentioned()
    assert mentioned and not sorted(mentioned - model_names)


def test_a_baseline_report_shows_every_key_summary(real_run_file, real_run_report):
    run = read_run(real_run_file)
    assert run.days == real.RUN_DAYS
    assert all(m.values.shape[0] == real.RUN_DAYS for m in run.timeseries.values())
    assert all(m.unit and m.description for m in [*run.timeseries.values(), *run.summary.values()])
    index = real_run_report
    html = index.read_text(encoding="utf-8")
    key = next(t for t in pd.read_html(html) if "what it is" in t.columns)
    # The file's own key summaries (its `key` attribute), or, for a file without it, KEY_SUMMARIES.
    marked = [name for name, m in run.summary.items() if m.key]
    expected = marked if any(m.key is not None for m in run.summary.values()) else list(report_module.KEY_SUMMARIES)
    assert expected and list(key["summary"]) == expected
    # Every headline of a count or a share is there (no NaN shown as the value of a key outcome).
    assert not key.loc[key["of"].isin(["total", "population mean", "value"]), "value"].isin(["–"]).any()
    shown = re.findall(r"<img src='([^']+)'", html)
    assert shown and sorted(shown) == sorted(p.name for p in index.parent.glob("*.png"))
    assert set(re.findall(r"data-empty-panels='(\d+)'", html)) == {"0"}
    # Council meetings happen on a few days: drawn as events; moves within are 0 every day: left out.
    assert "council_meetings" in html and "drawn on the days it happens" in html
    assert "moves_within (0 every day)" in html


def test_a_comparison_names_the_keys_each_arm_changes(real_compare_report):
    index = real_compare_report
    html = index.read_text(encoding="utf-8")
    tables = pd.read_html(html)
    runs = tables[0].set_index(tables[0].columns[0])
    change = runs.loc["changes against the first", "staffing_24"]
    assert "staffing.full_time_per_10k: 18 → 24" in change
    assert runs.loc["changes against the first", "baseline"] == "reference"
    differs = next(t for t in tables if "key" in t.columns and "this file" in t.columns)
    assert "staffing.full_time_per_10k" in set(differs["key"])
    diffs = next(t for t in tables if "paired by week" in t.columns).set_index("series")
    # Same seed in both files: the weekly differences are paired; a CI is given.
    assert (diffs["paired by week"] == "yes").all()
    assert diffs.loc["work_orders_opened", "95% CI"].startswith("[")


def test_a_sweep_report_leads_with_its_key_outcomes(real_sweep_report):
    index = real_sweep_report
    html = index.read_text(encoding="utf-8")
    assert html.index("Key outcomes by point") < html.index("Response curves")
    key = next(t for t in pd.read_html(html) if "settings" in t.columns)
    assert len(key) == 4 and "closure_rate" in key.columns and key.shape[1] <= 2 + len(report_module.SWEEP_KEY_OUTCOMES)
    assert key["closure_rate"].str.contains("±").all()
    comparison = next(t for t in pd.read_html(html) if "beyond noise" in t.columns)
    assert set(comparison["metric"]) <= set(report_module.SWEEP_KEY_OUTCOMES)
    for csv in ("point_means.csv", "policy_comparison.csv", "runs.csv"):
        assert (index.parent / csv).is_file()


def test_bad_files_are_exit_2_and_named(real_run_file, tmp_path, capsys):
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(real_run_file.read_bytes()[: real_run_file.stat().st_size // 3])
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f.create_group("weather")["rain"] = [1.0, 2.0]
    for bad in (truncated, foreign):
        out = tmp_path / f"report_{bad.stem}"
        assert main(["report", str(bad), "-o", str(out), "--quiet"]) == 2
        error = capsys.readouterr().err
        assert str(bad) in error
        assert not (out / "index.html").exists()
    assert main(["compare", str(real_run_file), str(foreign), "-o", str(tmp_path / "c"), "-q"]) == 2
    assert "not a commsim result" in capsys.readouterr().err


def test_progress_lines_on_stderr_unless_quiet(sparse_run_file, tmp_path, capsys):
    assert main(["report", str(sparse_run_file), "-o", str(tmp_path / "loud")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("analysis report: reading") and lines[-1].startswith("analysis report: done")
    assert any("work orders" in line for line in lines) and all(line.endswith(" s]") for line in lines)
    assert main(["report", str(sparse_run_file), "-o", str(tmp_path / "quiet"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_group_panels_show_standard_errors_and_the_gap_to_the_rest(real_run_file, real_run_report):
    """The well-being panels by group carry each mean's standard-error band and a gap panel of each
    group against the rest with its band; the table of gaps holds the file's intervals."""
    run = read_run(real_run_file)
    html = real_run_report.read_text(encoding="utf-8")
    text = unescape(html)
    assert "wellbeing_se" in run.timeseries and "wellbeing_gap_ci" in run.summary
    assert "standard errors of each group's mean" in text
    assert "each group's mean minus the mean of all other residents" in text
    assert "no standard-error band" not in text.split("Well-being and trust by ethnic group")[1].split("<h2")[0]
    gaps = next(t for t in pd.read_html(html) if "gap to the rest" in t.columns)
    trust = gaps[(gaps["outcome"] == "trust")].set_index("group")
    ci = run.summary["wellbeing_gap_ci"]
    i = ci.labels["measure"].index("trust")
    for j, group in enumerate(ci.labels["group"]):
        assert float(trust.loc[group, "95% low"]) == pytest.approx(ci.values[i, j, 0], abs=1e-4)
        assert float(trust.loc[group, "95% high"]) == pytest.approx(ci.values[i, j, 1], abs=1e-4)
    assert {"reported_share", "closure_rate", "time_to_resolution"} <= set(gaps["outcome"])
