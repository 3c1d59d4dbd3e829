"""The benchmark's pure parts: reading wrk's report and printing the table with its verdicts.

No timings here: the figures are made up, and what is checked is how they are read, compared
with their reference and judged against their targets.
"""

from pytest import approx

from benchmarks.httpload import parse_wrk
from benchmarks.report import Row, Target, render_notes, render_table
from benchmarks.run import parse_charts, parse_dashboard, parse_interchange, selected_groups

WRK_GET = """\
Running 5s test @ http://127.0.0.1:41234/klienter/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   312.40ms   40.10ms 600.00ms   70.00%
    Req/Sec    51.20     10.00    70.00     80.00%
  256 requests in 5.01s, 3.20MB read
  Non-2xx or 3xx responses: 6
Requests/sec:     51.10
Transfer/sec:    654.00KB
status 200 250
status 302 4
status 500 2
"""

WRK_SUBMIT = """\
Running 5s test @ http://127.0.0.1:41234/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    80.00us   10.00us   1.20ms   90.00%
    Req/Sec   100.00     10.00   120.00     80.00%
  301 requests in 2.50s, 90.00KB read
  Socket errors: connect 0, read 3, write 0, timeout 1
Requests/sec:    120.40
Transfer/sec:     36.00KB
status 201 300
status 200 1
exhausted
"""


def table_lines(rows: list[Row]) -> dict[str, list[str]]:
    """The table's rows by path, each as its cells."""
    lines = render_table(rows).splitlines()
    assert lines[0].startswith("| path ")
    assert set(lines[1]) <= {"|", "-"}
    cells = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]
    return {line[0]: line[1:] for line in cells}


def test_wrk_report_with_status_counts():
    result = parse_wrk(WRK_GET)
    assert result.requests == 256
    assert result.seconds == 5.01
    assert result.rate == 51.10
    assert result.latency_ms == approx(312.40)
    assert result.statuses == {200: 250, 302: 4, 500: 2}
    assert result.unexpected(200) == {302: 4, 500: 2}
    assert result.socket_errors == {}
    assert not result.exhausted


def test_wrk_report_of_submissions_that_ran_out():
    result = parse_wrk(WRK_SUBMIT)
    assert (result.requests, result.seconds, result.count(201)) == (301, 2.5, 300)
    assert result.latency_ms == approx(0.08)
    assert result.socket_errors == {"connect": 0, "read": 3, "write": 0, "timeout": 1}
    assert result.exhausted


def test_wrk_failure_is_not_a_report():
    try:
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")
    except ValueError as error:
        assert "not a wrk report" in str(error)
    else:
        raise AssertionError("a failed run was read as a report")


def test_ratios_to_the_reference_and_verdicts():
    rows = [
        Row(path="hello", unit="req/s", samples=(1000.0, 1200.0, 900.0)),
        Row(
            path="login page",
            unit="req/s",
            samples=(300.0, 360.0, 100.0),
            reference="hello",
            reference_name="hello",
            target=Target(0.30, at_least=True, on_ratio=True),
        ),
        Row(
            path="caseload",
            unit="req/s",
            samples=(60.0, 72.0, 22.0),
            reference="login page",
            reference_name="login page",
            target=Target(0.25, at_least=True, on_ratio=True),
        ),
        Row(path="caseload CPU", unit="ms", samples=(18.0, 22.0, 19.5), target=Target(20, False)),
    ]
    table = table_lines(rows)
    assert table["hello"] == ["1,000 req/s", "900–1,200", "–", "–", "–"]
    # Repetitions' ratios 30 %, 30 %, 11 %: the median is exactly the target.
    assert table["login page"] == [
        "300 req/s",
        "100–360",
        "30 % of hello",
        "≥ 30 % of hello",
        "yes",
    ]
    # 20 %, 20 %, 22 %: short of 25 %.
    assert table["caseload"][2:] == ["20 % of login page", "≥ 25 % of login page", "**no**"]
    assert table["caseload CPU"] == ["19.5 ms", "18.0–22.0", "–", "≤ 20.0 ms", "yes"]


def test_a_ratio_pairs_each_repetition_with_its_reference():
    """The machine was busy in the second repetition: both figures fell, their ratio did not.
    The ratio of the medians (200 / 1000) would say 20 %."""
    rows = [
        Row(path="hello", unit="req/s", samples=(1000.0, 400.0, 1100.0)),
        Row(path="page", unit="req/s", samples=(400.0, 160.0, 200.0), reference="hello"),
    ]
    assert table_lines(rows)["page"][2] == "40 % of hello"


