"""Loading and validating the rule tables and vocabularies kept as data in ``data/``.

Every table is a YAML file. Loaders call these helpers so that every error names the file,
the rule and the fix, in one line, e.g. (wrapped here)::

    data/rules/periods.yaml: rule 'first_n_months': unknown placeholder {MONTHH} (known: MONTH, YEAR);
    fix the name or define it under 'placeholders'

Patterns may reference named sub-patterns as ``{NAME}`` (upper case); ``{2,3}`` stays a regex
quantifier. Nothing here reads the clock or the network.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

Trie = dict[str, "Trie"]  # a prefix tree of words: character -> subtree; "" marks a word's end
DATA_DIR = Path(str(resources.files("claimtrack.data")))
"""The bundled data folder: the checkout's ``data/``, or ``claimtrack/data`` where installed."""
RULE_FOLDERS = ("rules", "vocab")  # with metrics.yaml: the tables the extractor's behaviour depends on
PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


class _StrictBoolLoader(yaml.SafeLoader):
    """A SafeLoader where only true/false are booleans (YAML 1.1 also reads on/off/yes/no/y/n).

    Word lists hold "on", "no" and "off" as words; they must stay strings.
    """


_StrictBoolLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_StrictBoolLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class RuleError(ValueError):
    """A rule table is malformed. The message names the file, the rule and the fix."""


def display_path(path: Path) -> str:
    """Return ``path`` relative to the folder holding ``data/`` (the checkout, or the installed
    package) when it lies inside it, else as given (for messages)."""
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def fail(path: Path, rule: str | None, problem: str, fix: str) -> RuleError:
    """Build a ``RuleError`` reading ``<file>: rule '<rule>': <problem>; <fix>``."""
    where = f"{display_path(path)}: rule '{rule}'" if rule else display_path(path)
    return RuleError(f"{where}: {problem}; {fix}")


