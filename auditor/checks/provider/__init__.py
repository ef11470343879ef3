"""The provider's checklist (乙方视角): what hurts the party that performs the service.

Registered in `auditor/checks/__init__.py` with the client's checks. Each check is a small pure function
over the same `CheckInput`, with its own lexicon `lexicons/<id>.toml`; where a cue means the same from
either side (a liability cap, a payment deadline, a KPI) the check reads the client check's lexicon rather
than a copy of it.
"""
