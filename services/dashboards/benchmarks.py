"""Published PCOMS outcome figures to show beside a service's own, each with its full source.

Only figures whose source can be named in full and checked are here (docs/dashboards.md lists
them, and what was dropped and why). The sources group outcomes in three, by reliable change
(Jacobson–Truax): reliable and/or clinically significant improvement (our "recovered" plus
"improved"), no reliable change, and reliable deterioration.

Published samples are people in treatment, and clinically significant change can only be
reached from below the cutoff; so the service's own bar beside these figures counts only the
episodes that started below the cutoff (`EpisodeFact.clinical`), never every episode.

Dropped: the public-sector benchmarking figures (65.6 / 35.4 / 10.7 %) quoted beside the trial
figures by the same source. They add up to 111.7 %, so at least one is misquoted, and the
exact published numbers could not be found.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Benchmark:
    key: str
    label: object  # a lazy translation, short enough for a chart legend
    short: str  # the source as a footnote names it: authors and year
    citation: str  # the full reference, shown on hover, in the footnote and the downloads
    year: int
    improved: float
    unchanged: float
    deteriorated: float


GIMENO_PEON_2019 = (
    "Gimeno-Peón, A., Prado-Abril, J., Inchausti, F., Barrio-Nespereira, A., "
    "Álvarez-Casariego, M. T., & Duncan, B. L. (2019). Systematic client feedback: "
    "A naturalistic pilot study. Ansiedad y Estrés, 25(2), 132–137. "
    "https://doi.org/10.1016/j.anyes.2019.04.005"
)

BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        key="rct",
        label=_("PCOMS trials"),
        short="Gimeno-Peón et al. 2019",
        # The abstract's figures for the randomised PCOMS trials of a meta-analysis, pooled:
        # 67.5 % reliable and/or clinically significant change, 25.6 % no change, 7.0 %
        # deterioration (100.1 %: rounding).
        citation=GIMENO_PEON_2019,
        year=2019,
        improved=0.675,
        unchanged=0.256,
        deteriorated=0.070,
    ),
)
