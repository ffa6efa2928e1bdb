"""The HTML report: self-contained, charts with round ticks and one axis per
measure, the fitted scorecard against the champion, and every chart drawn in a
real browser.

The browser is Debian's chromium, headless; the test setup installs it with
apt-get when it is missing (CI runs as root). A screenshot of the report is
decoded here (PNG, standard library only) and each chart's band of the page
must hold enough pixels in the chart colours. The charts' SVG is read as
XML: each axes is a group with the id ``<chart>-<panel>``, its tick labels
the text of its ``xtick_N`` and ``ytick_N`` groups (matplotlib's names).

The calibration model (rpt_scorecard_calibration) is checked on a small
warehouse: 400 demo leads with a fitted copy of the champion, built only as
far as the report reads, against a computation here from the backtest rows.
"""

from __future__ import annotations

import math
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ElementTree
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from scripts.generate_demo_data import generate
from scripts.lead_scoring.dbt_client import BuildReader, DuckDBConnection
from scripts.lead_scoring.fit.scaling import Scale
from scripts.lead_scoring.report import (
    CHART_HEIGHT,
    CHARTS,
    COLORS,
    REPORT_MODELS,
    build_report,
    report_data,
)
from tests.e2e.harness import Project, write_csv

HEADER = 60  # px of the title above the first chart (scripts/lead_scoring/report.py)


def sample_data() -> dict[str, list[dict[str, Any]]]:
    """Small rows shaped like those of REPORT_MODELS: a champion, a fitted
    challenger (scale: 50 points = 10 %, +10 doubles the odds) and lift values
    that an axis shared with AUC would squash."""
    cards = ("default", "fitted")
    calibration = []
    for sample in ("backtest", "holdout"):
        for card in cards:
            for d in range(1, 11):
                score = 110 - 10 * d
                odds = 0.1 / 0.9 * 2 ** ((score - 50) / 10)
                calibration.append({
                    "scorecard_id": card, "lead_sample": sample, "decile": d,
                    "is_fitted": card == "fitted", "lead_count": 40 if sample == "holdout" else 80,
                    "converted_count": 4, "observed_rate": 0.4 / d,
                    "predicted_rate": odds / (1 + odds) if card == "fitted" else None,
                    "min_score": score, "max_score": score + 9})
    return {
        "distribution": [
            {"scorecard_id": card, "score_bin": b, "lead_count": 5 + (b // 10) % 7 * 74}
            for card in cards for b in range(-20, 120, 10)
        ],
        "calibration": calibration,
        "funnel": [
            {"funnel_stage": stage, "funnel_stage_rank": rank, "at_or_past_count": count}
            for stage, rank, count in [("lead", 1, 1931), ("mql", 2, 517), ("sql", 3, 258),
                                       ("customer", 4, 129)]
        ],
        "thresholds": [
            {"scorecard_id": "default", "threshold": t, "precision": min(1, 0.1 + t / 120),
             "recall": max(0, 1 - t / 100)}
            for t in range(-20, 101, 5)
        ],
        "recommendations": [
            {"scorecard_id": "default", "recommendation": "best_f1", "threshold": 55,
             "expected_conversion_rate": 0.5, "mqls_per_month": 4.5},
            {"scorecard_id": "default", "recommendation": "sales_capacity", "threshold": 20,
             "expected_conversion_rate": 0.2, "mqls_per_month": 24.0},
        ],
        "comparison": [
            {"scorecard_id": "default", "is_champion": True, "auc": 0.8,
             "top_decile_lift": 3.9, "mql_conversion_rate": 0.47, "backtest_lead_count": 789,
             "current_mql_count": 584},
            {"scorecard_id": "fitted", "is_champion": False, "auc": 0.83,
             "top_decile_lift": 4.6, "mql_conversion_rate": 0.52, "backtest_lead_count": 789,
             "current_mql_count": 436},
        ],
        "diagnostics": [
            {"scorecard_id": card, "rule_id": rule, "dimension": "engagement",
             "description": f"Rule {rule}", "rule_points": points, "applied_lead_count": 120,
             "applied_converted_count": 30, "applied_conversion_rate": 0.25,
             "other_lead_count": 669, "other_converted_count": 50,
             "other_conversion_rate": 50 / 669, "lift": 2.5, "information_value": iv,
             "fitted_points": 12.0}
            for card, rule, points, iv in [("default", "pricing_page", 15, 0.31),
                                           ("fitted", "page_views_30d_3", 9, 0.42)]
        ],
    }


SVG = "{http://www.w3.org/2000/svg}"


def chart_svgs(page: str) -> dict[str, ElementTree.Element]:
    """Each chart section's SVG, parsed."""
    found = {}
    for kind, svg in re.findall(r'<section class="chart" data-chart="([a-z]+)">.*?'
                                r'(<svg.*?</svg>)', page, re.S):
        found[kind] = ElementTree.fromstring(svg)
    return found


def axes_of(svg: ElementTree.Element) -> dict[str, ElementTree.Element]:
    """The axes groups of a chart by panel name (ids ``<chart>-<panel>``)."""
    return {g.get("id", "").split("-", 1)[1]: g for g in svg.iter(f"{SVG}g")
            if re.fullmatch(r"[a-z]+-(main|auc|lift)", g.get("id", ""))}


def tick_values(axes: ElementTree.Element, axis: str) -> list[float]:
    """The numbers of an axes' tick labels (x or y), in drawing order."""
    values = []
    for group in axes.iter(f"{SVG}g"):
        if re.fullmatch(rf"[a-z]+-{axis}tick_\d+", group.get("id", "")):
            text = "".join(t.text or "" for t in group.iter(f"{SVG}text")).strip()
            number = text.replace("\u2212", "-").replace(",", "").rstrip("%").strip()
            if re.fullmatch(r"-?\d+(\.\d+)?", number):
                values.append(float(number))
    return values


def is_round_step(step: float) -> bool:
    """1, 2, 2.5 or 5 times a power of ten."""
    exponent = math.floor(math.log10(step))
    mantissa = step / 10 ** exponent
    return any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))