@lru_cache(maxsize=64)
def load_yaml(path: Path) -> Any:
    """Parse the YAML file at ``path``; raise ``RuleError`` naming the file and line on failure."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictBoolLoader)
    except FileNotFoundError as exc:
        raise fail(path, None, "file not found", "restore it from git or pass another path") from exc
    except yaml.YAMLError as exc:
        raise fail(path, None, f"not valid YAML ({exc})".replace("\n", " "), "fix the syntax") from exc


def data_file(*parts: str) -> Path:
    """Return the path of a file under ``data/`` (e.g. ``data_file("rules", "units.yaml")``)."""
    return DATA_DIR.joinpath(*parts)


def rule_files() -> list[Path]:
    """The rule tables and vocabularies the extractor reads: ``data/metrics.yaml`` and every YAML
    file under ``data/rules/`` and ``data/vocab/``, in a stable order."""
    found = [path for folder in RULE_FOLDERS for path in DATA_DIR.joinpath(folder).glob("*.yaml")]
    return sorted([DATA_DIR / "metrics.yaml", *found])


def rules_fingerprint() -> str:
    """The first 12 hex characters of the sha256 of every rule file (names and bytes): tells
    which rule tables an installed claimtrack carries."""
    digest = hashlib.sha256()
    for path in rule_files():
        digest.update(path.relative_to(DATA_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def check_keys(
    path: Path, rule: str | None, entry: Any, allowed: Iterable[str], required: Iterable[str] = ()
) -> Mapping[str, Any]:
    """Check that ``entry`` is a mapping with only ``allowed`` keys and every ``required`` one."""
    if not isinstance(entry, Mapping):
        raise fail(path, rule, f"expected a mapping, got {type(entry).__name__}", "write it as 'key: value' lines")
    allowed_set = set(allowed) | set(required)
    unknown = sorted(set(entry) - allowed_set)
    if unknown:
        raise fail(
            path, rule, f"unknown key(s) {', '.join(map(str, unknown))}", f"use only {', '.join(sorted(allowed_set))}"
        )
    missing = [key for key in required if key not in entry]
    if missing:
        raise fail(path, rule, f"missing key(s) {', '.join(missing)}", "add them")
    return entry


def check_unique(path: Path, rule: str, words: Iterable[object], fold_case: bool = False) -> None:
    """Refuse a word list that names a word twice (ignoring case when ``fold_case``): a repeat
    is a slip of the pen, and hides which entry an edit should change."""
    seen: set[str] = set()
    for word in words:
        key = str(word).strip().lower() if fold_case else str(word).strip()
        if key in seen:
            raise fail(path, rule, f"{str(word).strip()!r} is listed twice", "remove one of them")
        seen.add(key)


def word_group(path: Path, rule: str, words: Sequence[str]) -> str:
    """A non-capturing regex group matching exactly ``words`` (literals; a space matches any
    white space), in the order given; refuses an empty or repeating list."""
    check_unique(path, rule, words)
    if not words:
        raise fail(path, rule, "empty word list", "add at least one word or remove the rule")
    return "(?:" + "|".join(re.escape(str(word)).replace("\\ ", r"\s+") for word in words) + ")"


def alternation(path: Path, rule: str, words: Sequence[str], escape: bool = True) -> str:
    """Join ``words`` into a non-capturing regex group; refuse an empty list.

    Literal words (``escape=True``) become a prefix tree ("war|wars|warship" ->
    ``war(?:s|ship)?``), which Python's regex engine scans far faster than a flat list; the
    longest word still wins. An empty group would match everywhere, so it is an error.
    """
    items = [str(w) for w in words if str(w).strip()]
    if not items:
        raise fail(path, rule, "empty word list", "add at least one word or remove the rule")
    if escape:
        return trie_pattern(items)
    items = sorted(set(items), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(items) + ")"


def trie_pattern(words: Iterable[str]) -> str:
    """A regex group matching exactly ``words`` (literals), built as a prefix tree that tries
    longer continuations first."""
    root: Trie = {}
    for word in set(words):
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _trie_body(root) + ")"


def _trie_body(node: Trie) -> str:
    """The regex for one trie node: its branches, with the end-of-word branch last."""
    branches = [re.escape(char) + _trie_child(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return (
        body + "?"
        if "" in node and len(branches) == 1 and _is_single(body)
        else ("(?:" + body + ")?" if "" in node else body)
    )


def _trie_child(child: Trie) -> str:
    """The regex after one character of the trie."""
    return _trie_body(child)


def _is_single(body: str) -> bool:
    """True when ``body`` is one escaped character or one group, so "?" may follow it."""
    return (
        len(body) == 1
        or (len(body) == 2 and body[0] == "\\")
        or (body.startswith("(?:") and body.endswith(")") and _balanced_group(body))
    )


def _balanced_group(body: str) -> bool:
    """True when ``body`` is a single group spanning the whole string."""
    depth = 0
    for index, char in enumerate(body):
        if char == "(" and (index == 0 or body[index - 1] != "\\"):
            depth += 1
        elif char == ")" and body[index - 1] != "\\":
            depth -= 1
            if depth == 0 and index != len(body) - 1:
                return False
    return True


def expand(path: Path, rule: str, pattern: str, placeholders: Mapping[str, str]) -> str:
    """Replace each ``{NAME}`` in ``pattern`` by ``(?:placeholders[NAME])``."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in placeholders:
            known = ", ".join(sorted(placeholders)) or "none"
            raise fail(
                path,
                rule,
                f"unknown placeholder {{{name}}} (known: {known})",
                "fix the name or define it under 'placeholders'",
            )
        return "(?:" + placeholders[name] + ")"

    return PLACEHOLDER.sub(substitute, pattern)


def compile_pattern(
    path: Path, rule: str, pattern: str, placeholders: Mapping[str, str] | None = None, flags: int = re.IGNORECASE
) -> re.Pattern[str]:
    """Expand placeholders and compile ``pattern``; raise ``RuleError`` naming the rule on failure."""
    source = expand(path, rule, pattern, placeholders or {})
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise fail(path, rule, f"invalid regular expression ({exc})", "fix the pattern") from exc


def expand_placeholders(path: Path, raw: Mapping[str, str]) -> dict[str, str]:
    """Resolve placeholders that reference each other (in file order); return name -> regex."""
    resolved: dict[str, str] = {}
    for name, pattern in raw.items():
        if not PLACEHOLDER.fullmatch("{" + str(name) + "}"):
            raise fail(path, str(name), "placeholder names must be UPPER_CASE", "rename it")
        resolved[str(name)] = expand(path, str(name), str(pattern), resolved)
        compile_pattern(path, str(name), resolved[str(name)])
    return resolved
