import datetime

import pytest
from django.utils import timezone

from services.accounts.models import Role
from services.measures.models import TrajectoryModel
from services.measures.trajectory import default_model, fit_trajectories
from services.network.models import Network, NetworkMember
from tests.factories import MembershipFactory, ServiceFactory, UserFactory

from .synthetic import episodes


def own_model(service, seed: int, count: int, gain: float, age_group: str = "adult"):
    """A model the service fitted on its own (synthetic) closed episodes, stored as the
    calibration command stores it."""
    now = timezone.now()
    model = fit_trajectories(
        episodes(seed, count, gain, 3.0, 10),
        min_episodes=1,
        fitted_at=now,
        default=default_model(age_group),
    )
    return TrajectoryModel.objects.create(
        service=service,
        age_group=age_group,
        method=model.method,
        n_episodes=model.n_episodes,
        fitted_at=now,
        parameters=model.to_dict(),
    )


@pytest.fixture
def agder():
    """KOR Agder: Arendal (250 adult episodes, 40 child) and Grimstad (300 adult) with models
    of their own, Birkenes (too few for one) and Froland (left, with a model); Bergen is in no
    network. Birkenes' administrator is "birkenes-admin"."""
    network = Network.objects.create(code="agder", name="KOR Agder")
    services = {
        code: ServiceFactory(code=code, name=code.title())
        for code in ("arendal", "grimstad", "birkenes", "froland", "bergen")
    }
    joined = timezone.now() - datetime.timedelta(days=30)
    members = {
        code: NetworkMember.objects.create(
            network=network, service=services[code], joined_at=joined
        )
        for code in ("arendal", "grimstad", "birkenes", "froland")
    }
    members["froland"].left_at = timezone.now() - datetime.timedelta(days=1)
    members["froland"].use_network_trajectories = True
    members["froland"].save()
    own_model(services["arendal"], 1, 250, 1.0)
    own_model(services["arendal"], 4, 40, 0.8, age_group="child")
    own_model(services["grimstad"], 2, 300, 0.4)
    own_model(services["froland"], 3, 220, 0.1)
    own_model(services["bergen"], 5, 260, 0.6)
    admin = UserFactory(username="birkenes-admin")
    MembershipFactory(user=admin, service=services["birkenes"], role=Role.ADMINISTRATOR)
    return {"network": network, "services": services, "members": members, "admin": admin}
