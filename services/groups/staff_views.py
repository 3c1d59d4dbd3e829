"""Placeholder while being written: every view is a 404 until it is."""

from django.http import Http404


def index(request, *args, **kwargs):
    raise Http404


def new(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def close(request, *args, **kwargs):
    raise Http404


def add_client(request, *args, **kwargs):
    raise Http404


def add_participant(request, *args, **kwargs):
    raise Http404


def member_left(request, *args, **kwargs):
    raise Http404


def codes(request, *args, **kwargs):
    raise Http404
