"""The REST API's resources: thin views over the functions the pages use.

Every queryset starts from the key's service, so another service's objects are simply not
found (404). Lists are cursor-paginated in the order rows last changed, so a record system can
sync with `?updated_since=` and follow `next` links without missing or repeating a row.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from services.accounts.models import Membership, Role
from services.clients.episodes import register_client
from services.clients.final_outcome import final_outcome
from services.clients.models import Client, Episode
from services.clients.progress import load_rules, signals_for
from services.clients.signal_details import details_for
from services.dashboards import periods
from services.dashboards.exports import figure_rows
from services.dashboards.figures import build_dashboard
from services.measures.models import Instrument
from services.measures.signals import EXPLANATIONS, TITLES
from services.ratings.models import Method, Rating
from services.ratings.recording import RatingError, record_rating
from services.ratings.series import episode_series
from services.sessions.models import Session
from services.sessions.recording import SessionError, register_session

from . import audit
from .models import ApiKey
from .pagination import ByKey
from .serializers import (
    ClientSerializer,
    EpisodeSerializer,
    EpisodeSignalsSerializer,
    InstrumentSerializer,
    RatingSerializer,
    ReportSerializer,
    SessionSerializer,
)

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only rows changed at or after this time (ISO 8601 with time zone), for sync.",
)


def _updated_since(request) -> datetime.datetime | None:
    text = request.query_params.get("updated_since")
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"updated_since": _("Write a time as in 2026-11-30T08:00:00+01:00.")})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # In UTC: PostgreSQL refuses offsets beyond ±15:59, which Python reads (up to 24 hours).
    return moment.astimezone(datetime.UTC)


def _id_param(request, name: str) -> int | None:
    text = request.query_params.get(name)
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise ValidationError({name: _("Write a whole number.")})
    return int(text)


class ServiceData(viewsets.GenericViewSet):
    """A resource of the key's service: its queryset, `updated_since`, and the access log."""

    resource = ""
    filters: tuple[str, ...] = ()  # query parameters that filter on a related id

    def get_serializer_context(self):
        context = super().get_serializer_context()
        key = getattr(self.request, "auth", None)
        if isinstance(key, ApiKey):
            context["service"] = key.service
        return context

    def service_rows(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a key
            return self.get_serializer_class().Meta.model.objects.none()
        rows = self.service_rows()
        since = _updated_since(self.request)
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        for name in self.filters:
            value = _id_param(self.request, name)
            if value is not None:
                rows = rows.filter(**{f"{name}_id": value})
        return rows

    def client_of(self, row) -> int:
        raise NotImplementedError

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        audit.read(request, self.resource, [self.client_of(row) for row in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        row = self.get_object()
        audit.read(request, self.resource, [self.client_of(row)])
        return Response(self.get_serializer(row).data)


def _filters(*names: str):
    return [
        OpenApiParameter(name, OpenApiTypes.INT, description=f"Only rows of this {name}.")
        for name in names
    ]


class InstrumentViewSet(ServiceData):
    """The forms and their data definitions (the same for every service)."""

    serializer_class = InstrumentSerializer
    pagination_class = ByKey
    resource = "instruments"

    def get_queryset(self):
        return Instrument.objects.order_by("key", "version")

    def list(self, request):
        audit.call(request, self.resource)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        audit.call(request, self.resource)
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(parameters=[UPDATED_SINCE]),
    create=extend_schema(responses={201: ClientSerializer}),
)
class ClientViewSet(mixins.CreateModelMixin, ServiceData):
    """Clients by their pseudonymous code. Creating one opens its first episode."""

    serializer_class = ClientSerializer
    resource = "clients"

    def service_rows(self):
        return Client.objects.filter(service=self.request.auth.service).order_by("id")

    def client_of(self, row) -> int:
        return row.pk

    def perform_create(self, serializer):
        service = self.request.auth.service
        data = serializer.validated_data
        membership = Membership.objects.get(user=data["helper"], service=service, role=Role.HELPER)
        try:
            with transaction.atomic():
                episode = register_client(
                    membership,
                    code=data["code"],
                    display_name="",
                    age_group=data["age_group"],
                    request=self.request._request,
                )
        except IntegrityError:
            raise ValidationError({"code": _("A client with this code already exists.")}) from None
        serializer.instance = episode.client


@extend_schema_view(list=extend_schema(parameters=[UPDATED_SINCE, *_filters("client")]))
class EpisodeViewSet(ServiceData):
    """Episodes of help: from the first to the last session of one period of help."""

    serializer_class = EpisodeSerializer
    resource = "episodes"
    filters = ("client",)

    def service_rows(self):
        return (
            Episode.objects.filter(service=self.request.auth.service)
            .select_related("team")
            .order_by("id")
        )

    def client_of(self, row) -> int:
        return row.client_id

    @extend_schema(responses=EpisodeSignalsSerializer)
    @action(detail=True)
    def signals(self, request, pk=None):
        """The signals the helper sees for the next session, or the closed episode's outcome."""
        episode = self.get_object()
        records = episode_series([episode.pk])[episode.pk]
        rules = load_rules([episode.service_id])
        signals = signals_for(records, episode.service_id, rules) if episode.is_open else ()
        details = details_for(records, episode.service_id, rules, signals)
        outcome = None if episode.is_open else final_outcome(records, rules.forms)
        audit.read(request, "signals", [episode.client_id])
        data = {
            "episode": episode.pk,
            "open": episode.is_open,
            "signals": [
                {
                    "key": key.value,
                    "title": str(TITLES[key]),
                    "explanation": str(EXPLANATIONS[key]),
                    "detail": str(details.get(key, "")),
                }
                for key in signals
            ],
            "final_outcome": None
            if outcome is None
            else {
                "key": outcome.key,
                "title": outcome.title,
                "intake": outcome.intake,
                "end": outcome.end,
                "ratings": outcome.ratings,
            },
        }
        return Response(EpisodeSignalsSerializer(data).data)


@extend_schema_view(
    list=extend_schema(parameters=[UPDATED_SINCE, *_filters("episode")]),
    create=extend_schema(responses={201: SessionSerializer}),
)
class SessionViewSet(mixins.CreateModelMixin, ServiceData):
    """Sessions of an episode. A session may be registered afterwards (a past date)."""

    serializer_class = SessionSerializer
    resource = "sessions"
    filters = ("episode",)

    def service_rows(self):
        return (
            Session.objects.filter(episode__service=self.request.auth.service)
            .select_related("episode", "helper")
            .order_by("id")
        )

    def client_of(self, row) -> int:
        return row.episode.client_id

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = register_session(
                data["episode"],
                date=data["date"],
                helper=data.get("helper"),
                kind=data["kind"],
                request=self.request._request,
            )
        except SessionError as error:
            raise ValidationError({"date": [str(error)]}) from None


@extend_schema_view(
    list=extend_schema(parameters=[UPDATED_SINCE, *_filters("session")]),
    create=extend_schema(
        responses={201: RatingSerializer, 200: RatingSerializer},
        description="Store a rating once: the same `submission_key` again returns the stored "
        "rating with 200, a new one is stored and returned with 201.",
    ),
)
class RatingViewSet(mixins.CreateModelMixin, ServiceData):
    """Ratings, validated and stored exactly once, as from the tablet."""

    serializer_class = RatingSerializer
    resource = "ratings"
    filters = ("session",)

    def service_rows(self):
        return (
            Rating.objects.filter(session__episode__service=self.request.auth.service)
            .select_related("session__episode")
            .order_by("id")
        )

    def client_of(self, row) -> int:
        return row.session.episode.client_id

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = data.get("items")
        try:
            recorded = record_rating(
                session=data["session"],
                instrument=data["instrument"],
                submission_key=data["submission_key"],
                method=Method.API,
                items=items,
                total=data.get("total"),
                rater=data["rater"],
                rater_name=data.get("rater_name", ""),
                rated_at=data.get("rated_at"),
                request=request._request,
            )
        except RatingError as error:
            field = error.field or "non_field_errors"
            raise ValidationError({field: [str(error.message)]}) from None
        created = status.HTTP_201_CREATED if recorded.created else status.HTTP_200_OK
        return Response(self.get_serializer(recorded.rating).data, status=created)


class ReportView(APIView):
    """The service's outcome report: the dashboard's figures, protected as on the page."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description="3m, 6m, 12m (months up to today), 2026-q3 (a quarter), or "
                "custom with from and to.",
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Start of a custom period."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="End of a custom period."),
        ],
        responses=ReportSerializer,
    )
    def get(self, request):
        service = request.auth.service
        try:
            period = periods.parse(
                request.query_params.get("period", ""),
                timezone.localdate(),
                request.query_params.get("from", ""),
                request.query_params.get("to", ""),
            )
        except periods.PeriodError:
            raise ValidationError({"period": _("That period could not be read.")}) from None
        withheld = object()
        rows = figure_rows(build_dashboard(service, period), withheld=withheld)
        audit.call(request, "report")
        data = {
            "service": service.code,
            "start": period.start,
            "end": period.end,
            "rows": [_report_row(row, withheld) for row in rows],
        }
        return Response(ReportSerializer(data).data)


def _report_row(row: tuple, withheld) -> dict:
    section, group, figure, label, start, end, value, n, low, high = row
    return {
        "section": section,
        "group": group,
        "figure": figure,
        "label": str(label),
        "start": start or None,
        "end": end or None,
        "value": None if value is withheld else value,
        "suppressed": value is withheld,
        "n": n,
        "ci_low": low,
        "ci_high": high,
    }