def test_report_is_self_contained() -> None:
    page = build_report(sample_data(), date(2025, 6, 30), "Lead scoring report")
    assert page.count('<section class="chart"') == len(CHARTS) == 6
    for kind in CHARTS:
        assert f'data-chart="{kind}"' in page
    # nothing to fetch: no scripts, stylesheets, images or fonts from elsewhere;
    # the SVG's references (clip paths, markers) point inside the page
    for needle in ("<script", "<link", "<img", "@import"):
        assert needle not in page
    assert re.findall(r"url\((?!#)", page) == []
    assert re.findall(r'href="(?!#)', page) == []
    namespaces = len(re.findall(r'xmlns(:xlink)?="http://www\.w3\.org/[0-9]{4}/'
                                r'(svg|xlink)"', page))
    assert page.count("http") == namespaces > 0
    # ids are unique on the page, though every chart is its own SVG
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert "0.800" in page and "best f1" in page


def test_axis_ticks_are_round_numbers() -> None:
    """Every numeric axis of every chart: evenly spaced ticks, at multiples of a
    step of 1, 2, 2.5 or 5 times a power of ten. The funnel's leads (1,931, 517,
    258, 129) gave the hand-drawn axis ticks at 517, 388, 258 and 129."""
    page = build_report(sample_data(), date(2025, 6, 30), "Lead scoring report")
    checked = 0
    for kind, svg in chart_svgs(page).items():
        for panel, axes in axes_of(svg).items():
            for axis in ("x", "y"):
                values = tick_values(axes, axis)
                if axis == "x" and kind in ("calibration", "fitted"):
                    assert values == list(range(1, 11)), (kind, values)  # the deciles
                    continue
                if axis == "x" and kind in ("funnel", "comparison"):
                    assert values == [], (kind, values)  # named groups
                    continue
                assert len(values) >= 3, (kind, panel, axis, values)
                steps = {round(b - a, 9) for a, b in zip(values, values[1:], strict=False)}
                assert len(steps) == 1, (kind, panel, axis, values)
                step = steps.pop()
                assert step > 0 and is_round_step(step), (kind, panel, axis, values)
                assert all(math.isclose(v / step, round(v / step), abs_tol=1e-9)
                           for v in values), (kind, panel, axis, values)
                checked += 1
    # distribution, calibration, fitted, funnel and thresholds: y (and x for the
    # numeric ones); comparison: both panels' y
    assert checked == 9


