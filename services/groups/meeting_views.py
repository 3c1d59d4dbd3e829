"""Placeholder while being written: every view is a 404 until it is."""

from django.http import Http404


def new(request, *args, **kwargs):
    raise Http404


def meeting(request, *args, **kwargs):
    raise Http404


def attendance(request, *args, **kwargs):
    raise Http404


def tablet_round(request, *args, **kwargs):
    raise Http404
