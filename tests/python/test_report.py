"""libbounce.report: the diagnosis from paths or DataFrames, HTML in notebooks, plots."""

from __future__ import annotations

import pathlib

import pytest

import libbounce

DEMO = str(pathlib.Path(__file__).resolve().parents[2] / "corpus" / "samples" / "demo" / "mail.log*")


def test_report_from_paths_has_the_demo_findings() -> None:
    r = libbounce.report(DEMO, year=2025)
    ids = {f["id"] for f in r.findings}
    assert {"auth.dmarc", "blocklist.spamhaus", "throttling.yahoo", "behaviour.spike",
            "hygiene.hard_bounces"} <= ids
    assert not r.clean
    assert r.data["schema_version"] == 1
    assert "<svg" in r._repr_html_() and "Deliverability report" in r._repr_html_()
    assert "Listed on spamhaus" in str(r)


def test_report_from_a_dataframe_equals_the_report_from_paths() -> None:
    pytest.importorskip("pandas")
    df = libbounce.read_log(DEMO, year=2025, view="attempts")
    from_frame, from_paths = libbounce.report(df), libbounce.report(DEMO, year=2025)
    assert [f["id"] for f in from_frame.findings] == [f["id"] for f in from_paths.findings]
    assert from_frame.data["total"] == from_paths.data["total"]
    assert from_frame.data["failures_by_reason"] == from_paths.data["failures_by_reason"]


def test_plots_draw_with_matplotlib() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    r = libbounce.report(DEMO, year=2025)
    axes = r.plot("outcomes", top=3)
    assert len(axes) == 3 and axes[0].get_title() == "Outcomes over time by provider"
    ax = r.plot("reasons")
    assert ax.get_title() == "Failures by provider and reason"
    assert len(ax.patches) > 0  # bars were drawn
    with pytest.raises(ValueError):
        r.plot("pie")
