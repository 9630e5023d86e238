"""Publication date of a web page, as the page states it (its local calendar date).

Evidence, strongest first (the first that yields a plausible date wins):

1. structured metadata about the page itself: ``datePublished`` of the JSON-LD article entity
   (the one naming the page's URL first; dates of nested images, videos or teasers do not
   count), then ``<meta>`` tags (``article:published_time``, Open Graph, ``datePublished``,
   parsely, sailthru, Dublin Core, then the rest of htmldate's list), then microdata
   (``itemprop="datePublished"``, ``<time pubdate>``) outside sidebars and related lists;
2. a date printed at the top of the main content: between the start of the article (or the
   headline) and its body text, the first ``<time>`` or short text stating a full date
   ("2022-04-13 07:00:00 | ID: 67234"; captions excluded), else on a short line among the
   first lines of the main text;
3. a date in the URL (htmldate's URL patterns: /2024/05/03/, 2024-05-03, ...);
4. htmldate's extensive search over the page without its boilerplate (navigation, sidebars,
   "related"/"most read" lists, footers), so that other pages' dates cannot win.

Dates are taken as written, never converted to UTC: "2024-08-26T23:27:57+00:00" is 2024-08-26
and "2024-08-27T01:27:57+02:00" is 2024-08-27. No network and no clock: the latest plausible
date is the caller's ``max_date`` (e.g. the day the page was fetched, plus a time zone's lead).
Ported from the datebench prototype (issue 18); htmldate's helpers are used, so htmldate is
pinned in pyproject.toml.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from copy import deepcopy
from datetime import date, datetime
from itertools import chain
from typing import Any

from htmldate import find_date
from htmldate.core import DATE_ATTRIBUTES
from htmldate.extractors import DAY_TOKEN, extract_url_date, try_date_expr
from htmldate.utils import Extractor, load_html
from htmldate.validators import get_min_date

NO_LIMIT = datetime(9999, 12, 31)  # without a max_date: no upper bound (the clock is never read)
# <meta> names/properties/itemprops of the page's publication date, most specific first; the
# other names in htmldate's DATE_ATTRIBUTES follow in document order, the loose ones last
META_FIRST = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
)
META_LOOSE = frozenset({"date", "meta", "timestamp", "dcsext.articlefirstpublished"})
ARTICLE_TYPE = re.compile(r"(Article|BlogPosting|Report)$")  # NewsArticle, LiveBlogPosting, ...
NS = {"re": "http://exslt.org/regular-expressions"}
# containers of other pages' dates: navigation, sidebars and the page footer (outside the
# article only: an <article>'s own <aside> or <footer> often holds its byline and date) and,
# anywhere, blocks named as related/recommended/most-read lists, menus or comments
SEMANTIC = (
    "self::nav or self::aside or self::footer or @role='navigation' or @role='complementary' or @role='contentinfo'"
)
NAMED = (
    "re:test(concat(' ', @class, ' ', @id, ' '), '[ _-](related|sidebar|side-bar|recommend"
    "|popular|trending|most-?read|read-?more|read-?next|up-?next|more-?from|breadcrumb|newsletter"
    "|outbrain|taboola)|[ _-](nav|menu|comments?)[ _-]', 'i')"
)
MAIN = "//article|//*[@itemprop='articleBody']|//main|//*[@role='main']"
TOP_LINES, TOP_LINE_MAX, DATELINE_MAX, BODY_PARAGRAPH = 6, 120, 50, 150  # lines, characters
HEADER_SEGMENTS = 30  # texts looked at between the headline and the body
SKIP = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})
CAPTION = frozenset({"figure", "figcaption"})  # their text dates the picture or audio, not the page
SEPARATORS = re.compile(r"\s*[|•·]\s*|\s{2,}")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
SHORT_DMY = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d\d(?![\d.])")  # 25.04.24
EVIDENCE_KINDS = {  # label prefix -> the date_source stored with the article
    "jsonld": "metadata",
    "meta": "metadata",
    "microdata": "metadata",
    "main-header": "text",
    "main-text-top": "text",
    "url": "url",
    "htmldate-extensive": "search",
}


def publication_date(
    html: str | bytes | Any, url: str | None = None, *, text: str | None = None, max_date: date | None = None
) -> tuple[date | None, str]:
    """Return the page's publication date (as the page writes it) and a label of the evidence.

    ``html``: the page (text, bytes or an lxml tree, not changed); ``url``: where it was read (for
    step 3; None for a local file); ``text``: its main text if already extracted (else
    trafilatura extracts it, only when step 2 needs it); ``max_date``: the latest plausible date.
    Labels: ``jsonld:datePublished``, ``meta:<name>``, ``microdata:datePublished``,
    ``main-header:time``, ``main-text-top``, ``url``, ``htmldate-extensive``, ``none``
    (``evidence_kind`` groups them).
    """
    tree = load_html(html)
    if tree is None:
        return None, "none"
    options = Extractor(True, datetime.combine(max_date, datetime.max.time()) if max_date else NO_LIMIT,
                        get_min_date(None), True, "%Y-%m-%d")  # fmt: skip
    parse = _parser(options)
    for label, value in stated_dates(tree, url, text):
        if (day := parse(value, label.startswith("main-"))) is not None:
            return day, label
    if url and (found := extract_url_date(url, options)):
        return date.fromisoformat(found), "url"
    return searched_date(tree, options)


def stated_dates(tree: Any, url: str | None, text: str | None) -> Iterator[tuple[str, str]]:
    """Steps 1 and 2: ``(label, value)`` of every date the page states about itself, strongest
    first (the page's layout is worked out only when the metadata gives nothing)."""
    yield from metadata_dates(tree, url)
    main, boilerplate = layout(tree)
    yield from microdata_dates(tree, boilerplate)
    for label, value in chain(
        header_zone(tree, main, boilerplate), (("main-text-top", line) for line in top_lines(tree, text))
    ):
        if is_dateline(value):
            yield label, value


def evidence_kind(label: str) -> str | None:
    """The ``date_source`` of a ``publication_date`` label: ``metadata``, ``text``, ``url`` or
    ``search`` (None for ``none``)."""
    return EVIDENCE_KINDS.get(label.split(":")[0])


def _parser(options: Any) -> Callable[[str | None, bool], date | None]:
    """A parser of stated dates within ``options``' bounds: ISO 8601 (machine-readable values)
    by the standard library, as written (no time zone conversion), else htmldate's parser (for
    prose, with dateparser, which reads "13 квітня 2022" or "2022年4月13日")."""

    def parse(value: str | None, prose: bool) -> date | None:
        value = (value or "").strip()
        stated: datetime | None
        try:
            stated = datetime.fromisoformat(value).replace(tzinfo=None)  # local time as written
        except ValueError:
            found = try_date_expr(value, "%Y-%m-%d", prose, options.min, options.max) if value else None
            stated = datetime.fromisoformat(found) if found else None
        return stated.date() if stated and options.min <= stated <= options.max else None

    return parse


def searched_date(tree: Any, options: Any) -> tuple[date | None, str]:
    """htmldate's extensive search over a copy of ``tree`` without its boilerplate (and without
    JSON-LD, whose page-level dates step 1 read)."""
    pruned = deepcopy(tree)
    for elem in [*layout(pruned)[1], *pruned.xpath("//script[@type='application/ld+json']")]:
        elem.getparent().remove(elem)
    # url="": htmldate would otherwise read the URL (or the canonical link's) first
    found = find_date(
        pruned, extensive_search=True, original_date=True, url="", min_date=options.min, max_date=options.max
    )
    return (date.fromisoformat(found), "htmldate-extensive") if found else (None, "none")


def is_dateline(segment: str) -> bool:
    """A short stretch of text stating a full date (with its year and a day), not a sentence."""
    if len(segment) > DATELINE_MAX:
        return False
    return SHORT_DMY.search(segment) is not None or (
        YEAR.search(segment) is not None and DAY_TOKEN.search(YEAR.sub(" ", segment)) is not None
    )


def layout(tree: Any) -> tuple[Any, list[Any]]:
    """The page's main element (or None) and its boilerplate containers.

    The main element is the ``<article>``/``<main>``/``role=main``/``itemprop=articleBody``
    element holding the headline (``<h1>``), an ``<article>`` rather than ``<main>``, the
    largest. Containers holding the main element or the headline are not boilerplate, whatever
    their class says (``<body class="segment--recommended">``, ``<div class="sidebar-enabled">``);
    nested boilerplate containers are reduced to the outermost.
    """
    main = max(
        tree.xpath(MAIN),
        default=None,
        key=lambda e: (e.find(".//h1") is not None, e.tag == "article", len(e.text_content())),
    )
    headline = (main if main is not None else tree).find(".//h1")
    spine = {e for top in (main, headline) if top is not None for e in (top, *top.iterancestors())}
    found = [
        e
        for e in tree.xpath(f"//body//*[{SEMANTIC} or {NAMED}]", namespaces=NS)
        if e not in spine  # inside the main element, only named blocks count
        and (main is None or main not in e.iterancestors() or e.xpath(NAMED, namespaces=NS))
    ]
    inside = set(found)
    return main, [e for e in found if not any(a in inside for a in e.iterancestors())]


def in_any(elem: Any, containers: list[Any]) -> bool:
    """Whether ``elem`` is one of ``containers`` or inside one."""
    lineage = {elem, *elem.iterancestors()}
    return any(c in lineage for c in containers)


def within(elem: Any, tags: frozenset[str]) -> bool:
    """Whether ``elem`` or one of its ancestors has one of these tags."""
    return any(a.tag in tags for a in (elem, *elem.iterancestors()))


def meta_dates(tree: Any, loose: bool) -> Iterator[tuple[str, str]]:
    """``<meta>`` dates: the specific names (META_FIRST order, then htmldate's other names in
    document order), or only the loose ones."""
    metas = [
        (name.lower(), meta.get("content") or meta.get("datetime"))
        for meta in tree.iterfind(".//meta")
        if (name := meta.get("property") or meta.get("name") or meta.get("itemprop"))
    ]
    if loose:
        yield from ((f"meta:{name}", value) for name, value in metas if name in META_LOOSE)
        return
    for wanted in META_FIRST:
        yield from ((f"meta:{name}", value) for name, value in metas if name == wanted)
    yield from (
        (f"meta:{name}", value)
        for name, value in metas
        if name in DATE_ATTRIBUTES and name not in META_FIRST and name not in META_LOOSE
    )


def metadata_dates(tree: Any, url: str | None) -> Iterator[tuple[str, str]]:
    """JSON-LD ``datePublished`` of the article entities, then the specific ``<meta>`` tags."""
    for entity in article_entities(tree, url):
        if isinstance(entity.get("datePublished"), str):
            yield "jsonld:datePublished", entity["datePublished"]
    yield from meta_dates(tree, loose=False)


def microdata_dates(tree: Any, boilerplate: list[Any]) -> Iterator[tuple[str, str]]:
    """``itemprop="datePublished"`` / ``<time pubdate>`` of items outside sidebars and related
    lists, then the loose ``<meta>`` names ("date", "timestamp", ...)."""
    for elem in tree.xpath("//body//*[@itemprop='datePublished' or @pubdate]"):
        # the item it dates is a teaser when that item sits in a sidebar or a related list
        item = next((a for a in elem.iterancestors() if a.get("itemscope") is not None), elem)
        if not in_any(item, boilerplate):
            value = elem.get("datetime") or elem.get("content") or elem.text_content()
            yield "microdata:datePublished", value
    yield from meta_dates(tree, loose=True)


def json_ld(tree: Any) -> Iterator[Any]:
    """The parsed JSON-LD blocks of the page (malformed ones skipped)."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            yield json.loads(script.text or "null", strict=False)
        except ValueError:
            continue


def article_entities(tree: Any, url: str | None) -> list[dict[str, Any]]:
    """JSON-LD entities of an article kind, the ones naming the page's URL first.

    Only top-level entities count (also those in ``@graph`` or a page's ``mainEntity``): dates
    of nested images, videos, authors or listed teasers are not the page's.
    """
    found: list[dict[str, Any]] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and ARTICLE_TYPE.search(k) for k in kinds):
                found.append(node)
            visit(node.get("@graph"))
            visit(node.get("mainEntity"))

    for block in json_ld(tree):
        visit(block)
    page_urls = {u.rstrip("/") for u in (url, *tree.xpath("//link[@rel='canonical']/@href")) if u}

    def names_page(entity: dict[str, Any]) -> bool:
        named = (entity.get("url"), entity.get("@id"), entity.get("mainEntityOfPage"))
        ids = [i.get("@id") if isinstance(i, dict) else i for i in named]
        return any(isinstance(i, str) and i.rstrip("/") in page_urls for i in ids)

    return sorted(found, key=lambda e: not names_page(e))  # stable: document order otherwise


def header_zone(tree: Any, main: Any, boilerplate: list[Any]) -> Iterator[tuple[str, str]]:
    """Dates around the headline: ``<time>`` values and short texts, in document order, from the
    start of the article (or, without an article element, from the page's first ``<h1>``) to
    its first body paragraph. The headline's own text is skipped."""
    root = main if main is not None else tree.find("body")
    if root is None:
        return
    anchor = main if main is not None else next((h for h in root.iter("h1") if not in_any(h, boilerplate)), None)
    if anchor is None:
        return
    started, seen = False, 0
    for elem in root.iter():
        started = started or elem is anchor
        if not started or not isinstance(elem.tag, str) or within(elem, SKIP) or in_any(elem, boilerplate):
            continue
        if len(elem.text or "") >= BODY_PARAGRAPH or (elem.tag == "p" and len(elem.text_content()) >= BODY_PARAGRAPH):
            return  # the body text has begun
        if elem.tag == "time":
            yield "main-header:time", elem.get("datetime") or elem.text_content()
        texts = (elem.text, elem.tail) if elem.tag not in ("h1", "time") else (elem.tail,)
        for part in texts if not within(elem, CAPTION) else ():
            if part and part.strip():
                if (seen := seen + 1) > HEADER_SEGMENTS:
                    return
                yield from (("main-text-top", piece) for piece in SEPARATORS.split(part.strip()))


def top_lines(tree: Any, text: str | None) -> Iterator[str]:
    """Short stretches of the first lines of the main text (trafilatura's, unless given)."""
    if text is None:
        from trafilatura import extract

        text = extract(deepcopy(tree), include_comments=False, include_tables=False) or ""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:TOP_LINES]
    for line in lines:
        if len(line) <= TOP_LINE_MAX:
            yield from SEPARATORS.split(line)
