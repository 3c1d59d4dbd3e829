"""Published PCOMS outcome figures to show beside a service's own.

Shares of episodes by reliable change (Jacobson–Truax), as summarised in the project's reference
notes. The sources group outcomes in three: reliable improvement (with or without clinically
significant change, i.e. our "recovered" plus "improved"), no reliable change, and reliable
deterioration. The public-sector figures are shown as published; they do not add up to 100 %.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Benchmark:
    key: str
    label: object  # a lazy translation
    source: str
    improved: float
    unchanged: float
    deteriorated: float


BENCHMARKS = (
    Benchmark(
        key="rct",
        label=_("PCOMS trials"),
        source="Randomised trials of PCOMS (ORS/SRS)",
        improved=0.675,
        unchanged=0.256,
        deteriorated=0.070,
    ),
    Benchmark(
        key="public",
        label=_("Public services"),
        source="Gimeno-Peón et al. 2019, public-sector benchmarking study",
        improved=0.656,
        unchanged=0.354,
        deteriorated=0.107,
    ),
)
