import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """seed_demo hashes eleven demo passwords; argon2 would make each seeded test seconds slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
