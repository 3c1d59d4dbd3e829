"""One row of a dashboard part's table of figures: shared by the parts that list their
figures one per row (goals and offers, groups), with `templates/dashboards/_figure_lines.html`."""

from dataclasses import dataclass

from services.dashboards.suppression import Figure


@dataclass(frozen=True)
class Line:
    """One row of the part's table: the figure, its style, and what it counts."""

    key: str
    label: str
    value: Figure
    style: str
    counted: str