def test_auc_and_lift_are_on_separate_axes() -> None:
    page = build_report(sample_data(), date(2025, 6, 30), "Lead scoring report")
    panels = axes_of(chart_svgs(page)["comparison"])
    assert set(panels) == {"auc", "lift"}
    labels = {name: " ".join(t.text or "" for t in axes.iter(f"{SVG}text"))
              for name, axes in panels.items()}
    assert "AUC" in labels["auc"] and "lift" not in labels["auc"]
    assert "lift" in labels["lift"] and "AUC" not in labels["lift"]
    auc_ticks, lift_ticks = tick_values(panels["auc"], "y"), tick_values(panels["lift"], "y")
    # AUC on 0..1; the lift (4.6 for the fitted card) on its own scale, not divided by 10
    assert min(auc_ticks) == 0 and max(auc_ticks) == 1
    assert max(lift_ticks) >= 4.6 and max(lift_ticks) > 1


def test_fitted_scorecard_against_the_champion() -> None:
    data = sample_data()
    page = build_report(data, date(2025, 6, 30), "Lead scoring report")
    section = re.search(r'<section class="chart" data-chart="fitted">(.*?)</section>', page,
                        re.S).group(1)
    assert "Fitted against the champion (default)" in section and "holdout" in section
    legend = " ".join(t.text or "" for t in chart_svgs(page)["fitted"].iter(f"{SVG}text"))
    for entry in ("default: observed", "fitted: observed", "fitted: predicted"):
        assert entry in legend
    assert "default: predicted" not in legend  # a hand-written card predicts no rate
    # the table: one row per decile of the holdout, predicted from the sample's scale
    table = re.search(r'<table data-table="fitted">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    assert len(rows) == 11 and "<th>fitted: predicted</th>" in rows[0]
    top = re.findall(r"<td>(.*?)</td>", rows[1])
    holdout_top = next(r for r in data["calibration"] if r["lead_sample"] == "holdout"
                       and r["scorecard_id"] == "fitted" and r["decile"] == 1)
    assert top[0] == "1" and f"{holdout_top['predicted_rate'] * 100:.1f} %" in top
    diagnostics = re.search(r'<table data-table="diagnostics">(.*?)</table>', page,
                            re.S).group(1)
    lines = re.findall(r"<tr>(.*?)</tr>", diagnostics)
    assert "<th>IV</th>" in lines[0] and "<th>fitted</th>" in lines[0]
    assert "information value (IV)" in page
    # the champion's rules first
    assert "<td>pricing_page</td>" in lines[1] and "<td>page_views_30d_3</td>" in lines[2]


def test_without_a_fitted_scorecard_the_report_says_how_to_fit() -> None:
    data = sample_data()
    data["calibration"] = [dict(r, is_fitted=False, predicted_rate=None)
                           for r in data["calibration"] if r["lead_sample"] == "backtest"]
    page = build_report(data, date(2025, 6, 30), "Lead scoring report")
    assert page.count('<section class="chart"') == len(CHARTS)
    assert "No fitted scorecard yet: `pipeline.py fit --scorecard-id" in html_text(page)
    assert "data-table=\"fitted\"" not in page


def html_text(page: str) -> str:
    return page.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")


def chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    install = subprocess.run(["apt-get", "install", "-y", "-q", "chromium"],
                             capture_output=True, text=True, timeout=900)
    if install.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, timeout=900)
        install = subprocess.run(["apt-get", "install", "-y", "-q", "chromium"],
                                 capture_output=True, text=True, timeout=900)
    found = shutil.which("chromium")
    assert found, f"could not install chromium:\n{install.stdout[-2000:]}{install.stderr[-2000:]}"
    return found


