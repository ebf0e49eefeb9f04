"""The API's settings refuse values they cannot use, at start-up rather than on a request."""

import pytest

from tests.icp_portal.test_settings import _django_setup


@pytest.mark.parametrize("rate", ["lots", "0/minute", "10/fortnight", "10"])
def test_an_unreadable_rate_limit_stops_start_up(rate, tmp_path):
    result = _django_setup(SECRET_KEY="k", VAR_DIR=str(tmp_path), API_RATE_LIMIT=rate)
    assert result.returncode != 0
    assert "API_RATE_LIMIT must be a number of requests per second, minute, hour or day" in result.stderr


@pytest.mark.parametrize("size", ["0", "201"])
def test_a_page_size_out_of_range_stops_start_up(size, tmp_path):
    result = _django_setup(SECRET_KEY="k", VAR_DIR=str(tmp_path), API_PAGE_SIZE=size)
    assert result.returncode != 0
    assert "API_PAGE_SIZE must be from 1 to 200" in result.stderr


def test_a_readable_rate_limit_starts(tmp_path):
    result = _django_setup(SECRET_KEY="k", VAR_DIR=str(tmp_path), API_RATE_LIMIT="600/hour", API_PAGE_SIZE="100")
    assert result.returncode == 0, result.stderr
