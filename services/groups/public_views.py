"""Placeholder while being written: every view is a 404 until it is."""

from django.http import Http404


def join(request, *args, **kwargs):
    raise Http404


def turn(request, *args, **kwargs):
    raise Http404


def thanks(request, *args, **kwargs):
    raise Http404
