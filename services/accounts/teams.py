"""A service's teams: found within the service only, and deleted only when nothing uses them."""

from django.http import Http404

from .models import Service, Team


def teams_of(service: Service):
    return Team.objects.filter(service=service).order_by("name")


def team_for(service: Service, team_id: int) -> Team:
    """The team of this service with this id; 404 for any other, so ids reveal nothing."""
    team = teams_of(service).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def uses(team: Team) -> tuple[int, int]:
    """How many memberships and episodes point to the team.

    Deleting would silently take the team away from them (both are SET_NULL), so a team in use
    is kept until they have been moved.
    """
    return team.memberships.count(), team.episodes.count()
