"""The network coordinator's pages: the network's supervision groups, and each group's members
(helpers of the network's member services). Each change is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.network.access import network_for

from . import access, sharing
from .forms import GroupForm, MemberForm
from .models import GroupMember, SupervisionGroup


@login_required
def groups(request: HttpRequest, code: str) -> HttpResponse:
    network = network_for(request.user, code)
    form = GroupForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        group = sharing.create_group(network, form.cleaned_data["name"], request=request)
        messages.success(request, _("The group %(name)s is made.") % {"name": group.name})
        return redirect("peer:members", group.pk)
    rows = SupervisionGroup.objects.filter(network=network).annotate(
        member_count=Count("members", distinct=True),
        case_count=Count("cases", filter=Q(cases__withdrawn_at__isnull=True), distinct=True),
    )
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form, "rows": rows}
    return render(request, "peer/groups.html", context, status=status)


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.coordinated_group(request.user, pk)
    form = MemberForm(request.POST or None, memberships=access.eligible_helpers(group))
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        sharing.add_member(group, membership, request=request)
        messages.success(
            request, _("%(name)s is a member of the group.") % {"name": membership.user}
        )
        return redirect("peer:members", group.pk)
    rows = GroupMember.objects.filter(group=group).select_related("user", "added_by")
    status = 400 if request.method == "POST" else 200
    context = {"group": group, "form": form, "rows": rows}
    return render(request, "peer/members.html", context, status=status)


@login_required
@require_POST
def remove_member(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = access.coordinated_group(request.user, pk)
    member = GroupMember.objects.filter(group=group, pk=member_pk).select_related("user").first()
    if member is None:
        raise Http404
    sharing.remove_member(member, request=request)
    messages.success(request, _("%(name)s is no longer in the group.") % {"name": member.user})
    return redirect("peer:members", group.pk)
