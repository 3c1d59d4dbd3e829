"""A bare Django "hello": the reference the pages' requests per second are divided by.

Served by gunicorn exactly as the app is (deploy/gunicorn.conf.py, the same workers), so a
ratio to it says what the app's own work costs on this machine under this load, whatever else
the machine is doing. No apps, no middleware, no database: Django's request handling alone.
"""
