import pytest

from services.charts.data import ChartData

from .samples import episode


@pytest.fixture
def data() -> ChartData:
    return episode()
