"""partnerships 0004 reads the structured quorum from the words of the terms of reference:
a stated fraction replaces the stale fixed number, a number stays where no fraction is
stated, and the constituencies named after "including" become required."""

import importlib

import pytest
from django.apps import apps

from partnerships.factories import PartnershipFactory

migration = importlib.import_module("partnerships.migrations.0004_quorum_from_terms_of_reference")


def migrated(**fields):
    partnership = PartnershipFactory(quorum_numerator=None, quorum_denominator=None, **fields)
    migration.structure(apps, None)
    partnership.refresh_from_db()
    return partnership


def test_nenc_one_third_replaces_the_stale_eighteen(db):
    nenc = migrated(
        quorum_rule="One third of voting members, including at least one member from the ICB and one from a council",
        quorum_minimum=18,
        quorum_requires_icb=True,
        quorum_requires_council=True,
    )
    assert (nenc.quorum_numerator, nenc.quorum_denominator, nenc.quorum_minimum) == (1, 3, None)
    assert nenc.quorum_requires_icb and nenc.quorum_requires_council and nenc.quorum_substitutes_count


def test_half_of_the_members_with_no_number_becomes_a_rule(db):
    area = migrated(quorum_rule="Half of the members, including one from the ICB and one from a council")
    assert (area.quorum_numerator, area.quorum_denominator, area.quorum_minimum) == (1, 2, None)
    assert area.quorum_requires_icb and area.quorum_requires_council


@pytest.mark.parametrize(
    ("words", "fraction"),
    [
        ("A third of voting members", (1, 3)),
        ("Two thirds of the voting members", (2, 3)),
        ("1/4 of members", (1, 4)),
        ("50% of voting members", (1, 2)),
    ],
)
def test_fractions_in_other_words(db, words, fraction):
    partnership = migrated(quorum_rule=words, quorum_minimum=7)
    assert (partnership.quorum_numerator, partnership.quorum_denominator, partnership.quorum_minimum) == (
        *fraction,
        None,
    )


def test_a_number_stays_a_fixed_number_where_no_fraction_is_stated(db):
    place = migrated(quorum_rule="Five members, including the ICB", quorum_minimum=5)
    assert (place.quorum_numerator, place.quorum_minimum) == (None, 5)
    assert place.quorum_requires_icb and not place.quorum_requires_council


def test_more_than_half_is_left_for_the_secretariat(db):
    """A majority (more than half) is not a fraction rounded up: 22 of 42, not 21."""
    partnership = migrated(quorum_rule="More than half of the voting members", quorum_minimum=22)
    assert (partnership.quorum_numerator, partnership.quorum_minimum) == (None, 22)


def test_substitutes_who_do_not_count(db):
    partnership = migrated(quorum_rule="One third of voting members; substitutes shall not count towards the quorum")
    assert not partnership.quorum_substitutes_count


def test_no_words_no_change(db):
    partnership = migrated(quorum_rule="", quorum_minimum=4)
    assert (partnership.quorum_numerator, partnership.quorum_minimum) == (None, 4)
