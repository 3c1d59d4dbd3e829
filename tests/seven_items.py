"""A second adult outcome form with seven items, as an organisation might load one.

Its key sorts before "ors" on purpose: the old code gave every adult the alphabetically first
form that covered the age group, so loading this one silently replaced the ORS (issue #12,
item 10).
"""

from services.measures.loading import load_definition
from services.measures.models import Instrument

ITEM_KEYS = ("sleep", "mood", "family", "friends", "work", "health", "overall")


def seven_item_definition(key: str = "aaa_outcome", version: int = 1) -> dict:
    anchors = {"low": {"nb": "Dårlig", "en": "Bad"}, "high": {"nb": "Bra", "en": "Good"}}
    return {
        "key": key,
        "version": version,
        "purpose": "outcome",
        "name": {"nb": "Sju spørsmål", "en": "Seven questions"},
        "question": {"nb": "Hvordan har uken vært?", "en": "How has the week been?"},
        "age_groups": ["adult", "adolescent"],
        "scale": {"min": 0, "max": 10, "decimals": 1},
        "items": [
            {
                "key": item,
                "label": {"nb": f"Linje {item}", "en": f"Line {item}"},
                "anchors": anchors,
            }
            for item in ITEM_KEYS
        ],
        "norms": {
            "adult": {"cutoff": 44, "reliable_change": 8},
            "adolescent": {"cutoff": 49, "reliable_change": 8},
        },
    }


def load_seven_item_form(key: str = "aaa_outcome", version: int = 1) -> Instrument:
    return load_definition(seven_item_definition(key, version))[0]
