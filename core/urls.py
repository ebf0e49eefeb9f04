"""Links to rows, for pages and feeds that link hundreds of them.

Django's `reverse()` searches the URL patterns and checks the arguments against them on every
call (some 40 µs). A list of meetings or papers reverses the same route for every row, so
`row_url` reverses each route once, with placeholder arguments, and puts each row's arguments
where the placeholders were, quoted as `reverse()` quotes them.
"""

import functools
import uuid
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS, escape_leading_slashes

# What `reverse()` leaves unquoted in a path (the `pchar` of RFC 3986).
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def _placeholder(kind: type, position: int):
    """A value of the argument's kind that the route's converter accepts, and that nothing else
    in a path looks like."""
    if kind is uuid.UUID:
        return uuid.UUID(int=0x5EED_0000 + position)
    return 731_902_000 + position  # an int, a slug or a str converter accepts it


@functools.lru_cache(maxsize=256)
def _pieces(viewname: str, kinds: tuple[type, ...], script_prefix: str, urlconf) -> tuple[str, ...]:
    """The path of `viewname` split around its arguments: one piece more than the arguments."""
    placeholders = [_placeholder(kind, position) for position, kind in enumerate(kinds)]
    rest = reverse(viewname, args=placeholders, urlconf=urlconf)
    pieces = []
    for placeholder in map(str, placeholders):
        if rest.count(placeholder) != 1:
            raise ValueError(f"{viewname}: the placeholder {placeholder} is not in its path exactly once")
        before, _, rest = rest.partition(placeholder)
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


def row_url(viewname: str, *args) -> str:
    """The path `reverse(viewname, args=args)` gives, without reversing it for every row.

    The arguments are not checked against the route's converters, as `reverse()` would: pass
    the row's own fields (a slug field, a primary key, a UUID), which the route accepts."""
    return _path(viewname, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def row_urls(viewname: str) -> Callable[..., str]:
    """`row_url` for one route, for the rows of one table: the site's prefix and URL patterns
    are read once, when the table is written (reading them costs more than the rest of
    `row_url`, for every row), so call it while handling the request that shows the table."""
    script_prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF

    def url(*args) -> str:
        return _path(viewname, args, script_prefix, urlconf)

    return url


def _path(viewname: str, args: tuple, script_prefix: str, urlconf) -> str:
    pieces = _pieces(viewname, tuple(type(arg) for arg in args), script_prefix, urlconf)
    path = pieces[0]
    for arg, piece in zip(args, pieces[1:], strict=True):
        path += quote(str(arg), safe=_SAFE) + piece
    return escape_leading_slashes(path)
