"""The report's charts, drawn by matplotlib as inline SVG.

matplotlib places the axis ticks at round numbers (steps of 1, 2, 2.5 or 5
times a power of ten) and gives each measure its own axes. The SVG is
self-contained: text stays text (``svg.fonttype`` none, so the browser's
sans-serif draws it), nothing refers outside the page, and every id is
prefixed with the chart's name so that several charts share a page. Each
axes carries an id (``<chart>-<panel>``) that a test can find.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from typing import ParamSpec

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

WIDTH, HEIGHT = 900, 340  # px of each chart (section height: report.CHART_HEIGHT)
COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"]
INK = "#0f172a"
STYLE = {
    "svg.fonttype": "none",
    # ids depend on the content only: the same data gives the same page
    "svg.hashsalt": "lead-scoring-report",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 10,
    "axes.edgecolor": "#94a3b8",
    "axes.labelcolor": "#334155",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#e2e8f0",
    "xtick.color": "#334155",
    "ytick.color": "#334155",
    "legend.frameon": False,
}
STEPS = [1, 2, 2.5, 5, 10]  # ticks at these times a power of ten
P = ParamSpec("P")


def _axes(figure: Figure, panel: str, position: int = 1, panels: int = 1,
          percent: bool = False, integer: bool = False) -> Axes:
    ax = figure.add_subplot(1, panels, position)
    ax.set_gid(panel)  # the id becomes <chart>-<panel> (_svg)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=STEPS,
                                           integer=integer))
    if percent:
        # 0.4 -> 40%, 0.025 -> 2.5%: as many decimals as the tick needs
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value * 100:g}%"))
    return ax


def _svg(figure: Figure, chart: str) -> str:
    """The figure as an ``<svg>`` element (no XML prolog, no metadata), its ids
    prefixed with the chart's name, sized in CSS pixels."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={
        "Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r'id="([^"]+)"', rf'id="{chart}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{chart}-\1"', text)
    # width and height in px (matplotlib writes points)
    return re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"',
                  rf'<svg\1 width="{WIDTH}" height="{HEIGHT}" role="img"', text, count=1)


def _figure() -> Figure:
    return Figure(figsize=(WIDTH / 96, HEIGHT / 96), dpi=96, layout="constrained")


def _with_style(draw: Callable[P, str]) -> Callable[P, str]:
    """Draw with the report's matplotlib settings (and no others)."""
    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> str:
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)
    return drawn


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
            color="#475569")


@_with_style
def grouped_bars(chart: str, groups: Sequence[str], series: dict[str, Sequence[float]],
                 y_label: str, x_label: str = "", percent: bool = False) -> str:
    """Bars per group (x) for each series (a colour each), with a legend."""
    figure = _figure()
    ax = _axes(figure, "main", percent=percent, integer=not percent)
    count = max(len(series), 1)
    width = 0.8 / count
    for index, (name, values) in enumerate(series.items()):
        offsets = [g - 0.4 + width * (index + 0.5) for g in range(len(groups))]
        ax.bar(offsets, values, width=width, color=COLORS[index % len(COLORS)], label=name)
    ax.set_xticks(range(len(groups)), list(groups))
    ax.set_ylabel(y_label)
    if x_label:
        ax.set_xlabel(x_label)
    if not groups:
        _empty(ax, "no data yet")
    if len(series) > 1:
        ax.legend(loc="upper right")
    return _svg(figure, chart)


@_with_style
def histogram(chart: str, series: dict[str, dict[float, float]], bin_width: float,
              y_label: str, x_label: str) -> str:
    """Counts per bin (bin start -> count) for each series, bars side by side
    inside each bin, on a numeric x axis."""
    figure = _figure()
    ax = _axes(figure, "main", integer=True)
    count = max(len(series), 1)
    width = bin_width * 0.9 / count
    for index, (name, counts) in enumerate(series.items()):
        starts = sorted(counts)
        ax.bar([s + bin_width * 0.05 + width * index for s in starts],
               [counts[s] for s in starts], width=width, align="edge",
               color=COLORS[index % len(COLORS)], label=name)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, steps=STEPS))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if not series:
        _empty(ax, "no scores yet")
    if len(series) > 1:
        ax.legend(loc="upper right")
    return _svg(figure, chart)


