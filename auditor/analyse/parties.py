"""Who is who: the client (the party that pays) and the provider, their names, aliases and places,
from the contract's opening lines, recitals and payment sentences.
"""

from __future__ import annotations

import re

from auditor.analyse.match import longest_matches
from auditor.lexicon import load_lexicon
from auditor.model import Clause, Lang, Parties
from auditor.text.normalise import normalise


def extract_parties(clauses: tuple[Clause, ...], lang: Lang) -> Parties:
    """Who is the client (the one who pays) and who the provider, with their names and aliases."""
    lex = load_lexicon("analysis")
    head = clauses[:40]
    found: dict[str, str] = {}  # alias -> name
    roles: dict[str, str] = {}  # alias -> "client" | "provider"
    places: dict[str, str] = {}  # alias -> the text that says where it is
    address = lex.cue("address_line", lang)
    for i, clause in enumerate(head):
        for key in ("party_line", "defined_party"):
            for m in longest_matches(clause.norm, lex.each(key, lang)):
                alias = m.group("alias").strip()
                role_text = (m.groupdict().get("role") or "").strip()
                short = re.search(r"甲方|乙方", role_text) if lang == "zh" else None
                if short:
                    alias, role_text = short.group(), alias  # "品牌方（以下简称甲方）": the contract says 甲方
                role_text = role_text or alias
                role = _role_of(role_text, lang)
                if m.group("name") is None:  # a form's party line with the name left to fill in
                    raw = ""
                else:
                    raw = clause.text[m.start("name") : m.end("place") if m.groupdict().get("place") else m.end("name")]
                raw = _RECITAL_LEAD.split(raw)[-1]  # "…is entered into as of 3 May, 2024 by and between X"
                name = _clean_name(raw)
                if role is None and not _LEGAL_FORM.search(name):
                    continue  # a defined term ("the Term", "the Services"), not a party
                found.setdefault(alias, name)
                nxt = head[i + 1] if i + 1 < len(head) else None
                place = raw.lower()
                if nxt is not None and address.search(nxt.norm):
                    place += " " + nxt.norm
                places.setdefault(alias, place.strip())
                if role and role_text not in _BARE_ALIASES:  # "甲方" alone is the default, not a stated role
                    roles.setdefault(alias, role)
    if lang == "en":
        preamble = _preamble_parties(clauses)
        if len(preamble) == 2:  # the preamble names both parties: it beats lines matched anywhere in the head
            found = {alias: name for alias, name, _ in preamble}
            places = {alias: place for alias, _, place in preamble}
            roles = {alias: role for alias, _, _ in preamble if (role := roles.get(alias) or _role_of(alias, lang))}
            _roles_by_engagement(clauses, list(found), roles)
    aliases = list(found)
    stated = bool(roles)
    if lang == "zh":
        for alias, default, other in (("甲方", "client", "乙方"), ("乙方", "provider", "甲方")):
            if alias in found or any(alias in c.norm for c in head):
                # "甲方（服务方）" with a bare 乙方: 乙方 is the other side, not the default
                opposite = {"client": "provider", "provider": "client"}.get(roles.get(other, ""))
                roles.setdefault(alias, opposite or default)
                found.setdefault(alias, "")
        aliases = list(found)
    _roles_by_payment(clauses, aliases, roles, lang, override=not stated)
    client = next((a for a in aliases if roles.get(a) == "client"), None)
    provider = next((a for a in aliases if roles.get(a) == "provider"), None)
    return Parties(
        client=(found.get(client) or None) if client else None,
        provider=(found.get(provider) or None) if provider else None,
        client_alias=_display_alias(_alias_in_use(client, places.get(client) if client else None, clauses), clauses),
        provider_alias=_display_alias(
            _alias_in_use(provider, places.get(provider) if provider else None, clauses), clauses
        ),
        client_place=places.get(client) if client else None,
        provider_place=places.get(provider) if provider else None,
    )


_BARE_ALIASES = ("甲方", "乙方")

_PENALTY_AFTER = re.compile(r"[^。；;.]{0,20}(?:违约金|赔偿|罚|滞纳金|退还|返还|penalt|damages|refund|interest)")


# What follows a name in brackets without being part of it: its short name, its registration number.
_NAME_TAIL = re.compile(
    r"\s*[(（][^)）]*(?:简称|簡稱|以下称|下称|下稱|hereinafter|\b(?:abn|acn|uen|ein|crn|company no)\b"
    r"|统一社会信用代码|統一編號)"
    r"[^)）]*[)）]\s*$",
    re.IGNORECASE,
)


