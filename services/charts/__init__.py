"""Charts as pure functions: plain frozen data in (`data.py`), SVG or PNG bytes out.

- `progress.progress_chart`: the helper's chart of an episode (outcome, alliance, expected
  trajectory, cutoff, reliable change, signals);
- `client.client_chart`: the client's own curve, without clinical words;
- `items.items_chart`: the outcome items as small multiples;
- `sparkline.sparkline`: a tiny trend for a caseload row;
- `group_alliance.group_alliance_chart`: a group's alliance over its meetings, for its leader;
- `cache.cached_chart`: any of these, cached by content (the only module that uses Django).

Every visible string comes in translated with the data, so drawing needs no Django and the same
input always gives the same bytes.
"""
