"""``claimtrack extract``: the machine interface, claims of files or JSONL documents as one
CLAIMS_SPEC record per line; no Prefect, no database."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

import click

from claimtrack.cli.options import Command, UsageProblem, handle_errors, parse_date


@click.command("extract", cls=Command)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--input",
    "docs",
    type=click.File("r", encoding="utf-8"),
    metavar="DOCS.jsonl",
    help='One {"id", "published", "text"} object per line; - reads standard input.',
)
@click.option(
    "--published",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Publication date of the FILES (and of documents that give none).",
)
@click.option("--quantities", is_flag=True, help="Print every quantity mention, not only claims.")
@click.option("--comparisons", is_flag=True, help="Print comparison records instead of claims.")
@handle_errors
def extract_command(
    files: tuple[Path, ...], docs: IO[str] | None, published: date | None, quantities: bool, comparisons: bool
) -> None:
    """Print the claims of FILES or of --input documents, one JSON record per line.

    Records follow CLAIMS_SPEC.md; doc is the input's id, or the file name without its
    extension; offsets index into the given text (for .html files, into their main text).
    No Prefect and no database are involved.

    \b
    Examples:
      claimtrack extract data/samples/seed_article.txt --published 2024-11-03
      claimtrack extract data/samples/seed_article.txt --published 2024-11-03 --quantities
      echo '{"id": "a", "published": "2024-11-03", "text": "It lost 700 tanks."}' | claimtrack extract --input -
    """
    if not files and docs is None:
        raise UsageProblem("give FILE arguments or --input DOCS.jsonl (see 'claimtrack extract --help')")
    from claimtrack.transforms import claims as extractor

    pick = (
        extractor.extract_comparisons
        if comparisons
        else extractor.extract_quantities
        if quantities
        else extractor.extract_claims
    )
    out = sys.stdout
    for doc_id, text, day in _documents(files, docs, published):
        for record in pick(text, day):
            out.write(json.dumps(record.to_record(doc_id), ensure_ascii=False) + "\n")
    out.flush()


def _documents(
    files: tuple[Path, ...], docs: IO[str] | None, published: date | None
) -> Iterator[tuple[str, str, date | None]]:
    """Yield ``(doc id, text, publication date)`` for each file, then each JSONL document."""
    from claimtrack.ingest import read_local
    from claimtrack.transforms.pages import html_to_text, plain_to_text, resolve_published

    for path in files:
        html = path.name.lower().removesuffix(".gz").endswith((".html", ".htm", ".xhtml"))  # a.html.gz too
        try:
            data = read_local(path)
            page = html_to_text(data, path.resolve().as_uri()) if html else plain_to_text(data)
        except (OSError, ValueError) as exc:
            raise click.ClickException(f"{path}: cannot read text: {getattr(exc, 'strerror', None) or exc}") from exc
        page = resolve_published(page, given=published)
        yield path.stem, page.text, page.published
    if docs is not None:
        yield from _jsonl_documents(docs, published)


def _jsonl_documents(docs: IO[str], published: date | None) -> Iterator[tuple[str, str, date | None]]:
    """Yield the documents of a DOCS.jsonl stream; a malformed line is a usage error."""
    name = "<stdin>" if docs.name in ("<stdin>", "-") else docs.name
    for number, line in enumerate(_utf8_lines(docs, name), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, doc_id = record["text"], str(record["id"])
            day = date.fromisoformat(record["published"]) if record.get("published") else published
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise UsageProblem(
                f"{name} line {number}: {_jsonl_problem(exc)}; each line must be one "
                '{"id", "published": "YYYY-MM-DD", "text"} object'
            ) from None
        yield doc_id, text, day


def _utf8_lines(docs: IO[str], name: str) -> Iterator[str]:
    """The lines of ``docs``; bytes that are not UTF-8 are a usage error saying how far it read."""
    number = 0
    try:
        for number, line in enumerate(docs, 1):  # noqa: B007 - number names the line that fails
            yield line
    except UnicodeDecodeError as exc:
        raise UsageProblem(
            f"{name}: not UTF-8 text ({exc.reason}, after {number} lines read); DOCS.jsonl must be UTF-8 JSON Lines"
        ) from None


def _jsonl_problem(exc: Exception) -> str:
    """Describe what is wrong with one JSONL line."""
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg})"
    if isinstance(exc, KeyError):
        return f"missing key {exc}"
    return f"bad value ({exc})"
