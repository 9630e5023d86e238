"""Pages: bytes of an HTML page or a text file -> main text, metadata, publication date and
language (``text``, ``dates``, ``language``); a page's own canonical URL (``canonical``); and who
an article is: its identity, text hash, versions and the ids of articles, claims and
comparisons (``identity``). Pure: no clock, no network.
"""

from claimtrack.transforms.pages.canonical import canonical_url
from claimtrack.transforms.pages.dates import publication_date
from claimtrack.transforms.pages.identity import (
    Article,
    article_id,
    claim_id,
    comparison_id,
    make_article,
    version_id,
)
from claimtrack.transforms.pages.language import is_extracted
from claimtrack.transforms.pages.text import (
    MAX_DOCUMENT_BYTES,
    PageText,
    TextError,
    html_to_text,
    plain_to_text,
    resolve_published,
)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Article",
    "PageText",
    "TextError",
    "article_id",
    "canonical_url",
    "claim_id",
    "comparison_id",
    "html_to_text",
    "is_extracted",
    "make_article",
    "plain_to_text",
    "publication_date",
    "resolve_published",
    "version_id",
]
