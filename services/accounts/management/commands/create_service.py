"""`create_service`: a new service with its first administrator, by the platform operator."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from services.accounts import founding, invitations


class Command(BaseCommand):
    help = (
        "Create a service and invite its first administrator: an inactive account without a "
        "password, and a one-time link (printed once) with which they choose it; with "
        "--new-link, a fresh link for one who has not used theirs. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="the service's code, in its addresses")
        parser.add_argument("--name", default="", help="the service's name")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--admin-name", default="", help='first and last name: "Kari Nordmann"')
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's address for the link, e.g. https://tilbakemelding.kommune.no "
            "(default: the SITE_URL setting)",
        )
        parser.add_argument(
            "--new-link",
            action="store_true",
            help="the service exists: a fresh link for its first administrator, who has not "
            "used theirs (the old one stops working)",
        )

    def handle(self, *args, code, admin_username, base_url, new_link, **options):
        base = (base_url or settings.SITE_URL).rstrip("/")
        if not base.startswith(("https://", "http://")):
            raise CommandError(
                "The link needs the site's address: give --base-url https://… or set SITE_URL."
            )
        try:
            if new_link:
                founded = founding.new_link(code=code, username=admin_username)
                done = f"A new link for {admin_username!r}, administrator of {code!r}."
            else:
                founded = self.found(code, admin_username, **options)
                done = (
                    f"Service {code!r} ({founded.service.name}) created, with "
                    f"{admin_username!r} invited as its administrator."
                )
        except founding.FoundingError as error:
            raise CommandError(str(error)) from None
        link = base + reverse("staff:accept", args=[founded.token])
        expires = invitations.find(founded.token).expires_at
        self.stdout.write(self.style.SUCCESS(done))
        self.stdout.write(
            f"Send this one-time link to them; it is shown only now and works until "
            f"{timezone.localtime(expires):%Y-%m-%d %H:%M %Z}:\n{link}"
        )

    @staticmethod
    def found(code, admin_username, *, name, admin_email, admin_name, **_):
        if not name or not admin_email:
            raise CommandError("A new service needs --name and --admin-email.")
        first, _space, last = admin_name.strip().partition(" ")
        return founding.found(
            code=code,
            name=name,
            username=admin_username,
            email=admin_email,
            first_name=first,
            last_name=last.strip(),
        )