def test_without_a_figure_for_every_repetition_the_medians_are_divided():
    rows = [
        Row(path="hello", unit="req/s", samples=(1000.0, 400.0, 1100.0)),
        Row(path="page", unit="req/s", samples=(300.0,), reference="hello"),
    ]
    assert table_lines(rows)["page"][2] == "30 % of hello"


def test_factor_ratios_strict_bounds_checks_and_failures():
    rows = [
        Row(path="bare plot", unit="ms", samples=(20.0, 20.0, 20.0)),
        Row(
            path="chart",
            unit="ms",
            samples=(23.0, 24.0, 25.0),
            reference="bare plot",
            reference_name="bare plot",
            percent=False,
            target=Target(1.15, at_least=False, on_ratio=True),
        ),
        Row(path="dashboard", unit="ms", samples=(150.0,), target=Target(150, False, strict=True)),
        Row(
            path="import",
            unit="rows/s",
            samples=(4000.0, 6000.0, 5000.0),
            target=Target(5000, True),
        ),
        Row(
            path="answers",
            text="0 lost, 0 duplicated of 900 accepted",
            passed=True,
            target_text="0 lost, 0 duplicated",
        ),
        Row(path="export", error="export_ratings | exited with 1", target=Target(30000, True)),
        Row(path="seed", text="reused (--reuse): not timed"),
    ]
    table = table_lines(rows)
    assert table["chart"][2:] == ["1.20× bare plot", "≤ 1.15× bare plot", "**no**"]
    assert table["dashboard"] == ["150 ms", "–", "–", "< 150 ms", "**no**"]
    assert table["import"] == ["5,000 rows/s", "4,000–6,000", "–", "≥ 5,000 rows/s", "yes"]
    assert table["answers"][-2:] == ["0 lost, 0 duplicated", "yes"]
    assert table["export"][0] == "failed: export_ratings \\| exited with 1"
    assert table["export"][-1] == "**no**"
    assert table["seed"] == ["reused (--reuse): not timed", "–", "–", "–", "–"]


def test_a_missing_reference_gives_no_ratio_and_no_verdict():
    row = Row(
        path="form",
        unit="req/s",
        samples=(10.0,),
        reference="login page",
        target=Target(0.5, at_least=True, on_ratio=True),
    )
    assert table_lines([row])["form"] == ["10.0 req/s", "–", "–", "≥ 50 % of login page", "–"]


def test_notes_name_their_row():
    rows = [Row(path="login page", notes=("server CPU 2.1 ms a request", "statuses {500: 1}"))]
    assert render_notes(rows).splitlines() == [
        "- login page: server CPU 2.1 ms a request",
        "- login page: statuses {500: 1}",
    ]


def test_the_other_scripts_output_is_read():
    interchange = (
        "20000 rows, 2000 clients, PostgreSQL 150020\n"
        "import into empty database        2,500 rows/s  (range 2,400–2,600; 3 runs)\n"
        "export                           24,112 rows/s  (range 24,000–25,000; 3 runs)\n"
    )
    assert parse_interchange(interchange) == {
        "import into empty database": (2500.0, 2400.0, 2600.0),
        "export": (24112.0, 24000.0, 25000.0),
    }
    dashboard = (
        "Dashboard page: 41 queries\n"
        "                                      wall median  CPU median   wall runs (ms)\n"
        "dashboard page, last 12 months             86 ms       46 ms   85, 86, 90\n"
        "dashboard page, 20 clients changed        422 ms      212 ms   400, 422, 430\n"
    )
    assert parse_dashboard(dashboard) == {
        "dashboard page, last 12 months": (86.0, 46.0),
        "dashboard page, 20 clients changed": (422.0, 212.0),
    }
    charts = (
        "  SVG  CPU: bare  29.47, chart  22.41, ratio 0.76 (rounds' 10th–90th percentile 0.6–0.8)\n"
        "  SVG wall: bare  31.33, chart  22.87, ratio 0.73 (rounds' 10th–90th percentile 0.4–0.9)\n"
        "  PNG  CPU: bare  52.48, chart  51.27, ratio 0.98 (rounds' 10th–90th percentile 0.8–1.0)\n"
    )
    assert parse_charts(charts) == {"SVG": (29.47, 22.41), "PNG": (52.48, 51.27)}
    older = (
        "  bare matplotlib line plot (SVG):   20.00 ms\n"
        "  progress chart, uncached (SVG):    25.00 ms\n"
        "  progress chart, cached:             0.500 ms\n"
    )
    assert parse_charts(older) == {"SVG": (20.0, 25.0)}


def test_a_page_brings_the_reference_its_ratio_needs():
    assert selected_groups("caseload") == {"caseload", "login", "hello"}
    assert selected_groups("charts,seed") == {"charts", "seed"}
