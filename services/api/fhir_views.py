"""FHIR through the API: a client's or a period's Bundle out, a Bundle of responses in.

The same functions as the `export_fhir` and `import_fhir` commands (services.fhir), scoped to
the key's service: another service's client is 404, and an imported bundle's identifiers must
be the key's service's own. Export and import write one access-log row per client.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from services.clients.models import Client
from services.fhir.export import export_client, export_service
from services.fhir.importing import BundleRejected, import_bundle

from . import audit

LONGEST_PERIOD_DAYS = 366  # a larger service is exported a year at a time
BUNDLE = OpenApiTypes.OBJECT


class FhirJsonParser(BaseParser):
    """The body as bytes, for `import_bundle` to parse and validate as FHIR itself."""

    media_type = "application/fhir+json"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class JsonBytesParser(FhirJsonParser):
    media_type = "application/json"


class FhirClientBundle(APIView):
    @extend_schema(responses={200: BUNDLE}, summary="A client's FHIR Bundle")
    def get(self, request, pk: int):
        """Every episode, session and rating of one client, as a FHIR R4B collection Bundle."""
        client = get_object_or_404(Client, service=request.auth.service, pk=pk)
        exported = export_client(client)
        audit.read(request, "fhir export", [client.pk])
        return Response(exported.bundle)


def _date(request, name: str) -> datetime.date:
    text = request.query_params.get(name, "")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: _("Write a date as in 2026-11-30.")}) from None


class FhirServiceBundle(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
        ],
        responses={200: BUNDLE},
        summary="The service's FHIR Bundle for a period",
    )
    def get(self, request):
        """Every session dated in the period (at most a year), with its client, episode and
        ratings."""
        start, end = _date(request, "from"), _date(request, "to")
        if start > end or (end - start).days >= LONGEST_PERIOD_DAYS:
            raise ValidationError({"to": _("Choose a period of at most a year, from before to.")})
        exported = export_service(request.auth.service, start, end)
        audit.read(request, "fhir export", [client_id for client_id, _code in exported.clients])
        return Response(exported.bundle)


class FhirImport(APIView):
    parser_classes = [FhirJsonParser, JsonBytesParser]

    @extend_schema(
        request={"application/fhir+json": BUNDLE, "application/json": BUNDLE},
        responses={
            200: inline_serializer(
                "FhirImportResult",
                {
                    "created": serializers.DictField(child=serializers.IntegerField()),
                    "unchanged": serializers.IntegerField(),
                },
            ),
            400: inline_serializer(
                "FhirImportRejected",
                {
                    "errors": serializers.ListField(
                        child=serializers.DictField(child=serializers.CharField())
                    )
                },
            ),
        },
        summary="Import a FHIR Bundle of QuestionnaireResponses",
    )
    def post(self, request):
        """All or nothing, and idempotent: a response already stored is left as it is."""
        try:
            summary = import_bundle(request.auth.service, request.data, request=request._request)
        except BundleRejected as rejected:
            errors = [{"where": where, "reason": str(reason)} for where, reason in rejected.errors]
            return Response({"errors": errors}, status=400)
        return Response({"created": summary.created, "unchanged": summary.unchanged})
