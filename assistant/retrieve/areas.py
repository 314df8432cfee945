"""Local area names: the areas in the index with their everyday aliases, and a gazetteer of
English local authorities, so a question about an area the index does not hold is recognised
and reported rather than answered from other areas (FINDINGS.md: the area-name magnet)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Upper-tier English local authorities with children's services (and a few common
# county/city names), used only to recognise areas that are NOT in the index.
ENGLISH_AUTHORITIES = """
Barking and Dagenham; Barnet; Barnsley; Bath and North East Somerset; Bedford; Bexley; Birmingham;
Blackburn with Darwen; Blackpool; Bolton; Bournemouth, Christchurch and Poole; Bournemouth; Poole;
Bracknell Forest; Bradford; Brent; Brighton and Hove; Brighton; Bristol; Bromley; Buckinghamshire;
Bury; Calderdale; Cambridgeshire; Camden; Central Bedfordshire; Cheshire East; Cheshire West and
Chester; City of London; Cornwall; Coventry; Croydon; Cumberland; Cumbria; Darlington; Derby;
Derbyshire; Devon; Doncaster; Dorset; Dudley; Durham; Ealing; East Riding of Yorkshire; East Sussex;
Enfield; Essex; Gateshead; Gloucestershire; Greenwich; Hackney; Halton; Hammersmith and Fulham;
Hampshire; Haringey; Harrow; Hartlepool; Havering; Herefordshire; Hertfordshire; Hillingdon;
Hounslow; Isle of Wight; Isles of Scilly; Islington; Kensington and Chelsea; Kent; Kingston upon Hull;
Hull; Kingston upon Thames; Kirklees; Knowsley; Lambeth; Lancashire; Leeds; Leicester;
Leicestershire; Lewisham; Lincolnshire; Liverpool; Luton; Manchester; Medway; Merton;
Middlesbrough; Milton Keynes; Newcastle upon Tyne; Newcastle; Newham; Norfolk; North East
Lincolnshire; North Lincolnshire; North Northamptonshire; West Northamptonshire; Northamptonshire;
North Somerset; North Tyneside; North Yorkshire; Northumberland; Nottingham; Nottinghamshire;
Oldham; Oxfordshire; Peterborough; Plymouth; Portsmouth; Reading; Redbridge; Redcar and Cleveland;
Richmond upon Thames; Rochdale; Rotherham; Rutland; Salford; Sandwell; Sefton; Sheffield;
Shropshire; Slough; Solihull; Somerset; South Gloucestershire; South Tyneside; Southampton;
Southend-on-Sea; Southwark; St Helens; Staffordshire; Stockport; Stockton-on-Tees; Stoke-on-Trent;
Suffolk; Sunderland; Surrey; Sutton; Swindon; Tameside; Telford and Wrekin; Thurrock; Torbay;
Tower Hamlets; Trafford; Wakefield; Walsall; Waltham Forest; Wandsworth; Warrington; Warwickshire;
West Berkshire; West Sussex; Westminster; Westmorland and Furness; Wigan; Wiltshire; Windsor and
Maidenhead; Wirral; Wokingham; Wolverhampton; Worcestershire; York; Cardiff; Swansea; Glasgow;
Edinburgh; Belfast
"""

# Short forms practitioners use, beyond those derived automatically.
EXTRA_ALIASES = {
    "Windsor and Maidenhead": ("Windsor", "Maidenhead", "RBWM"),
    "Blackburn with Darwen": ("Blackburn",),
    "Cheshire West and Chester": ("Cheshire West", "CWAC"),
    "Durham": ("County Durham",),
    "Bristol": ("City of Bristol",),
    "Hull": ("Kingston upon Hull",),
}
_SUFFIX_ALIAS = re.compile(r"^(.+?)[- ](?:on|upon)[- ](?:tees|sea|thames|trent|tyne)$", re.I)


def gazetteer() -> list[str]:
    return [n.strip() for n in " ".join(ENGLISH_AUTHORITIES.split("\n")).split(";") if n.strip()]


def aliases(area: str) -> set[str]:
    """Names a question may use for an area: 'Stockton-on-Tees' -> Stockton, Stockton on Tees, ..."""
    names = {area, area.replace("-", " "), area.replace(" and ", " & ")}
    match = _SUFFIX_ALIAS.match(area)
    if match and match.group(1).lower() not in {"kingston", "newcastle"}:
        names.add(match.group(1))
    names.update(EXTRA_ALIASES.get(area, ()))
    return {n for n in names if n}


def _pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in re.split(r"[\s-]+", name)]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:'s|\u2019s)?(?![\w-])", re.I)


class AreaMatcher:
    """Finds area names in a question: those in the index, and known ones that are not."""

    def __init__(self, indexed_areas: Iterable[str]) -> None:
        self.indexed = sorted(set(indexed_areas))
        entries: list[tuple[str, str, bool]] = []  # (alias, canonical area, indexed)
        for area in self.indexed:
            entries.extend((alias, area, True) for alias in aliases(area))
        indexed_keys = {_key(a) for a in self.indexed}
        for name in gazetteer():
            if _key(name) not in indexed_keys and not any(
                _key(name) == _key(a) for a, _, _ in entries
            ):
                entries.append((name, name, False))
        # Longest names first, so "Central Bedfordshire" wins over "Bedford".
        entries.sort(key=lambda e: -len(e[0]))
        self.entries = [(alias, area, indexed, _pattern(alias)) for alias, area, indexed in entries]

    def find(self, text: str) -> tuple[list[str], list[str], str]:
        """(areas in the index, areas not in it, the text with every area name removed)."""
        found: list[str] = []
        missing: list[str] = []
        for _alias, area, indexed, pattern in self.entries:
            if pattern.search(text):
                (found if indexed else missing).append(area)
                text = pattern.sub(" ", text)
        unique = list(dict.fromkeys(found))
        return (
            unique,
            [m for m in dict.fromkeys(missing) if m not in unique],
            re.sub(r"\s+", " ", text).strip(),
        )


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())
