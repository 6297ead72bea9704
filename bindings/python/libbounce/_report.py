"""The deliverability diagnosis in notebooks: ``libbounce.report(df_or_paths)``."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _core
from ._read import PathLike, Sources, _import, _inputs

__all__ = ["Report", "report"]


class Report:
    """A diagnosis: findings in triage order with their evidence, and the counts behind them.

    Shows itself as the HTML report in a notebook (``_repr_html_``) and as the
    terminal report with ``print``. ``data`` is the JSON of
    ``bounce report --output json`` (schema: docs/report-schema.md).
    """

    def __init__(self, json_text: str, text: str, html: str) -> None:
        self.data: Dict[str, Any] = json.loads(json_text)
        self.text = text
        self.html = html

    @property
    def findings(self) -> List[Dict[str, Any]]:
        """The findings, most important first within each triage section."""
        return list(self.data["findings"])

    @property
    def clean(self) -> bool:
        """True when nothing was found."""
        return bool(self.data["clean"])

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        ids = ", ".join(f["id"] for f in self.findings) or "clean"
        return f"<libbounce.Report {self.data['total']['attempts']} attempts: {ids}>"

    def plot(self, kind: str = "outcomes", ax: Any = None, top: int = 6) -> Any:
        """Plot with matplotlib and return the Axes (or array of Axes).

        Parameters
        ----------
        kind : {"outcomes", "reasons"}
            ``"outcomes"``: delivered/deferred/bounced over time for the
            ``top`` providers by volume (one panel each); ``"reasons"``: failed
            attempts by provider, stacked by reason.
        ax : matplotlib Axes, optional
            Where to draw (``"reasons"`` only; ``"outcomes"`` makes a figure).
        """
        plt = _import("matplotlib.pyplot", "plot")
        if kind == "reasons":
            data = self.data["failures_by_provider_reason"]
            providers = sorted(data, key=lambda p: -sum(data[p].values()))
            reasons = sorted({r for p in data.values() for r in p},
                             key=lambda r: -sum(p.get(r, 0) for p in data.values()))
            if ax is None:
                _, ax = plt.subplots(figsize=(8, 0.5 + 0.4 * max(1, len(providers))))
            left = [0] * len(providers)
            for reason in reasons:
                values = [data[p].get(reason, 0) for p in providers]
                ax.barh(providers, values, left=left, label=reason)
                left = [a + b for a, b in zip(left, values)]
            ax.set_xlabel("failed attempts")
            ax.set_title("Failures by provider and reason")
            if reasons:
                ax.legend(fontsize="small", loc="lower right")
            return ax
        if kind != "outcomes":
            raise ValueError(f"kind must be 'outcomes' or 'reasons', not {kind!r}")
        pd = _import("pandas", "plot")
        by_provider = self.data["by_provider_hour"]
        providers = sorted(by_provider, key=lambda p: -sum(c["attempts"] for c in by_provider[p].values()))[:top]
        if not providers:
            raise ValueError("no timestamped records to plot")
        fig, axes = plt.subplots(len(providers), 1, sharex=True, squeeze=False,
                                 figsize=(9, 1.8 * len(providers)))
        for panel, provider in zip(axes[:, 0], providers):
            frame = pd.DataFrame(by_provider[provider]).T
            frame.index = pd.to_datetime(frame.index)
            frame["failed"] = frame["bounced"] + frame["expired"]
            frame[["delivered", "deferred", "failed"]].plot.area(
                ax=panel, color=["#2ca02c", "#ffbb33", "#d62728"], linewidth=0, legend=False)
            panel.set_ylabel(provider)
        axes[0, 0].legend(["delivered", "deferred", "bounced/expired"], fontsize="small")
        axes[0, 0].set_title("Outcomes over time by provider")
        fig.tight_layout()
        return axes[:, 0]


def report(source: Union[Sources, Any], format: str = "auto", year: Optional[int] = None,
           tz: Optional[str] = None, rules: Sequence[PathLike] = ()) -> Report:
    """Diagnose delivery problems, from log paths or from a DataFrame of records.

    Parameters
    ----------
    source : paths (as for :func:`read_log`) or a pandas DataFrame from :func:`read_log`
        Logs are read with every attempt (the deferral rates need them); a
        DataFrame is taken as it is (``view="attempts"`` gives the same report
        as the paths).
    format, year, tz, rules
        As for :func:`read_log` (ignored for a DataFrame).

    Examples
    --------
    >>> import libbounce
    >>> r = libbounce.report("corpus/samples/demo/mail.log*", year=2025)
    >>> [f["id"] for f in r.findings if f["section"] == "authentication"]
    ['auth.dmarc']
    >>> r.clean
    False
    """
    if hasattr(source, "columns") and hasattr(source, "to_dict"):
        frame: Any = source
        columns: Dict[str, List[Any]] = {}
        for name in frame.columns:
            if name == "time":
                pd = _import("pandas", "pandas")
                micros = (frame["time"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(microseconds=1)
                columns["time"] = [None if pd.isna(v) else int(v) for v in micros]
            else:
                columns[str(name)] = [None if v is None else v for v in frame[name].tolist()]
        return Report(*_core.report_from_columns(columns, len(frame)))
    return Report(*_core.report_from_inputs(_inputs(source), format, int(year or 0), tz or "",
                                            [os.fspath(r) for r in rules]))
