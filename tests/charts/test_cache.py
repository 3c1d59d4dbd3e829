"""Charts are cached by content: a repeat costs a cache read, anything new draws afresh."""

from dataclasses import replace

import pytest
from django.core.cache import cache

from services.charts.cache import cached_chart, chart_cache_key
from services.charts.progress import progress_chart
from services.charts.sparkline import sparkline

from .samples import episode


class Counting:
    """A drawing function that counts its calls."""

    def __init__(self, render):
        self.render = render
        self.calls = 0
        self.__name__ = render.__name__
        self.__qualname__ = render.__qualname__
        self.__module__ = render.__module__

    def __call__(self, data, **options):
        self.calls += 1
        return self.render(data, **options)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_repeated_chart_is_read_from_the_cache(data):
    render = Counting(progress_chart)
    first = cached_chart(render, data, model_version="default", language="nb", fmt="svg")
    again = cached_chart(render, episode(), model_version="default", language="nb", fmt="svg")
    assert render.calls == 1
    assert first == again == progress_chart(data)


@pytest.mark.parametrize(
    "change",
    [
        {"data": replace(episode(), cutoff=28)},
        {"model_version": "7-20260301120000"},
        {"language": "nn"},
        {"fmt": "png"},
        {"size": "phone"},
    ],
)
def test_anything_new_draws_the_chart_again(data, change):
    render = Counting(progress_chart)
    arguments = {"data": data, "model_version": "default", "language": "nb", "fmt": "svg"}
    cached_chart(render, **arguments)
    cached_chart(render, **{**arguments, **change})
    assert render.calls == 2


def test_new_session_data_changes_the_key(data):
    more = replace(data, points=data.points[:-1])
    keys = {
        chart_cache_key(progress_chart, d, model_version="m", language="nb", fmt="svg")
        for d in (data, more, episode())
    }
    assert len(keys) == 2


def test_different_charts_of_the_same_data_do_not_share_a_key(data):
    line = cached_chart(sparkline, data, model_version="m", language="nb")
    chart = cached_chart(progress_chart, data, model_version="m", language="nb")
    assert line != chart
    assert line == sparkline(data)


def test_keys_are_short_enough_for_memcached(data):
    key = chart_cache_key(progress_chart, data, model_version="m", language="nb", fmt="svg")
    assert len(key) < 250
    assert " " not in key