def read_png(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, channels, raw pixel rows) of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, "unexpected PNG format"
            channels = {2: 3, 6: 4}[color]
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows = bytearray()
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
                line[i] = (line[i] + predictor) & 0xFF
        rows += line
        previous = line
    return width, height, channels, bytes(rows)


def test_every_chart_is_drawn_in_a_browser(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(build_report(sample_data(), date(2025, 6, 30), "Lead scoring report"),
                    encoding="utf-8")
    shot = tmp_path / "report.png"
    height = HEADER + CHART_HEIGHT * len(CHARTS) + 300
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size=1000,{height}", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=300,
    )
    assert shot.exists(), result.stderr[-3000:]
    width, rows_count, channels, pixels = read_png(shot)
    palette = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in COLORS[:2]]

    def chart_pixels(top: int, bottom: int) -> int:
        count = 0
        for y in range(top, min(bottom, rows_count)):
            base = y * width * channels
            for x in range(0, width, 2):
                r, g, b = pixels[base + x * channels:base + x * channels + 3]
                if any(abs(r - pr) + abs(g - pg) + abs(b - pb) < 40 for pr, pg, pb in palette):
                    count += 1
        return count

    for index, kind in enumerate(CHARTS):
        top = HEADER + index * CHART_HEIGHT
        drawn = chart_pixels(top, top + CHART_HEIGHT)
        assert drawn > 300, f"chart {kind} looks blank ({drawn} coloured pixels)"
    # and the page below the charts (the tables) has none of the chart colours
    assert chart_pixels(HEADER + len(CHARTS) * CHART_HEIGHT + 20, rows_count) == 0


# ------------------------------------------------- the calibration model, built

AS_OF = date(2026, 6, 30)
# decision dates of the decided leads end 180 days before the as-of date
TRAIN_UNTIL = AS_OF - timedelta(days=300)
SCALE = Scale(base_score=40, base_rate=0.15, pdo=15)
FIT = {"scorecard_id": "fitted", "train_until": TRAIN_UNTIL.isoformat(), "base_score": "40",
       "base_rate": "0.15", "points_to_double_odds": "15"}
SCORECARD_SEEDS = ("scorecard_rules", "scorecard_groups", "scorecard_bands", "scorecard_grades")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """400 demo leads; the champion's rules copied as scorecard `fitted`, with a
    fit's scale in scorecard_fits.csv; built as far as the report reads (no
    score history: the backtest scores the decision dates point in time)."""
    root = tmp_path_factory.mktemp("report")
    project = Project.copy(root / "project").without_adjustments()
    for name in SCORECARD_SEEDS:
        rows = project.read_seed(name)
        project.write_seed(name, rows + [dict(row, scorecard_id="fitted") for row in rows
                                         if row["scorecard_id"] == "default"])
    write_csv(project.seed_path("scorecard_fits"), list(FIT), [FIT])
    generate(root / "raw", n_leads=400, seed=7, end_date=AS_OF)
    project.load_raw(root / "raw", crm=True)
    models = {model for model, _, _ in REPORT_MODELS.values()}
    project.build(AS_OF.isoformat(), "--select", *sorted(f"+{m}" for m in models),
                  data_tests=False)
    return project