_RECITAL_LEAD = re.compile(r"\b(?:by and between|between|on which|whereby)\s+", re.IGNORECASE)


_LEGAL_FORM = re.compile(  # a party's name ends with its legal form (a defined term such as "the Term" does not)
    r"(?:公司|工作室|事务所|中心|商行|\b(?:inc|llc|ltd|limited|co|corp|corporation|company|gmbh|plc|pty|pte|llp|lp))"
    r"\.?\s*(?:[(（][^)）]*[)）])?$",
    re.IGNORECASE,
)


_NAME_LEAD = re.compile(r"^(?:.*?\b(?:by and between|between)\s+|and\s+)", re.IGNORECASE)


_NAME_END = re.compile(r",\s+(?!(?:inc|llc|ltd|limited|co|corp|corporation|plc|gmbh|l\.?l\.?c)\b\.?)", re.IGNORECASE)


def _clean_name(raw: str) -> str:
    """A recital's party name: "2024 by and between Summit LLC" → "Summit LLC".

    "Jordan Vale, professionally known as…" → "Jordan Vale".

    The name patterns may start too early in a recital and run on into the address; a name ends at the first
    comma that does not introduce its legal form (", Inc.", ", Ltd.").
    """
    name = _NAME_TAIL.sub("", _NAME_LEAD.sub("", raw.strip())).strip().strip('"“”,')
    return _NAME_TAIL.sub("", _NAME_END.split(name, maxsplit=1)[0]).strip()


_PREAMBLE_LEAD = re.compile(r"\b(?:by and )?between\b\s*:?|\bamong\b\s*:?", re.IGNORECASE)
_PREAMBLE_END = re.compile(
    r"\b(?:whereas|recitals|witnesseth|background|now,? therefore|it is (?:hereby )?agreed)\b|\(collectively",
    re.IGNORECASE,
)
_DEFINED = re.compile(
    r"\(\s*(?:(?:hereinafter|herein)\s*)?(?:(?:referred to|called)\s*(?:as\s*)?)?(?:the\s*)?"
    r"[\"“”']+\s*(?P<alias>[A-Za-z][\w .'&-]{0,40}?)\s*[\"“”']+\s*\)"
)
# Two entities named as one party: '("VNE"; collectively with VNI, "Vert")' — the body uses the collective name.
_COLLECTIVE = re.compile(
    r"\(\s*[\"“”'][^\"“”']{1,40}[\"“”']\s*[;,]\s*collectively(?:\s+with\s+(?P<with>[^,\"“”']{1,40}))?,?\s*"
    r"(?:the\s*)?[\"“”']+\s*(?P<alias>[A-Za-z][\w .'&-]{0,40}?)\s*[\"“”']+\s*\)",
    re.IGNORECASE,
)
# What ends the previous party's description: "…, a Nevada corporation, and Stephen Marley", "…between X".
_LAST_PARTY = re.compile(r"\bby and between\b|\bbetween\b:?|[,;)]\s*and\s*:?\s+(?=\(?\d|[A-Za-z])", re.IGNORECASE)
_NOT_A_PARTY = frozenset({"agreement", "effective date", "execution date", "parties", "party", "services", "term"})
_NAME_STOP = re.compile(
    r",|\(|\s+(?:a|an)\s+[a-z]|\s+whose\b|\s+with\s+(?:its|offices|an? )|\s+located\b|\s+having\b", re.IGNORECASE
)


def _preamble_parties(clauses: tuple[Clause, ...]) -> list[tuple[str, str, str]]:
    """The two parties an English preamble defines: "… by and between Acme LLC, a Delaware company ("Club"),
    and Beta Inc. ("Sponsor")" → (alias, name, place) for each, in order, aliases lower-case as matched.
    """
    text = " ".join(c.text for c in clauses[:25])
    lead = _PREAMBLE_LEAD.search(text)
    if lead is None:
        return []
    window = text[lead.end() : lead.end() + 1500]
    end = _PREAMBLE_END.search(window)
    window = window[: end.start()] if end else window
    parties: list[tuple[str, str, str]] = []
    start = 0
    for m in sorted([*_DEFINED.finditer(window), *_COLLECTIVE.finditer(window)], key=lambda m: m.start()):
        alias = " ".join(m.group("alias").split())
        if alias.lower() in _NOT_A_PARTY:
            start = m.end()
            continue
        joined = m.groupdict().get("with")
        if joined and parties and parties[-1][0] == joined.strip().lower():
            parties[-1] = (alias.lower(), *parties[-1][1:])  # the earlier entity is part of this party
            start = m.end()
            continue
        segment = _LAST_PARTY.split(window[start : m.start()])[-1]
        segment = re.sub(r"^\W*(?:\(?\d+\)|party [ab]\s*:)?\W*", "", segment, flags=re.IGNORECASE)
        stop = _NAME_STOP.search(segment)
        name = _clean_name(segment[: stop.start()] if stop else segment)
        if name:
            parties.append((alias.lower(), name, segment.strip().lower()))
        start = m.end()
        if len(parties) == 2:
            break
    return parties