@_with_style
def rate_lines(chart: str, series: dict[str, Sequence[tuple[float, float]]], x_label: str,
               markers: Sequence[tuple[float, str]] = ()) -> str:
    """Lines of (x, rate 0..1) points, one colour per series, with dashed
    vertical markers (x, label)."""
    figure = _figure()
    ax = _axes(figure, "main", percent=True)
    for index, (name, points) in enumerate(series.items()):
        ax.plot([x for x, _ in points], [y for _, y in points], linewidth=2.5,
                color=COLORS[index % len(COLORS)], label=name)
    for x, label in markers:
        ax.axvline(x, color=INK, linestyle="--", linewidth=1)
        ax.annotate(label, (x, 1.0), xytext=(4, -2), textcoords="offset points",
                    xycoords=("data", "axes fraction"), va="top", color=INK, fontsize=9)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, steps=STEPS))
    ax.set_xlabel(x_label)
    ax.set_ylabel("rate")
    if not series:
        _empty(ax, "no backtest yet")
    else:
        ax.legend(loc="center right")
    return _svg(figure, chart)


@_with_style
def calibration(chart: str, observed: dict[str, dict[int, float]],
                predicted: dict[str, dict[int, float]]) -> str:
    """Observed conversion per score decile as bars (one colour per scorecard)
    and, for fitted scorecards, the rate their scores stand for as a line
    with markers over its own bars' colour."""
    figure = _figure()
    ax = _axes(figure, "main", percent=True)
    deciles = sorted({d for rates in observed.values() for d in rates})
    count = max(len(observed), 1)
    width = 0.8 / count
    colors = {}
    for index, (name, rates) in enumerate(observed.items()):
        colors[name] = COLORS[index % len(COLORS)]
        ax.bar([d - 0.4 + width * (index + 0.5) for d in deciles],
               [rates.get(d, 0.0) for d in deciles], width=width, color=colors[name],
               label=f"{name}: observed")
    for name, rates in predicted.items():
        points = sorted(rates.items())
        ax.plot([d for d, _ in points], [r for _, r in points], color=INK, linewidth=1.5,
                linestyle="--", marker="o", markerfacecolor=colors.get(name, INK),
                markeredgecolor=INK, markersize=6, label=f"{name}: predicted")
    ax.set_xticks(deciles, [str(d) for d in deciles])
    ax.set_xlabel("score decile (1 = top tenth)")
    ax.set_ylabel("converted")
    if not deciles:
        _empty(ax, "no backtest yet")
    else:
        ax.legend(loc="upper right")
    return _svg(figure, chart)


@_with_style
def comparison(chart: str, scorecards: Sequence[str], auc: Sequence[float | None],
               lift: Sequence[float | None]) -> str:
    """AUC and top-decile lift per scorecard, each on its own axes: AUC from 0
    to 1 with chance (0.5) marked, lift from 0 with no lift (1) marked."""
    figure = _figure()
    colors = [COLORS[i % len(COLORS)] for i in range(len(scorecards))]
    positions = list(range(len(scorecards)))
    left = _axes(figure, "auc", 1, 2)
    left.bar(positions, [a or 0.0 for a in auc], color=colors, width=0.6)
    left.axhline(0.5, color=INK, linestyle="--", linewidth=1)
    left.annotate("chance", (1.0, 0.5), xycoords=("axes fraction", "data"), xytext=(-2, 3),
                  textcoords="offset points", ha="right", fontsize=9, color=INK)
    left.set_ylim(0, 1)
    left.set_ylabel("AUC")
    left.set_title("Backtest AUC", fontsize=11)
    right = _axes(figure, "lift", 2, 2)
    right.bar(positions, [x or 0.0 for x in lift], color=colors, width=0.6)
    right.axhline(1.0, color=INK, linestyle="--", linewidth=1)
    right.annotate("no lift", (1.0, 1.0), xycoords=("axes fraction", "data"), xytext=(-2, 3),
                   textcoords="offset points", ha="right", fontsize=9, color=INK)
    right.set_ylim(0, max([x or 0.0 for x in lift] + [1.0]) * 1.15)
    right.set_ylabel("top-decile lift (times the average)")
    right.set_title("Top-decile lift", fontsize=11)
    for ax in (left, right):
        ax.set_xticks(positions, list(scorecards))
    return _svg(figure, chart)
