"""English local authorities with children's services, and the names letters and people use for
them: one canonical name per area, shared by ingestion (what a letter is about) and question
reading (which area a question names, and areas the index does not hold).

A letter may call its area "City of Bradford Metropolitan District Council", "Durham’s",
"the London Borough of Merton" or "Newcastle"; every one of them is one canonical name here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Upper-tier English local authorities (as Ofsted names them), plus a few Welsh and Scottish
# cities so that a question about them is recognised as outside the index.
AUTHORITIES = """
Barking and Dagenham; Barnet; Barnsley; Bath and North East Somerset; Bedford; Bexley; Birmingham;
Blackburn with Darwen; Blackpool; Bolton; Bournemouth, Christchurch and Poole; Bracknell Forest;
Bradford; Brent; Brighton and Hove; Bristol; Bromley; Buckinghamshire; Bury; Calderdale;
Cambridgeshire; Camden; Central Bedfordshire; Cheshire East; Cheshire West and Chester;
City of London; Cornwall; Coventry; Croydon; Cumberland; Cumbria; Darlington; Derby; Derbyshire;
Devon; Doncaster; Dorset; Dudley; Durham; Ealing; East Riding of Yorkshire; East Sussex; Enfield;
Essex; Gateshead; Gloucestershire; Greenwich; Hackney; Halton; Hammersmith and Fulham; Hampshire;
Haringey; Harrow; Hartlepool; Havering; Herefordshire; Hertfordshire; Hillingdon; Hounslow;
Isle of Wight; Isles of Scilly; Islington; Kensington and Chelsea; Kent; Kingston upon Hull;
Kingston upon Thames; Kirklees; Knowsley; Lambeth; Lancashire; Leeds; Leicester; Leicestershire;
Lewisham; Lincolnshire; Liverpool; Luton; Manchester; Medway; Merton; Middlesbrough; Milton Keynes;
Newcastle upon Tyne; Newham; Norfolk; North East Lincolnshire; North Lincolnshire;
North Northamptonshire; West Northamptonshire; Northamptonshire; North Somerset; North Tyneside;
North Yorkshire; Northumberland; Nottingham; Nottinghamshire; Oldham; Oxfordshire; Peterborough;
Plymouth; Portsmouth; Reading; Redbridge; Redcar and Cleveland; Richmond upon Thames; Rochdale;
Rotherham; Rutland; Salford; Sandwell; Sefton; Sheffield; Shropshire; Slough; Solihull; Somerset;
South Gloucestershire; South Tyneside; Southampton; Southend-on-Sea; Southwark; St Helens;
Staffordshire; Stockport; Stockton-on-Tees; Stoke-on-Trent; Suffolk; Sunderland; Surrey; Sutton;
Swindon; Tameside; Telford and Wrekin; Thurrock; Torbay; Tower Hamlets; Trafford; Wakefield;
Walsall; Waltham Forest; Wandsworth; Warrington; Warwickshire; West Berkshire; West Sussex;
Westminster; Westmorland and Furness; Wigan; Wiltshire; Windsor and Maidenhead; Wirral; Wokingham;
Wolverhampton; Worcestershire; York; Cardiff; Swansea; Glasgow; Edinburgh; Belfast
"""

# Other names for an authority, as letters and practitioners write them.
ALIASES: dict[str, tuple[str, ...]] = {
    "Windsor and Maidenhead": ("Windsor", "Maidenhead", "RBWM"),
    "Blackburn with Darwen": ("Blackburn",),
    "Cheshire West and Chester": ("Cheshire West", "CWAC"),
    "Durham": ("County Durham",),
    "Bristol": ("City of Bristol",),
    "Kingston upon Hull": ("Hull", "Hull City"),
    "Newcastle upon Tyne": ("Newcastle",),
    "Bournemouth, Christchurch and Poole": ("BCP", "Bournemouth", "Poole"),
    "Brighton and Hove": ("Brighton",),
    "City of London": ("London Corporation", "City of London Corporation"),
    "Herefordshire": ("County of Herefordshire",),
    "St Helens": ("St. Helens", "Saint Helens"),
    "Southend-on-Sea": ("Southend",),
    "Stockton-on-Tees": ("Stockton",),
    "Stoke-on-Trent": ("Stoke",),
    "Richmond upon Thames": ("Richmond",),
    "Telford and Wrekin": ("Telford",),
    "Isles of Scilly": ("Scilly",),
    "East Riding of Yorkshire": ("East Riding",),
    "Birmingham": ("Brum",),
}
# Names (or everyday names) that are also common English words: written in lower case inside
# a question that uses capitals, they are the word ("support for reading"), not the place.
WORD_LIKE_NAMES = frozenset(
    [
        "reading",
        "bury",
        "bath",
        "barking",
        "harrow",
        "slough",
        "derby",
        "hull",
        "stoke",
        "sale",
        "wells",
        "poole",
        "brent",
    ]
)
# The counties' standard short forms, used in speech and writing ("Herts", "North Yorks"): any
# authority whose name holds the county's full name is also known by it shortened.
COUNTY_SHORT = {
    "Bedfordshire": "Beds",
    "Berkshire": "Berks",
    "Buckinghamshire": "Bucks",
    "Cambridgeshire": "Cambs",
    "Derbyshire": "Derbys",
    "Gloucestershire": "Glos",
    "Hampshire": "Hants",
    "Hertfordshire": "Herts",
    "Lancashire": "Lancs",
    "Leicestershire": "Leics",
    "Lincolnshire": "Lincs",
    "Northamptonshire": "Northants",
    "Nottinghamshire": "Notts",
    "Oxfordshire": "Oxon",
    "Staffordshire": "Staffs",
    "Warwickshire": "Warks",
    "Wiltshire": "Wilts",
    "Worcestershire": "Worcs",
    "Yorkshire": "Yorks",
}


def authorities() -> list[str]:
    """Every canonical name, in the order written."""
    return [n.strip() for n in " ".join(AUTHORITIES.split("\n")).split(";") if n.strip()]


def name_key(name: str) -> str:
    """A spelling-blind key: 'Stockton on Tees', 'Stockton-On-Tees' and 'Stockton-on-Tees'."""
    name = unicodedata.normalize("NFKC", name).replace("&", " and ").lower()
    return "-".join("".join(c if c.isalnum() else " " for c in name).split())


def name_pattern(name: str) -> re.Pattern[str]:
    """A name as a whole phrase, spaces or hyphens between its words, possessive allowed."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", name.replace("&", "and"))]
    words = [r"(?:and|&)" if w == "and" else w for w in words]
    return re.compile(
        r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:'s|\u2019s|s\u2019|s')?(?![\w-])", re.I
    )


