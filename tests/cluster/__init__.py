"""The cluster test: two app servers behind HAProxy, PostgreSQL, Redis, a job worker; faults.

Runs only when asked (`-m cluster` or CLUSTER=1); `.ci/run` asks for it on PostgreSQL.
"""
