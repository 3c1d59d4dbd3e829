"""How long the progress chart takes to draw, against a bare matplotlib line plot.

Run from the repository root:  .venv/bin/python benchmarks/charts.py

Targets: the uncached progress chart for 20 sessions within 1.5 × a bare Figure + Agg line plot
of the same points as SVG (the least any matplotlib chart costs), and a cached chart within
2 ms. The three are measured in turn in each round so that load from other processes on the
machine falls on all of them alike; medians are reported.
"""

import datetime
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from services.charts.cache import cached_chart  # noqa: E402
from services.charts.data import (  # noqa: E402
    ChartData,
    ChartLabels,
    ChartPoint,
    ExpectedPoint,
    SignalMarker,
)
from services.charts.progress import progress_chart  # noqa: E402
from services.measures.trajectory import DEFAULT_MODEL, expected_series  # noqa: E402

ROUNDS = 60
SESSIONS = 20
UNCACHED_TARGET = 1.5
CACHED_TARGET_MS = 2.0


def episode() -> ChartData:
    start = datetime.date(2026, 1, 5)
    ors = [14.0 + 12 * (1 - 0.85**n) + (0.8 if n % 3 else -0.6) for n in range(SESSIONS)]
    points = tuple(
        ChartPoint(
            session=n + 1,
            date=start + datetime.timedelta(days=7 * n),
            ors=round(score, 1),
            srs=round(35 + n * 0.2, 1),
            ors_items=tuple(round(score / 4, 1) for _ in range(4)),
        )
        for n, score in enumerate(ors)
    )
    expected = tuple(
        ExpectedPoint(*row) for row in expected_series(DEFAULT_MODEL, ors[0], 1, SESSIONS)
    )
    labels = ChartLabels(
        ors="Hvordan livet har vært (ORS)",
        srs="Samarbeid i timen (SRS)",
        cutoff="Klinisk grense",
        reliable_change="Pålitelig endring fra start",
        expected="Forventet utvikling",
        expected_band="Forventet spenn",
        alliance_threshold="Grense for samarbeid",
        caption="Forventet utvikling: standardmodellen, en dokumentert antakelse.",
        decimal_mark=",",
    )
    return ChartData(
        points=points,
        cutoff=25,
        reliable_change=5,
        expected=expected,
        signals=(SignalMarker(SESSIONS, "no_change", "Ingen pålitelig endring"),),
        alliance_threshold=36,
        labels=labels,
    )


def bare_plot(data: ChartData) -> bytes:
    figure = Figure(figsize=(10, 6.4))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot([p.session for p in data.points], [p.ors for p in data.points])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def main() -> None:
    data = episode()
    cache.clear()

    def cached() -> bytes:
        return cached_chart(progress_chart, data, model_version="default", language="nb")

    cases: dict[str, Callable[[], bytes]] = {
        "bare": lambda: bare_plot(data),
        "uncached": lambda: progress_chart(data),
        "cached": cached,
    }
    for run in cases.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(ROUNDS):
        for name, run in cases.items():
            started = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - started) * 1000)
    bare, uncached, hit = (statistics.median(times[name]) for name in cases)
    ratio = uncached / bare
    print(f"sessions: {SESSIONS}, rounds: {ROUNDS}, medians:")
    print(f"  bare matplotlib line plot (SVG): {bare:7.2f} ms")
    print(f"  progress chart, uncached (SVG):  {uncached:7.2f} ms")
    print(f"  progress chart, cached:          {hit:7.3f} ms")
    print(f"  uncached / bare:                 {ratio:7.2f}  (target <= {UNCACHED_TARGET})")
    met = ratio <= UNCACHED_TARGET and hit <= CACHED_TARGET_MS
    print("targets met" if met else "TARGETS NOT MET")


if __name__ == "__main__":
    main()
