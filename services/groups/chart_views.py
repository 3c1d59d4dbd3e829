"""Placeholder while being written: every view is a 404 until it is."""

from django.http import Http404


def alliance_png(request, *args, **kwargs):
    raise Http404
