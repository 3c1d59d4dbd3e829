"""Cursor pages in the order rows last changed: a sync that follows `next` sees every row that
changed, once, even while rows are added or changed between its requests (an offset page would
skip or repeat rows then)."""

from rest_framework.pagination import CursorPagination


class ChangedOrder(CursorPagination):
    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ByKey(CursorPagination):
    """The forms, which do not change in use, in a fixed order."""

    ordering = ("key", "version")
    page_size = 100
