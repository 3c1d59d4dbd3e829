"""How long the progress chart takes to draw, against a bare matplotlib line plot.

Run from the repository root:  .venv/bin/python benchmarks/charts.py [--rounds 60]

The yardstick is a bare Figure + Agg line plot of the same points at the same size, saved in
the same format: the least any matplotlib chart costs, so the ratio says what the chart's own
parts cost and not how fast the machine is. Targets (issue #14): the uncached progress chart for
20 sessions within 1.15 × the bare plot as SVG and 1.3 × as PNG, and a cached chart within 2 ms.
Each round draws another client's episode (dates a day later, other scores), so the chart
gains nothing from having drawn the very same labels just before, beyond what any two clients'
charts share (titles, legend, scores); the cached case asks for the same chart every time.
Every case is measured once in each round, in turn, so that load from other processes on the
machine falls on all of them alike; medians (and the spread of the ratio over the rounds) are
reported, for wall-clock time and for this process's CPU time: on a machine shared with other
work the wall clock also counts the time others had the CPU, the CPU time does not, and on an
idle machine the two agree. The targets are judged on the CPU time. matplotlib's settings are
process-wide, so the bare plot is drawn under the same settings the charts make (text as text
in SVG), as it would be in the web server.
"""

import argparse
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
    SIZES,
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
TARGETS = {"svg": 1.15, "png": 1.3}
CACHED_TARGET_MS = 2.0
# The bare plot leaves out only what changes from run to run, as the charts do.
BARE_METADATA = {"svg": {"Date": None}, "png": {"Software": None}}


def episode(number: int = 0) -> ChartData:
    """A 20-session episode; episode `number` starts that many days later and scores a little
    differently, as another client's would."""
    start = datetime.date(2026, 1, 5) + datetime.timedelta(days=number)
    wobble = (number % 5) * 0.3
    ors = [14.0 + wobble + 12 * (1 - 0.85**n) + (0.8 if n % 3 else -0.6) for n in range(SESSIONS)]
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


def bare_plot(data: ChartData, fmt: str) -> bytes:
    """The same ORS points as one line on default axes, at the chart's size and resolution."""
    size = SIZES["tablet"]
    figure = Figure(figsize=(size.width, size.height), dpi=size.dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot([p.session for p in data.points], [p.ors for p in data.points])
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata=BARE_METADATA[fmt])
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    rounds = parser.parse_args().rounds
    first = episode()
    cache.clear()
    data = first

    def cached() -> bytes:
        return cached_chart(progress_chart, first, model_version="default", language="nb")

    cases: dict[str, Callable[[], bytes]] = {
        "bare svg": lambda: bare_plot(data, "svg"),
        "chart svg": lambda: progress_chart(data, "svg"),
        "bare png": lambda: bare_plot(data, "png"),
        "chart png": lambda: progress_chart(data, "png"),
        "cached": cached,
    }
    for run in cases.values():
        run()
    clocks = {"CPU": time.process_time, "wall": time.perf_counter}
    times = {(clock, name): [] for clock in clocks for name in cases}
    for number in range(1, rounds + 1):
        data = episode(number)
        for name, run in cases.items():
            cpu, wall = time.process_time(), time.perf_counter()
            run()
            times["CPU", name].append((time.process_time() - cpu) * 1000)
            times["wall", name].append((time.perf_counter() - wall) * 1000)
    median = {key: statistics.median(values) for key, values in times.items()}
    print(f"sessions: {SESSIONS}, rounds: {rounds}, medians in ms:")
    met = median["CPU", "cached"] <= CACHED_TARGET_MS
    for fmt, target in TARGETS.items():
        for clock in clocks:
            bare, chart = median[clock, f"bare {fmt}"], median[clock, f"chart {fmt}"]
            pairs = zip(times[clock, f"chart {fmt}"], times[clock, f"bare {fmt}"], strict=True)
            per_round = sorted(c / b for c, b in pairs)
            tenth = len(per_round) // 10
            ratio = chart / bare
            if clock == "CPU":
                met = met and ratio <= target
            spread = f"{per_round[tenth]:.2f}–{per_round[-1 - tenth]:.2f}"
            print(
                f"  {fmt.upper()} {clock:>4}: bare {bare:6.2f}, chart {chart:6.2f},"
                f" ratio {ratio:4.2f} (rounds' 10th–90th percentile {spread})"
                + (f"  target <= {target}" if clock == "CPU" else "")
            )
    print(f"  cached CPU: {median['CPU', 'cached']:6.3f}  target <= {CACHED_TARGET_MS}")
    print("targets met" if met else "TARGETS NOT MET")


if __name__ == "__main__":
    main()
