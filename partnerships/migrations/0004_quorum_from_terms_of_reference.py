"""Read the structured quorum from the words of the terms of reference.

Before 0003 a partnership kept its quorum twice: in words ("One third of voting members,
including one from the ICB and one from a council") and as a fixed number typed beside them,
which went stale as membership changed. Where the words state a fraction, the fraction
becomes the rule and the fixed number is dropped; where they do not, the number stays as a
fixed-number rule. Constituencies named after "including" are required. Nothing is switched
off that was on. Depends on nothing but the stored words."""

import re

from django.db import migrations

# Most specific first: "two thirds" before "third". "More than half" (a majority) is not a
# fraction rounded up, so it is left for the secretariat to set.
FRACTIONS = [
    (r"\b(two[ -]thirds|2/3)\b", (2, 3)),
    (r"\b(three[ -]quarters|3/4)\b", (3, 4)),
    (r"\b(one[ -]third|a third|1/3)\b", (1, 3)),
    (r"\b(one[ -]quarter|a quarter|1/4)\b", (1, 4)),
    (r"\b(one[ -]half|half|1/2|fifty per ?cent)\b|\b50 ?(%|per ?cent)", (1, 2)),
]
MAJORITY = re.compile(r"\b(more than|over|majority)\b", re.IGNORECASE)
INCLUDING = re.compile(r"\binclud", re.IGNORECASE)
ICB = re.compile(r"\b(ICB|integrated care board)\b", re.IGNORECASE)
COUNCIL = re.compile(r"\b(council|local authorit)", re.IGNORECASE)
NO_SUBSTITUTES = re.compile(r"substitut\w*\s+(do|does|shall|will|may|must)\s+not\s+count", re.IGNORECASE)


def fraction_in(words: str) -> tuple[int, int] | None:
    if MAJORITY.search(words):
        return None
    for pattern, fraction in FRACTIONS:
        if re.search(pattern, words, re.IGNORECASE):
            return fraction
    return None


def structure(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    for partnership in Partnership.objects.exclude(quorum_rule="").iterator():
        words = partnership.quorum_rule
        fraction = fraction_in(words)
        if fraction:
            partnership.quorum_numerator, partnership.quorum_denominator = fraction
            partnership.quorum_minimum = None
        including = INCLUDING.search(words)
        if including:
            after = words[including.start() :]
            partnership.quorum_requires_icb = partnership.quorum_requires_icb or bool(ICB.search(after))
            partnership.quorum_requires_council = partnership.quorum_requires_council or bool(COUNCIL.search(after))
        if NO_SUBSTITUTES.search(words):
            partnership.quorum_substitutes_count = False
        partnership.save(
            update_fields=[
                "quorum_numerator",
                "quorum_denominator",
                "quorum_minimum",
                "quorum_requires_icb",
                "quorum_requires_council",
                "quorum_substitutes_count",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_quorum_fraction")]

    operations = [migrations.RunPython(structure, migrations.RunPython.noop, elidable=True)]
