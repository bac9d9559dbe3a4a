"""Each kind of report (run, compare, sweep) of real commsim output, opened in headless Chromium
at 1,400 px: every image loads, no element is wider than the viewport, no figure, table or
section is empty. A screenshot of each page is kept under build/browser-test/ (path printed) for
a person to look at. Skipped, with the reason, without chromium or a built commsim."""

from __future__ import annotations

from pathlib import Path

import pytest

import browser

ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "browser-test"


@pytest.fixture(scope="module", autouse=True)
def needs_chromium():
    if browser.chromium() is None:
        pytest.skip("chromium is not installed (scripts/deps.sh installs it)")


def check(index: Path, kind: str) -> dict:
    shot = ARTEFACTS / f"{kind}.png"
    result = browser.check_page(index, shot)
    print(f"\n{kind} report {index}: screenshot {result['screenshot']}")
    assert result["viewport"] == browser.VIEWPORT
    assert result["images"], "a report without a figure"
    assert browser.problems(result) == []
    # Figures are shown at their own width (1,000 px), never stretched or cut.
    assert {i["shown_width"] for i in result["images"]} <= {1000}
    return result


def test_run_report_in_a_browser(real_run_report):
    check(real_run_report, "run")


def test_compare_report_in_a_browser(real_compare_report):
    check(real_compare_report, "compare")


def test_sweep_report_in_a_browser(real_sweep_report):
    check(real_sweep_report, "sweep")


def test_the_check_finds_what_is_wrong(tmp_path):
    """A page with a missing image, a table wider than the page and an empty section fails."""
    index = tmp_path / "index.html"
    index.write_text("<!DOCTYPE html><html><body><h2>Empty</h2><h2>Wide</h2>"
                     "<table><tbody><tr><td style='min-width:2000px'>x</td></tr></tbody></table>"
                     "<figure><img src='missing.png' data-empty-panels='0'></figure></body></html>")
    found = browser.problems(browser.check_page(index))
    assert any("missing.png did not load" in p for p in found)
    assert any("wider than the viewport: td" in p for p in found)
    assert any("section without content: Empty" in p for p in found)
