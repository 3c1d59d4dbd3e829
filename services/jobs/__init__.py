"""Background jobs on a queue kept in PostgreSQL (procrastinate), instead of cron lines.

`tasks` defines the jobs and their schedules, `retries` how a failed job is tried again, `debug`
a slow job for tests that kill the worker mid-job. One worker process runs them all
(`manage.py procrastinate worker`); see docs/deploy.md, "Background jobs".
"""
