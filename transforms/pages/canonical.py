"""Canonical URLs: an address normalised for identity, and a page's own canonical URL.

``canonical_url`` lower-cases scheme and host, drops default ports, fragments and tracking
parameters. ``page_canonical`` reads a page's ``<link rel=canonical>``, then its ``og:url``, and
accepts one only when it names an article (``names_article``: not a site's home page or a
section) on the page's own site (``same_site``: the same host or registrable domain). A URL
that metadata merely guesses (trafilatura's ``<base href>``, an ``hreflang`` alternate) is not
an identity: many pages of one site share it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
        "smtyp",
        "ito",
        "s_cid",
        "rss",
        "taid",
        "soc_src",
        "soc_trk",
        "guccounter",
        "mbid",
        "spm",
        "sr_share",
        "xtor",
    }
)
TRACKING_PREFIXES = ("utm_", "wt_", "at_", "pk_", "hsa_", "_hs", "mtm_", "oly_", "vero_")
DEFAULT_PORTS = {"http": 80, "https": 443}
CANONICAL_LINKS = (  # where a page names its own address, in order of trust
    "//head//link[@rel='canonical']/@href",
    "//head//meta[@property='og:url']/@content",
    "//head//meta[@name='og:url']/@content",
)
HOME = re.compile(r"(?:index|default|home|start)(?:\.\w+)?", re.IGNORECASE)  # a site's root page
DIGIT = re.compile(r"\d")  # an id or a date in the path
SLUG = re.compile(r"[._-]")  # a slug or a file name


def is_tracking_param(name: str) -> bool:
    """Return True for query parameters that only track the reader (``utm_source``, ``fbclid`` ...)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str | None) -> str | None:
    """Return ``url`` normalised for identity, or None when it is not an absolute http(s) URL.

    Lower-cases scheme and host, drops default ports, the fragment and tracking parameters, sorts
    the remaining query parameters, and turns an empty path into ``/``.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def names_article(url: str) -> bool:
    """Whether ``url`` (absolute) can be an article's address rather than a site's home page or a
    section: a digit in its path (an id, a date), or a last segment holding ``-``, ``_`` or ``.``
    (a slug, a file name) that is not an index page. ``/``, ``/en/``, ``/en/news/``,
    ``/index.html`` are not; ``/en/news/67234``, ``/2024/05/03/story``, ``/world-news-kyiv``,
    ``/story-1019241/artikel`` are."""
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    if not segments or HOME.fullmatch(segments[-1]):
        return False
    return any(DIGIT.search(segment) for segment in segments) or SLUG.search(segments[-1]) is not None


def registrable_domain(url: str) -> str | None:
    """The domain a registrant owns (``bbc.co.uk`` for ``www.bbc.co.uk``), from the public suffix
    list bundled with ``tld``; None for IP addresses, ``localhost`` and reserved names."""
    from tld import get_fld

    found = get_fld(url, fail_silently=True)
    return found if isinstance(found, str) else None


def same_site(url: str, other: str) -> bool:
    """Whether two absolute URLs are on the same host or the same registrable domain."""
    host, other_host = urlsplit(url).hostname, urlsplit(other).hostname
    if host == other_host:
        return True
    domain = registrable_domain(url)
    return domain is not None and domain == registrable_domain(other)


def page_canonical(tree: Any, page_url: str | None) -> str | None:
    """The page's own canonical URL (``tree``: its lxml tree), normalised, or None.

    Candidates, in order: ``<link rel=canonical>``, ``og:url``. One is accepted when it is an
    absolute http(s) URL (a relative one is resolved against ``page_url``), names an article
    (``names_article``) and, for a page read from the web (``page_url``), is on its site
    (``same_site``). A local file (``page_url`` None) accepts any article address.
    """
    for xpath in CANONICAL_LINKS:
        for href in tree.xpath(xpath):
            absolute = urljoin(page_url, href.strip()) if page_url else href.strip()
            found = canonical_url(absolute)
            if found and names_article(found) and (page_url is None or same_site(found, page_url)):
                return found
    return None
