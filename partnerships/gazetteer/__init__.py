"""What people type to find their area, mapped to the councils that cover it.

`places.csv` (built by `build.py`; sources and licence in SOURCES.md) names every upper-tier
council in its usual forms, former and common area names (Cumbria, Tyne and Wear), and
England's towns and villages of 500 or more people outside London, each with its council. It
is read once per process (about 4,000 names) and matched in memory, the same on SQLite and
PostgreSQL:

- names are compared on their `core` ("Gateshead Council", "Metropolitan Borough of Gateshead"
  and "gateshead" are one name);
- a name whose words are all typed ("Croydon" for "London Borough of Croydon") or begun
  ("carl" for Carlisle) matches nearly as well as the exact name;
- a misspelt name ("Gatshead", "Newcastel") matches by trigram similarity, the measure
  PostgreSQL's pg_trgm uses (shared three-letter sequences over all distinct ones).

`match` says which councils a query points to, best first; `partnerships.finder` turns that
into systems.
"""

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .names import core, fold

PLACES = Path(__file__).resolve().parent / "places.csv"

# Below this a trigram match is noise ("York" and "Yorkshire" share little of what makes them).
MIN_SIMILARITY = 0.45
# Matches this far below the best one are not worth showing.
WITHIN_BEST = 0.2

_KIND_ORDER = {"council": 0, "former": 1, "system": 2, "town": 3, "code": 4}


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # council, former (a former or common area name), system, town or code
    councils: tuple[str, ...]  # ONS codes of the upper-tier councils that cover it (none for a system)
    # The ICB's ONS code: of a system, or of the part of a split council that holds a town.
    icb: str
    population: int

    @property
    def description(self) -> str:
        return {"council": "council", "former": "area", "system": "system", "town": "town or village", "code": "code"}[
            self.kind
        ]


@dataclass(frozen=True)
class Match:
    place: Place
    score: float


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


class Gazetteer:
    def __init__(self, places: list[Place]):
        self.places = places
        # Councils' names lose the words that say what kind of council they are; towns keep
        # theirs (Borough Green, Royal Wootton Bassett are towns by those names).
        self.cores = [fold(p.name) if p.kind == "town" else core(p.name) for p in places]
        self.words = [frozenset(c.split()) for c in self.cores]
        self.grams = [trigrams(c) for c in self.cores]
        self.by_gram = defaultdict(list)
        for index, grams in enumerate(self.grams):
            for gram in grams:
                self.by_gram[gram].append(index)

    def _score(self, index: int, query: str, exact: set[str], shared: int, query_grams: frozenset) -> float:
        name = self.cores[index]
        if name in exact:
            return 1.0
        words = query.split()
        name_words = self.words[index]
        if all(word in name_words for word in words):
            # Every word typed is a word of the name: "Croydon", "Stoke".
            return 0.85 + self._nudge(index, query)
        if all(any(w.startswith(word) for w in name_words) for word in words):
            # The beginnings of the name's words: what people type before finishing ("carl").
            return 0.75 + self._nudge(index, query)
        similarity = self._similarity(index, shared, query_grams)
        return 0.7 * similarity if similarity >= MIN_SIMILARITY else 0.0

    def _similarity(self, index: int, shared: int, query_grams: frozenset) -> float:
        """pg_trgm's similarity: the trigrams shared over all the distinct ones of both."""
        return shared / (len(query_grams) + len(self.grams[index]) - shared)

    def _nudge(self, index: int, query: str) -> float:
        """For names that only contain what was typed: those that start with it, councils and
        bigger places are likelier meant ("Stoke": Stoke-on-Trent before Chew Stoke)."""
        place = self.places[index]
        size = 1_000_000 if place.kind != "town" else place.population
        starts = 0.03 if self.cores[index].startswith(query) else 0.0
        return starts + 0.06 * min(1.0, math.log10(1 + size) / 6)

    def match(self, text: str, limit: int = 20) -> list[Match]:
        """The places `text` most likely means, best first."""
        query = core(text)
        if not query:
            return []
        exact = {query, fold(text)}
        query_grams = trigrams(query)
        shared = defaultdict(int)
        for gram in query_grams:
            for index in self.by_gram.get(gram, ()):
                shared[index] += 1
        # A name matches by its words (all typed, or begun: "carl" for Carlisle) only if it holds
        # every trigram of the typed words but, at most, each word's last ("rl "); any other name
        # can only match by similarity. Many names share one common trigram ("ham", "ing") and
        # nothing else: they are passed over here instead of each being scored.
        by_words = len(query_grams) - len(query.split())
        scored = []
        for index, count in shared.items():
            if count < by_words and self._similarity(index, count, query_grams) < MIN_SIMILARITY:
                continue
            score = self._score(index, query, exact, count, query_grams)
            if score:
                scored.append(Match(self.places[index], score))
        if not scored:
            return []
        best = max(match.score for match in scored)
        kept = [m for m in scored if m.score >= best - WITHIN_BEST]
        # Equal scores: councils before area names before towns, then bigger places first.
        kept.sort(key=lambda m: (-m.score, _KIND_ORDER[m.place.kind], -m.place.population, m.place.name))
        return kept[:limit]


@cache
def gazetteer() -> Gazetteer:
    with PLACES.open(encoding="utf-8") as f:
        places = [
            Place(
                name=row["name"],
                kind=row["kind"],
                councils=tuple(row["councils"].split()),
                icb=row["icb"],
                population=int(row["population"] or 0),
            )
            for row in csv.DictReader(f)
        ]
    return Gazetteer(places)


def match(text: str, limit: int = 20) -> list[Match]:
    """The places `text` most likely means, best first (see the module's docstring)."""
    return gazetteer().match(text, limit)
