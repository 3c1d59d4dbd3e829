"""The dashboard's groups part, behind one line in the page (templates/dashboards/_groups.html):
computed on every view in one statement (see `group_figures`), its sentences made at render
time in the reader's language."""

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from services.dashboards.group_figures import GroupFigures, group_figures
from services.dashboards.lines import Line
from services.dashboards.scope import Scope
from services.dashboards.sentences import count, in_ten
from services.dashboards.suppression import MINIMUM
from services.dashboards.templatetags.dashboard import number

register = template.Library()


@dataclass(frozen=True)
class Part:
    figures: GroupFigures | None  # None on a team's page
    lead: str
    alliance: str
    outcomes: str
    lines: list[Line]


def members_needed() -> str:
    return ngettext(
        "Needs at least %(minimum)d member at the meetings",
        "Needs at least %(minimum)d members at the meetings",
        MINIMUM,
    ) % {"minimum": MINIMUM}


def answers_needed() -> str:
    return ngettext(
        "Needs answers from at least %(minimum)d member, at meetings where at least "
        "%(minimum)d answered",
        "Needs answers from at least %(minimum)d members, at meetings where at least "
        "%(minimum)d answered",
        MINIMUM,
    ) % {"minimum": MINIMUM}


def clients_needed() -> str:
    return ngettext(
        "Needs at least %(minimum)d client with at least two ratings",
        "Needs at least %(minimum)d clients with at least two ratings",
        MINIMUM,
    ) % {"minimum": MINIMUM}


def lead(found: GroupFigures, helper) -> str:
    """How many groups met, how often, for how many: or why nothing is shown."""
    if not found.has_groups:
        if helper is not None:
            return _("This helper leads no groups.")
        return _("The service has no groups yet.")
    if not found.met:
        return _("No group met in this period.")
    if found.members.suppressed:
        return _(
            "Too few members at the groups' meetings in this period to show figures. %(needed)s."
        ) % {"needed": members_needed()}
    meetings = ngettext("%(n)s meeting", "%(n)s meetings", found.meetings.value) % {
        "n": count(found.meetings.value)
    }
    members = ngettext("%(n)s member", "%(n)s members", found.members.value) % {
        "n": count(found.members.value)
    }
    return ngettext(
        "In this period %(groups)s group held %(meetings)s, with %(members)s in all.",
        "In this period %(groups)s groups held %(meetings)s, with %(members)s in all.",
        found.groups.value,
    ) % {"groups": count(found.groups.value), "meetings": meetings, "members": members}


def alliance(found: GroupFigures) -> str:
    if found.alliance.suppressed:
        return _("Too few answers to show how the members found the meetings. %(needed)s.") % {
            "needed": answers_needed()
        }
    if not found.alliance.shown:
        return _("No meeting in this period had answers from five members or more.")
    return _(
        "On average the members gave the meetings %(mean)s of 40 on the form “How was the "
        "group today?”."
    ) % {"mean": number(found.alliance.value, "score")}


def outcomes(found: GroupFigures) -> str:
    improved, deteriorated = found.improved, found.deteriorated
    if improved.suppressed:
        return _("Too few clients in the groups to show how they are doing. %(needed)s.") % {
            "needed": clients_needed()
        }
    if not improved.shown:
        return _("No client in the groups has two ratings or more yet.")
    return ngettext(
        "Of the %(n)s client in the groups with at least two ratings, %(better)s has got "
        "clearly better so far and %(worse)s clearly worse.",
        "Of the %(n)s clients in the groups with at least two ratings, %(better)s have got "
        "clearly better so far and %(worse)s clearly worse.",
        improved.n,
    ) % {
        "n": count(improved.n),
        "better": in_ten(improved.value, improved.n),
        "worse": in_ten(deteriorated.value, deteriorated.n),
    }


def members_counted(found: GroupFigures) -> str:
    if found.members.suppressed:
        return members_needed()
    if not found.members.shown:
        return ""
    return ngettext(
        "with %(n)s member in all", "with %(n)s members in all", found.members.value
    ) % {"n": count(found.members.value)}


def attendance_counted(found: GroupFigures) -> str:
    if found.attendance.suppressed:
        return members_needed()
    if found.expected is None:
        return ""
    return ngettext(
        "%(attended)s of %(expected)s possible attendance: members on the day of a meeting",
        "%(attended)s of %(expected)s possible attendances: members on the day of a meeting",
        found.expected,
    ) % {"attended": count(found.attended), "expected": count(found.expected)}


def alliance_counted(found: GroupFigures) -> str:
    if found.alliance.suppressed:
        return answers_needed()
    if found.answers is None:
        return ""
    return ngettext(
        "%(answers)s answer from %(n)s members, at meetings where at least %(minimum)d answered",
        "%(answers)s answers from %(n)s members, at meetings where at least %(minimum)d answered",
        found.answers,
    ) % {"answers": count(found.answers), "n": count(found.alliance.n), "minimum": MINIMUM}


def clients_counted(found: GroupFigures) -> str:
    if found.clients.suppressed:
        return clients_needed()
    if not found.clients.value:
        return ""
    return ngettext(
        "of %(n)s client in the groups with at least two ratings",
        "of %(n)s clients in the groups with at least two ratings",
        found.clients.value,
    ) % {"n": count(found.clients.value)}


def lines(found: GroupFigures) -> list[Line]:
    members = members_counted(found)
    clients = clients_counted(found)
    return [
        Line("groups", _("Groups with a meeting"), found.groups, "count", members),
        Line("meetings", _("Meetings held"), found.meetings, "count", members),
        Line("attendance", _("Attendance"), found.attendance, "percent", attendance_counted(found)),
        Line(
            "alliance",
            _("How the group worked for the members, mean (0–40)"),
            found.alliance,
            "score",
            alliance_counted(found),
        ),
        Line(
            "improved",
            _("Clients in the groups clearly better so far"),
            found.improved,
            "percent",
            clients,
        ),
        Line(
            "deteriorated",
            _("Clients in the groups clearly worse so far"),
            found.deteriorated,
            "percent",
            clients,
        ),
    ]


def part(found: GroupFigures | None, helper=None) -> Part:
    if found is None:
        return Part(None, "", "", "", [])
    shown = found.members.shown  # the table, where anyone was at a meeting and enough were
    return Part(
        found,
        lead(found, helper),
        alliance(found) if shown else "",
        outcomes(found) if shown else "",
        lines(found) if shown else [],
    )


@register.simple_tag(takes_context=True)
def group_figures_part(context) -> Part:
    """The part for the service or helper and the period shown (none for a team)."""
    period, team, helper = context["dashboard"].period, context["team"], context["helper"]
    scope = Scope(
        context["service"].pk,
        period.start,
        period.end,
        team.pk if team else None,
        helper.pk if helper else None,
    )
    return part(group_figures(scope), helper)
