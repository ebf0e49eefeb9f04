"""How place and council names are compared: the one normal form shared by the gazetteer's
builder and its finder, so that what was built is what is looked up."""

import re
import unicodedata

# Words that say what kind of council a name belongs to rather than where it is: people type
# "Gateshead Council", "Gateshead", "Metropolitan Borough of Gateshead" for the same council.
FILLER = frozenset(
    {
        "council",
        "councils",
        "borough",
        "metropolitan",
        "district",
        "city",
        "county",
        "of",
        "the",
        "corporation",
        "unitary",
        "authority",
        "mbc",
        "cc",
        "bc",
        "dc",
    }
)

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation gone, '&' read as 'and', 'st.' as 'st'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def core(text: str) -> str:
    """The words of a name that say where it is: 'Durham County Council' and 'County Durham'
    both give 'durham'. A name made only of filler words is kept whole ('City of London'
    gives 'london', 'County' gives 'county')."""
    words = fold(text).split()
    kept = [w for w in words if w not in FILLER]
    return " ".join(kept or words)
