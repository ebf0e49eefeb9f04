import uuid

import pytest
from django.urls import reverse, set_script_prefix

from core.urls import row_url, row_urls

TOKEN = uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")


@pytest.mark.parametrize(
    ("viewname", "args"),
    [
        ("meetings:meeting", ["leeds-health-and-wellbeing_board-2", 7]),
        ("meetings:meeting", ["x", 0]),
        ("meetings:meeting", ["731902000", 731902001]),  # the placeholders themselves
        ("meetings:paper", [TOKEN]),
        ("publishing:download", [uuid.UUID(int=0)]),
        ("membership:person", ["ada-lovelace"]),
        ("partnerships:place", ["west-yorkshire", "leeds"]),
        ("strategy:public_priority", ["leeds", 3, 12]),
        # A str converter takes anything but a slash: each character reverse() quotes, quoted alike.
        ("alerts:confirm", ["a b%c?d#e&f=g+h'i(j)~k:l@m;n,o!p$q*r\"s<t>u[v]w{x}y|z\\^`é€😀"]),
        ("alerts:confirm", ["%2F..%00"]),
    ],
)
def test_row_url_is_the_path_reverse_gives(viewname, args):
    assert row_url(viewname, *args) == reverse(viewname, args=args)
    assert row_url(viewname, *args) == reverse(viewname, args=args)  # and again, from the cache
    assert row_urls(viewname)(*args) == reverse(viewname, args=args)


def test_row_url_links_under_the_sites_prefix():
    before = row_url("meetings:meeting", "leeds", 7)
    try:
        set_script_prefix("/governance/")
        assert row_url("meetings:meeting", "leeds", 7) == "/governance/partnerships/leeds/meetings/7/"
        assert row_url("meetings:meeting", "leeds", 7) == reverse("meetings:meeting", args=["leeds", 7])
    finally:
        set_script_prefix("/")
    assert row_url("meetings:meeting", "leeds", 7) == before == "/partnerships/leeds/meetings/7/"


def test_row_urls_link_under_the_prefix_of_the_request_that_writes_the_table():
    try:
        set_script_prefix("/governance/")
        url = row_urls("meetings:meeting")
        assert url("leeds", 7) == "/governance/partnerships/leeds/meetings/7/"
        assert url("leeds", 8) == reverse("meetings:meeting", args=["leeds", 8])
    finally:
        set_script_prefix("/")
    assert row_urls("meetings:meeting")("leeds", 7) == "/partnerships/leeds/meetings/7/"
