"""The HTML report: self-contained, and every chart drawn in a real browser.

The browser is Debian's chromium, headless; the test setup installs it with
apt-get when it is missing (CI runs as root). A screenshot of the report is
decoded here (PNG, standard library only) and each chart's band of the page
must hold enough pixels in the chart colours.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from datetime import date
from pathlib import Path
from typing import Any

from scripts.lead_scoring.report import CHART_HEIGHT, COLORS, build_report

HEADER = 60  # px of the title above the first chart (scripts/lead_scoring/report.py)
CHARTS = ["distribution", "calibration", "funnel", "thresholds", "comparison"]


def sample_data() -> dict[str, list[dict[str, Any]]]:
    """Small rows shaped like those of REPORT_MODELS (two scorecards)."""
    cards = ("default", "challenger")
    return {
        "distribution": [
            {"scorecard_id": card, "score_bin": b, "lead_count": 5 + (b // 10) % 7}
            for card in cards for b in range(-20, 120, 10)
        ],
        "calibration": [
            {"scorecard_id": card, "decile": d, "conversion_rate": 0.4 / d, "lead_count": 10}
            for card in cards for d in range(1, 11)
        ],
        "funnel": [
            {"funnel_stage": stage, "funnel_stage_rank": rank, "at_or_past_count": count}
            for stage, rank, count in [("lead", 1, 1000), ("mql", 2, 400), ("sql", 3, 200),
                                       ("customer", 4, 90)]
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
            {"scorecard_id": "challenger", "is_champion": False, "auc": 0.68,
             "top_decile_lift": 2.7, "mql_conversion_rate": 0.15, "backtest_lead_count": 789,
             "current_mql_count": 436},
        ],
    }


def test_report_is_self_contained() -> None:
    page = build_report(sample_data(), date(2025, 6, 30), "Lead scoring report")
    assert page.count('<section class="chart"') == len(CHARTS)
    for kind in CHARTS:
        assert f'data-chart="{kind}"' in page
    # nothing to fetch: no scripts, stylesheets, images or fonts from elsewhere
    for needle in ("<script", "<link", "<img", "@import", "url("):
        assert needle not in page
    assert page.count("http") == page.count('xmlns="http://www.w3.org/2000/svg"')
    assert "0.800" in page and "best f1" in page


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
