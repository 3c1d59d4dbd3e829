"""Benchmarks of issue #14: `python benchmarks/run.py` runs them all (docs/benchmarks.md).

A package so that gunicorn can serve `benchmarks.hello.wsgi` and the tests can import the
table printer and the wrk-output parser; each older script still runs on its own.
"""
