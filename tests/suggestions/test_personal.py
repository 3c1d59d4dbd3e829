"""The soft check: what looks like a phone number, an email address or an identity number."""

import pytest

from services.suggestions.personal import looks_personal


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ring meg på 912 34 567", ["phone"]),
        ("+47 91234567 etter kl. 16", ["phone"]),
        ("0047 22 00 00 00", ["phone"]),
        ("91 23 45 67", ["phone"]),
        ("Fødselsnummeret mitt er 01017012345", ["national_id"]),
        ("010170 12345", ["national_id"]),
        ("Skriv til kari.nordmann@example.no", ["email"]),
        ("Mail ola@example.no eller ring 98765432", ["phone", "email"]),
        ("Åpent til kl. 22 på torsdager, takk", []),
        ("Buss 2026 går for sjelden", []),
        ("Vi fikk 3 av 10 på kurset i 2025 og 2026", []),
        ("", []),
    ],
)
def test_the_check_finds_what_looks_personal(text, found):
    assert looks_personal(text) == found