def ntile(rows: list[Any], buckets: int) -> list[list[Any]]:
    """SQL's ntile: the first len % buckets groups get one row more."""
    size, extra = divmod(len(rows), buckets)
    groups, start = [], 0
    for index in range(min(buckets, len(rows))):
        end = start + size + (1 if index < extra else 0)
        groups.append(rows[start:end])
        start = end
    return groups


def test_calibration_model_predicts_from_the_fits_scale(warehouse: Project) -> None:
    """Per scorecard, sample and decile: the lead count, the observed rate and,
    for the fitted card only, the mean probability its scale gives the scores,
    recomputed here from the backtest rows."""
    backtest = warehouse.query(
        "select scorecard_id, lead_id, total_score, is_converted, decision_date "
        "from marts.fct_scorecard_backtest_leads where backtest_status = 'in backtest'")
    model = {(r["scorecard_id"], r["lead_sample"], r["decile"]): r for r in warehouse.query(
        "select * from marts.rpt_scorecard_calibration")}
    holdout = [r for r in backtest if r["decision_date"] > TRAIN_UNTIL]
    assert 0 < len(holdout) < len(backtest)
    expected_keys = set()
    for sample, rows in (("backtest", backtest), ("holdout", holdout)):
        for card in ("default", "fitted"):
            leads = sorted((r for r in rows if r["scorecard_id"] == card),
                           key=lambda r: (-float(r["total_score"]), r["lead_id"]))
            for decile, group in enumerate(ntile(leads, 10), start=1):
                expected_keys.add((card, sample, decile))
                row = model[(card, sample, decile)]
                assert row["lead_count"] == len(group)
                assert row["observed_rate"] == pytest.approx(
                    sum(r["is_converted"] for r in group) / len(group))
                assert row["min_score"] == min(r["total_score"] for r in group)
                if card == "fitted":
                    assert row["is_fitted"]
                    assert row["predicted_rate"] == pytest.approx(
                        sum(SCALE.probability(float(r["total_score"])) for r in group)
                        / len(group))
                else:
                    assert not row["is_fitted"] and row["predicted_rate"] is None
    # worked_example is in the model too; nothing else
    assert {k for k in model if k[0] != "worked_example"} == expected_keys


def test_report_from_the_warehouse_shows_the_fit_and_the_rules(warehouse: Project) -> None:
    reader = BuildReader(DuckDBConnection(warehouse.database),
                         warehouse.path / "target" / "manifest.json")
    try:
        data = report_data(reader)
    finally:
        reader.close()
    page = build_report(data, AS_OF, "Lead scoring report")
    assert page.count('<section class="chart"') == len(CHARTS)
    legend = " ".join(t.text or "" for t in chart_svgs(page)["fitted"].iter(f"{SVG}text"))
    assert "fitted: predicted" in legend and "default: observed" in legend
    assert "Fitted scorecards against the champion by score decile, on the holdout" in page
    rules = {(r["scorecard_id"], r["rule_id"]) for r in warehouse.query(
        "select scorecard_id, rule_id from marts.agg_scorecard_rule_diagnostics")}
    diagnostics = re.search(r'<table data-table="diagnostics">(.*?)</table>', page,
                            re.S).group(1)
    shown = set(re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td>", diagnostics))
    assert shown == rules and ("fitted", "title_exec") in shown


def test_the_report_exposure_names_what_the_report_reads() -> None:
    """models/exposures.yml declares the report (lineage in dbt docs): the same
    models as REPORT_MODELS."""
    import yaml

    exposures = yaml.safe_load((Path(__file__).resolve().parents[2] / "models"
                                / "exposures.yml").read_text(encoding="utf-8"))["exposures"]
    report = next(e for e in exposures if e["name"] == "html_report")
    named = {re.fullmatch(r"ref\('([a-z_]+)'\)", ref).group(1) for ref in report["depends_on"]}
    assert named == {model for model, _, _ in REPORT_MODELS.values()}
