"""Service administration in the app: staff, teams, forms in use and settings of the
administrator's services.

Thin views: `staff.service_for` and `staff.member_for` give a 404 for anything outside the
administrator's own services, `staff`, `teams` and `invitations` do the work, and every change
writes one audit row in the same transaction, so no change is saved without its row.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.audit import log
from services.audit.models import Action
from services.measures import choosing

from . import invitations, sso, staff, teams
from .access import require_administrator
from .staff_forms import (
    EditPlacementForm,
    FormChoiceForm,
    InviteForm,
    ServiceSettingsForm,
    TeamForm,
)

PAGE_SIZE = 25


@login_required
def index(request: HttpRequest) -> HttpResponse:
    services = list(require_administrator(request.user))
    if len(services) == 1:
        return redirect("staff:list", services[0].code)
    return render(request, "accounts/staff/index.html", {"services": services})


@login_required
def staff_list(request: HttpRequest, code: str) -> HttpResponse:
    service = staff.service_for(request.user, code)
    page = Paginator(staff.staff_of(service), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/staff/list.html", {"service": service, "page": page})


def _link_page(request: HttpRequest, service, member, token: str) -> HttpResponse:
    """The invitation link, shown this once: only its hash is kept."""
    context = {
        "service": service,
        "member": member,
        "link": invitations.link(request, token),
        "expires": invitations.find(token).expires_at,
    }
    return render(request, "accounts/staff/link.html", context)


@login_required
@transaction.atomic
def invite(request: HttpRequest, code: str) -> HttpResponse:
    service = staff.service_for(request.user, code)
    form = InviteForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        placement = form.placement()
        try:
            member, token = staff.invite(
                service, profile=form.profile(), placement=placement, created_by=request.user
            )
        except IntegrityError:
            form.add_error("username", _("That username is taken. Choose another one."))
        else:
            log.record(
                Action.CREATE,
                obj=member,
                service=service,
                request=request,
                detail=f"invited; {placement.describe()}",
            )
            messages.success(request, _("%(name)s is invited.") % {"name": member})
            return _link_page(request, service, member, token)
    status = 400 if request.method == "POST" else 200
    context = {"service": service, "form": form}
    return render(request, "accounts/staff/invite.html", context, status=status)


def _member_page(request, service, member, form=None, *, status=200) -> HttpResponse:
    if form is None:
        form = _placement_form(request, service, member, data=None)
    context = {
        "service": service,
        "member": member,
        "form": form,
        "manages_account": staff.may_manage_account(request.user, member),
        "works_elsewhere": staff.works_elsewhere(member, service),
        "removes_roles": staff.deactivation_removes_roles(member, service),
        "is_self": member.pk == request.user.pk,
    }
    return render(request, "accounts/staff/member.html", context, status=status)


def _placement_form(request, service, member, *, data) -> EditPlacementForm:
    current = staff.placement_of(member)
    initial = {
        "roles": list(current.roles),
        "team": current.team,
        "can_view_clients": current.can_view_clients,
    }
    return EditPlacementForm(
        data, initial=initial, service=service, actor=request.user, member=member
    )


def _refuse(request, service, member, message: str) -> HttpResponse:
    messages.error(request, message)
    return _member_page(request, service, member, status=400)


@login_required
@transaction.atomic
def member(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    service = staff.service_for(request.user, code)
    person = staff.member_for(service, user_id)
    if request.method != "POST":
        return _member_page(request, service, person)
    form = _placement_form(request, service, person, data=request.POST)
    if not form.is_valid():
        return _member_page(request, service, person, form, status=400)
    before, after = staff.placement_of(person), form.placement()
    if after != before:
        staff.place(person, service, after)
        log.record(
            Action.CHANGE,
            obj=person,
            service=service,
            request=request,
            detail=f"placement {before.describe()} -> {after.describe()}",
        )
    messages.success(request, _("The changes for %(name)s are saved.") % {"name": person})
    return redirect("staff:member", service.code, person.pk)


@require_POST
@login_required
@transaction.atomic
def deactivate(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    service = staff.service_for(request.user, code)
    person = staff.member_for(service, user_id)
    if person.pk == request.user.pk:
        return _refuse(
            request,
            service,
            person,
            _("You cannot deactivate yourself. Ask another administrator of the service."),
        )
    done = staff.deactivate(person, service)
    log.record(
        Action.CHANGE, obj=person, service=service, request=request, detail=f"deactivated: {done}"
    )
    if done == "memberships":
        messages.success(
            request,
            _("%(name)s no longer works in this service. Their work elsewhere is unchanged.")
            % {"name": person},
        )
        return redirect("staff:list", service.code)
    messages.success(
        request, _("%(name)s is deactivated and can no longer log in.") % {"name": person}
    )
    return redirect("staff:member", service.code, person.pk)


def account_action(view):
    """A POST on a staff member's whole account: found in the service, refused where the
    administrator may not touch it (see `_account_refusal`), done in one transaction."""

    @require_POST
    @login_required
    @functools.wraps(view)
    @transaction.atomic
    def wrapped(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
        service = staff.service_for(request.user, code)
        person = staff.member_for(service, user_id)
        refusal = _account_refusal(request, service, person)
        if refusal is not None:
            return refusal
        return view(request, service, person)

    return wrapped


def _account_refusal(request, service, person) -> HttpResponse | None:
    """A refusal for actions on the whole account, or None when the actor may take them."""
    if staff.may_manage_account(request.user, person):
        return None
    if person.pk == request.user.pk:
        message = _("You cannot do this to your own account. Ask another administrator.")
    else:
        message = _(
            "%(name)s also works in a service you do not administer, so only the platform "
            "operator can change their account."
        ) % {"name": person}
    return _refuse(request, service, person, message)


@account_action
def reactivate(request: HttpRequest, service, person) -> HttpResponse:
    if not person.is_active:
        staff.reactivate(person)
        log.record(
            Action.CHANGE, obj=person, service=service, request=request, detail="reactivated"
        )
    messages.success(request, _("%(name)s is active again.") % {"name": person})
    return redirect("staff:member", service.code, person.pk)


@account_action
def reset_two_factor(request: HttpRequest, service, person) -> HttpResponse:
    staff.reset_two_factor(person)
    log.record(
        Action.CHANGE, obj=person, service=service, request=request, detail="two-factor reset"
    )
    messages.success(
        request,
        _("The second factor of %(name)s is removed. They set up a new one at their next login.")
        % {"name": person},
    )
    return redirect("staff:member", service.code, person.pk)


@account_action
def reinvite(request: HttpRequest, service, person) -> HttpResponse:
    token = staff.reinvite(person, service, created_by=request.user)
    log.record(
        Action.CHANGE,
        obj=person,
        service=service,
        request=request,
        detail="new invitation; password removed",
    )
    messages.success(
        request,
        _("The old password of %(name)s no longer works. Send them the new link.")
        % {"name": person},
    )
    return _link_page(request, service, person, token)


def _teams_page(request, service, form, *, status=200) -> HttpResponse:
    rows = [(team, *teams.uses(team)) for team in teams.teams_of(service)]
    context = {"service": service, "rows": rows, "form": form}
    return render(request, "accounts/staff/teams.html", context, status=status)


@login_required
@transaction.atomic
def team_list(request: HttpRequest, code: str) -> HttpResponse:
    service = staff.service_for(request.user, code)
    form = TeamForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        team = form.save()
        log.record(Action.CREATE, obj=team, service=service, request=request, detail="team")
        messages.success(request, _("The team %(name)s is created.") % {"name": team.name})
        return redirect("staff:teams", service.code)
    return _teams_page(request, service, form, status=400 if request.method == "POST" else 200)


@login_required
@transaction.atomic
def team_edit(request: HttpRequest, code: str, team_id: int) -> HttpResponse:
    service = staff.service_for(request.user, code)
    team = teams.team_for(service, team_id)
    before = f"{team.code} {team.name}"
    form = TeamForm(request.POST or None, instance=team, service=service)
    if request.method == "POST" and form.is_valid():
        form.save()
        log.record(
            Action.CHANGE,
            obj=team,
            service=service,
            request=request,
            detail=f"team {before} -> {team.code} {team.name}",
        )
        messages.success(request, _("The team is saved."))
        return redirect("staff:teams", service.code)
    status = 400 if request.method == "POST" else 200
    context = {"service": service, "team": teams.team_for(service, team_id), "form": form}
    return render(request, "accounts/staff/team.html", context, status=status)


@require_POST
@login_required
@transaction.atomic
def team_delete(request: HttpRequest, code: str, team_id: int) -> HttpResponse:
    service = staff.service_for(request.user, code)
    team = teams.team_for(service, team_id)
    members, episodes = teams.uses(team)
    if members or episodes:
        messages.error(
            request,
            _(
                "The team %(name)s is kept: %(members)d staff roles and %(episodes)d episodes "
                "belong to it. Move the staff to another team first. A team that has had "
                "episodes stays, so their history keeps its team."
            )
            % {"name": team.name, "members": members, "episodes": episodes},
        )
        return _teams_page(request, service, TeamForm(service=service), status=400)
    log.record(
        Action.DELETE, obj=team, service=service, request=request, detail=f"team {team.code}"
    )
    team.delete()
    messages.success(request, _("The team %(name)s is deleted.") % {"name": team.name})
    return redirect("staff:teams", service.code)


@login_required
@transaction.atomic
def service_settings(request: HttpRequest, code: str) -> HttpResponse:
    service = staff.service_for(request.user, code)
    form = ServiceSettingsForm(
        request.POST or None,
        instance=staff.service_for(request.user, code),
        signed_in_through_provider=sso.signed_in_through_provider(request),
    )
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        saved = form.save()
        if changed:
            detail = ", ".join(f"{name}={getattr(saved, name)}" for name in changed)
            log.record(
                Action.CHANGE,
                obj=saved,
                service=saved,
                request=request,
                detail=f"settings {detail}",
            )
        messages.success(request, _("The settings are saved."))
        return redirect("staff:settings", service.code)
    status = 400 if request.method == "POST" else 200
    context = {"service": service, "form": form}
    return render(request, "accounts/staff/settings.html", context, status=status)


@login_required
@transaction.atomic
def service_forms(request: HttpRequest, code: str) -> HttpResponse:
    """Which form the service gives each age group, for each purpose: chosen here, and only
    here, so a newly loaded form or version reaches clients only when an administrator says so."""
    service = staff.service_for(request.user, code)
    form = FormChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        purpose, age_group, instrument = data["purpose"], data["age_group"], data["instrument"]
        changed = choosing.choose(service, purpose, age_group, instrument, request.user)
        if changed is not None:
            old, choice = changed
            log.record(
                Action.CHANGE,
                obj=choice,
                service=service,
                request=request,
                detail=f"form {purpose} {age_group}: "
                f"{choosing.describe(old)} -> {choosing.describe(instrument)}",
            )
        messages.success(request, _("The form is saved. Clients are given it from now on."))
        return redirect("staff:forms", service.code)
    status = 400 if request.method == "POST" else 200
    context = {
        "service": service,
        "rows": choosing.form_rows(service, get_language() or "nb"),
        "errors": [error for errors in form.errors.values() for error in errors],
    }
    return render(request, "accounts/staff/forms.html", context, status=status)