def _roles_by_engagement(clauses: tuple[Clause, ...], aliases: list[str], roles: dict[str, str]) -> None:
    """Roles from who engages whom and who pays whom, when the aliases say nothing ("Club", "On2")."""
    if len(aliases) != 2 or len(roles) == 2:
        return
    lex = load_lexicon("analysis")
    score = {a: 0 for a in aliases}
    for a, b in (aliases, aliases[::-1]):
        for key, sign in (("engages", 1), ("pays", 1), ("paid_to", -1)):
            rx = re.compile(lex.cues[key]["en"][0].replace("{alias}", re.escape(a)).replace("{other}", re.escape(b)))
            score[a] += sign * sum(len(rx.findall(c.norm)) for c in clauses)
    known = next(iter(roles.items()), None)
    if known is not None:
        other = next(a for a in aliases if a != known[0])
        roles[other] = "provider" if known[1] == "client" else "client"
        return
    first, second = aliases
    if score[first] != score[second]:
        payer = first if score[first] > score[second] else second
        for alias in aliases:
            roles[alias] = "client" if alias == payer else "provider"


def _role_of(text: str, lang: Lang) -> str | None:
    lex = load_lexicon("analysis")
    probe = text.strip().lower()
    if lang == "en":
        probe = probe.removeprefix("the ").strip()
    if lex.cue("client_role", lang).search(probe):
        return "client"
    if lex.cue("provider_role", lang).search(probe):
        return "provider"
    return None


def _roles_by_payment(
    clauses: tuple[Clause, ...], aliases: list[str], roles: dict[str, str], lang: Lang, *, override: bool = False
) -> None:
    """The party that is told to pay is the client; `override` lets payment beat the 甲方/乙方 default."""
    if not aliases or (len([a for a in aliases if a in roles]) >= 2 and not override):
        return
    lex = load_lexicon("analysis")
    counts = {a: 0 for a in aliases}
    for alias in aliases:
        rx = re.compile(lex.cues["pays"][lang][0].replace("{alias}", re.escape(alias)))
        counts[alias] = sum(
            1 for c in clauses for m in rx.finditer(c.norm) if not _PENALTY_AFTER.match(c.norm, m.end())
        )
    payer = max(counts, key=lambda a: counts[a])
    others = [counts[a] for a in aliases if a != payer]
    if override:
        # twice as often as the other side, or (with just two names in play) the only side told to pay
        only_payer = len(aliases) == 2 and counts[payer] > 0 and not any(others)
        if counts[payer] >= 2 and counts[payer] > 2 * max(others, default=0) or only_payer:
            for alias in aliases:
                roles[alias] = "client" if alias == payer else "provider"
        return
    if counts[payer]:
        roles.setdefault(payer, "client")
        for other in aliases:
            if other != payer and other not in roles:
                roles[other] = "provider"


_SHORT_NAME = re.compile(r"(?:简称|簡稱|以下称|下称|下稱)\s*[为為]?\s*[\"“”「『']\s*(?P<short>[^\"“”」』'）)]{2,12})")


def _alias_in_use(alias: str | None, place: str | None, clauses: tuple[Clause, ...]) -> str | None:
    """The name the contract calls the party by: a defined short name ("以下简称'声浪公司'") when the body
    uses it more often than the role word of its party line (甲方), else that role word.
    """
    m = _SHORT_NAME.search(place or "")
    if alias is None or m is None:
        return alias
    short = normalise(m.group("short").strip())
    used = sum(c.norm.count(short) for c in clauses), sum(c.norm.count(alias) for c in clauses)
    return short if used[0] > used[1] else alias


def _display_alias(alias: str | None, clauses: tuple[Clause, ...]) -> str | None:
    """The alias as the contract spells it (case kept: "the Company"), found from its normalised form."""
    if alias is None:
        return None
    for clause in clauses[:60]:
        i = clause.norm.find(alias)
        if i >= 0:
            return clause.text[i : i + len(alias)]
    return alias
