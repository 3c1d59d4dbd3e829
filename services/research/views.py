"""The leaders' research pages: projects, a new one, approving, withdrawing and the download.

Found through `access` (the service's leaders only; a 404 for anyone else and for another
service's project). The pages show projects and exports, never a client. Creating, approving
and withdrawing a project are each one access-log row in their transaction; a download is the
`export` module's, which records and audits it. A download the project does not allow (not yet
approved, withdrawn, expired) is a 403 with a page that says why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from services.audit import log
from services.audit.models import Action

from . import access, dictionary, export
from .dataset import QUASI_IDENTIFIERS, K
from .forms import ProjectForm
from .models import ResearchProject

STATES = {
    "waiting": gettext_lazy("Waiting for approval"),
    "approved": gettext_lazy("Approved"),
    "expired": gettext_lazy("Expired"),
    "withdrawn": gettext_lazy("Withdrawn"),
}

# The generalisation steps (`anonymity.DEFAULT_LADDER`) as the export history names them.
STEPS = {
    "team": gettext_lazy("all teams"),
    "quarter_to_year": gettext_lazy("years instead of quarters"),
    "year_to_period": gettext_lazy("the whole period instead of years"),
    "age_group": gettext_lazy("all ages"),
}


def state(project: ResearchProject) -> str:
    if project.withdrawn:
        return "withdrawn"
    if project.expired():
        return "expired"
    return "approved" if project.approved else "waiting"


def _why_not(project: ResearchProject) -> str:
    return {
        "waiting": _("The project has not been approved yet."),
        "expired": _("The approval has expired."),
        "withdrawn": _("The project has been withdrawn."),
    }[state(project)]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    services = list(access.research_services(request.user))
    if not services:
        raise Http404
    if len(services) == 1:
        return redirect("research:projects", code=services[0].code)
    return render(request, "research/index.html", {"services": services})


@login_required
def projects(request: HttpRequest, code: str) -> HttpResponse:
    service = access.service_for(request.user, code)
    found = list(service.research_projects.select_related("approved_by"))
    return render(
        request,
        "research/projects.html",
        {
            "service": service,
            "projects": [(project, state(project), STATES[state(project)]) for project in found],
        },
    )


@login_required
@transaction.atomic
def new(request: HttpRequest, code: str) -> HttpResponse:
    service = access.service_for(request.user, code)
    form = ProjectForm(request.POST or None, instance=ResearchProject(service=service))
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.created_by = request.user
        project.save()
        log.record(Action.CREATE, obj=project, service=service, request=request)
        messages.success(
            request, _("The project is saved. A leader of the service must approve it.")
        )
        return redirect("research:detail", service.code, project.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "research/new.html", {"service": service, "form": form}, status=status)


@login_required
def detail(request: HttpRequest, code: str, project_id: int) -> HttpResponse:
    service = access.service_for(request.user, code)
    project = access.project_for(service, project_id)
    return render(
        request,
        "research/detail.html",
        {
            "service": service,
            "project": project,
            "state": state(project),
            "state_label": STATES[state(project)],
            "exports": [
                (made, [STEPS.get(step, step) for step in made.generalised.get("steps", [])])
                for made in project.exports.all()
            ],
            "dictionary": dictionary.DICTIONARY,
            "k": K,
            "quasi_identifiers": QUASI_IDENTIFIERS,
        },
    )


@require_POST
@login_required
@transaction.atomic
def approve(request: HttpRequest, code: str, project_id: int) -> HttpResponse:
    """Approved by a leader of the service (the one who created it may approve it too: many
    services have one leader); a withdrawn or expired project cannot be approved."""
    service = access.service_for(request.user, code)
    project = access.project_for(service, project_id)
    approved = ResearchProject.objects.filter(
        pk=project.pk,
        approved_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_on__gte=timezone.localdate(),
    ).update(approved_by=request.user, approved_at=timezone.now())
    if approved:
        log.record(Action.CHANGE, obj=project, service=service, request=request, detail="approved")
        messages.success(request, _("The project is approved: its data set can be downloaded."))
    elif state(project) == "approved":
        messages.info(request, _("The project was already approved."))
    else:
        messages.error(request, _why_not(project))
    return redirect("research:detail", service.code, project.pk)


@require_POST
@login_required
@transaction.atomic
def withdraw(request: HttpRequest, code: str, project_id: int) -> HttpResponse:
    """No more downloads, for good: a project that should go on is made again and approved."""
    service = access.service_for(request.user, code)
    project = access.project_for(service, project_id)
    withdrawn = ResearchProject.objects.filter(pk=project.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if withdrawn:
        log.record(Action.CHANGE, obj=project, service=service, request=request, detail="withdrawn")
        messages.success(
            request, _("The project is withdrawn: its data set can no longer be downloaded.")
        )
    return redirect("research:detail", service.code, project.pk)


@login_required
def download(request: HttpRequest, code: str, project_id: int) -> HttpResponse:
    service = access.service_for(request.user, code)
    project = access.project_for(service, project_id)
    try:
        made = export.export(project, user=request.user, request=request)
    except export.NotExportable:
        context = {"service": service, "project": project, "message": _why_not(project)}
        return render(request, "research/refused.html", context, status=403)
    response = HttpResponse(made.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.name}"'
    return response