@cache
def gazetteer_entries() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(name, canonical, pattern), longest names first so 'Central Bedfordshire' beats 'Bedford'."""
    entries = [(name, name) for name in authorities()]
    entries += [(alias, area) for area, names in ALIASES.items() for alias in names]
    entries += [
        (area.replace(county, short), area)
        for area in authorities()
        for county, short in COUNTY_SHORT.items()
        if county in area
    ]
    entries.sort(key=lambda e: -len(e[0]))
    return tuple((name, area, name_pattern(name)) for name, area in entries)


def canonical_area(text: str) -> str | None:
    """The authority a short text names ("City of Bradford Metropolitan District Council" ->
    "Bradford"), by the longest name found in it; None when it names none."""
    key = name_key(text)
    for name, area, _ in gazetteer_entries():
        if name_key(name) == key:
            return area
    for _name, area, pattern in gazetteer_entries():
        if pattern.search(text):
            return area
    return None


def everyday_names(area: str) -> set[str]:
    """Names a question may use for an area: its own, without hyphens, and its aliases."""
    names = {area, area.replace("-", " "), area.replace(" and ", " & ")}
    names.update(ALIASES.get(area, ()))
    names.update(
        area.replace(county, short) for county, short in COUNTY_SHORT.items() if county in area
    )
    return {n for n in names if n}
