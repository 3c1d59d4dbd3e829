"""What the API shows and takes in, resource by resource.

Only pseudonymous data leaves: a client is its code, age group and consent, never the name or
initials the helper may have written, nor a birth year. Writes are checked by the same functions
as the pages (`services.clients.forms.code_problem`, `register_client`, `register_session`,
`record_rating`), so the API cannot store what the app would refuse.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.accounts.access import helpers_of
from services.accounts.models import User
from services.clients.forms import code_problem
from services.clients.models import Client, EndReason, Episode
from services.measures.models import Instrument
from services.ratings.models import Rater, Rating
from services.sessions.models import Session, SessionKind


class InstrumentSerializer(serializers.ModelSerializer):
    definition = serializers.JSONField(
        help_text="The form's data definition: items, answer range, texts in each language."
    )

    class Meta:
        model = Instrument
        fields = ["id", "key", "version", "purpose", "active", "definition"]


class ClientSerializer(serializers.ModelSerializer):
    helper = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        write_only=True,
        help_text="Username of the helper responsible for the first episode (a helper of the "
        "key's service).",
    )

    class Meta:
        model = Client
        fields = ["id", "code", "age_group", "consent", "created_at", "updated_at", "helper"]
        read_only_fields = ["consent", "created_at", "updated_at"]
        validators = []  # the code's uniqueness is checked in the key's service below

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.context.get("service")
        if service is not None:
            self.fields["helper"].queryset = helpers_of(service)

    def validate_code(self, code: str) -> str:
        code = code.strip()
        problem = code_problem(code)
        if problem:
            raise serializers.ValidationError(problem)
        if Client.objects.filter(service=self.context["service"], code=code).exists():
            raise serializers.ValidationError(_("A client with this code already exists."))
        return code


class EpisodeSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    end_reason = serializers.ChoiceField(
        choices=EndReason.choices, allow_blank=True, read_only=True, help_text="Empty while open."
    )

    class Meta:
        model = Episode
        fields = [
            "id",
            "client",
            "code",
            "team",
            "start_date",
            "end_date",
            "end_reason",
            "updated_at",
        ]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    helper = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        help_text="Username of the helper who held the session; a helper of the key's service.",
    )
    kind = serializers.ChoiceField(choices=SessionKind.choices, default=SessionKind.INDIVIDUAL)

    class Meta:
        model = Session
        fields = ["id", "episode", "number", "date", "kind", "helper", "updated_at"]
        read_only_fields = ["number", "updated_at"]
        validators = []  # numbering and doubles are `register_session`'s to check

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.context.get("service")
        if service is not None:
            self.fields["helper"].queryset = helpers_of(service)
            self.fields["episode"].queryset = Episode.objects.filter(service=service)


class RatingSerializer(serializers.ModelSerializer):
    instrument = serializers.PrimaryKeyRelatedField(
        queryset=Instrument.objects.all(), help_text="The form's id (see /api/v1/instruments/)."
    )
    items = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        allow_null=True,
        required=False,
        help_text="Each item's score by item key. Leave out for a total-only rating (as on paper).",
    )
    total = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        required=False,
        help_text="Only for a total-only rating; otherwise computed from the items.",
    )
    rater = serializers.ChoiceField(choices=Rater.choices, default=Rater.CLIENT)
    rater_name = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    submission_key = serializers.UUIDField(
        help_text="Your unique id for this answer: sending it again returns the stored rating "
        "(200) instead of storing it twice (201)."
    )

    class Meta:
        model = Rating
        fields = [
            "id",
            "session",
            "instrument",
            "purpose",
            "rater",
            "rater_name",
            "age_group",
            "items",
            "total",
            "method",
            "rated_at",
            "submission_key",
            "updated_at",
        ]
        read_only_fields = ["purpose", "age_group", "method", "updated_at"]
        extra_kwargs = {"rated_at": {"required": False}}
        validators = []  # "exactly once" is `record_rating`'s to keep

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.context.get("service")
        if service is not None:
            self.fields["session"].queryset = Session.objects.filter(
                episode__service=service
            ).select_related("episode__client")


class SignalSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)


class FinalOutcomeSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    intake = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    end = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    ratings = serializers.IntegerField()


class EpisodeSignalsSerializer(serializers.Serializer):
    episode = serializers.IntegerField()
    open = serializers.BooleanField()
    signals = SignalSerializer(many=True)
    final_outcome = FinalOutcomeSerializer(allow_null=True)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True})
class FigureValueField(serializers.Field):
    """A figure's value: a number, or null when too few to show (the small-number rule)."""

    def to_representation(self, value):
        return value


class ReportRowSerializer(serializers.Serializer):
    section = serializers.CharField()
    group = serializers.CharField()
    figure = serializers.CharField()
    label = serializers.CharField(allow_blank=True)
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    value = FigureValueField(allow_null=True)
    suppressed = serializers.BooleanField()
    n = serializers.IntegerField(allow_null=True)
    ci_low = FigureValueField(allow_null=True)
    ci_high = FigureValueField(allow_null=True)


class ReportSerializer(serializers.Serializer):
    service = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    rows = ReportRowSerializer(many=True)
