"""The provider's claims: each person's from people.json, so a test chooses who gives a second
factor (amr or acr) and whose e-mail is verified."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class PeopleValidator(OAuth2Validator):
    # acr and amr go into the ID token with the `openid` scope, as real providers send them.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "acr": "openid", "amr": "openid"}

    def get_additional_claims(self, request):
        return dict(settings.PEOPLE[request.user.username])
