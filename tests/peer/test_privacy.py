"""A shared case in the client's rights (issue #20 part 4): the export lists it with what the
group saw and said; retention withdraws it; erasure deletes it with the episode."""

import pytest

from services.audit.models import Action, AuditEvent
from services.peer.models import CaseComment, SharedCase
from services.peer.privacy import client_records, forget_cases
from services.peer.sharing import comment

from .helpers import QUESTION, shared

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_case_and_retention_withdraws_it(client, kor):
    case = shared(client, kor)
    comment(case, "Spør om alliansen", request=type("R", (), {"user": kor.helper_b, "META": {}})())
    (record,) = client_records(kor.client)["shared_in_supervision_groups"]
    assert record["label"] == case.label and record["question"] == QUESTION
    assert record["consent_recorded_by"] == str(kor.helper_a)
    assert [c["text"] for c in record["comments"]] == ["Spør om alliansen"]
    assert forget_cases([kor.episode.pk]) == 1
    case.refresh_from_db()
    assert case.is_withdrawn and case.snapshot == {} and case.question == ""
    assert not CaseComment.objects.exists()
    assert forget_cases([kor.episode.pk]) == 0
    row = AuditEvent.objects.get(object_type="sharedcase", action=Action.CHANGE)
    assert (row.actor, row.client_id) == ("retention", kor.client.pk)


def test_erasure_deletes_the_case_with_the_episode(client, kor):
    shared(client, kor)
    kor.episode.delete()
    assert not SharedCase.objects.exists()
