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

try:  # the regex parser of the standard library (private; without it, patterns get no start guard)
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python that moved it
    sre = sre_parse = None

Trie = dict[str, "Trie"]  # a prefix tree of words: character -> subtree; "" marks a word's end
DATA_DIR = Path(str(resources.files("claimtrack.data")))
"""The bundled data folder: the checkout's ``data/``, or ``claimtrack/data`` where installed."""
RULE_FOLDERS = ("rules", "vocab")  # with metrics.yaml: the tables the extractor's behaviour depends on
PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
INLINE_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")  # "(?i)" must stay first: no guard before it


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~8x faster


class _StrictBoolLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A SafeLoader (libyaml's when PyYAML has it) where only true/false are booleans (YAML 1.1
    also reads on/off/yes/no/y/n).

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
    path: Path,
    rule: str,
    pattern: str,
    placeholders: Mapping[str, str] | None = None,
    flags: int = re.IGNORECASE,
    guard: bool = False,
) -> re.Pattern[str]:
    """Expand placeholders and compile ``pattern`` (behind its ``start_guard`` when ``guard``: for
    patterns that scan whole texts); raise ``RuleError`` naming the rule on failure."""
    source = expand(path, rule, pattern, placeholders or {})
    lookahead = start_guard(source, flags) if guard else ""
    source = f"{lookahead}(?:{source})" if lookahead else source
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


class _Unread(Exception):
    """A regex construct ``start_guard`` does not read (the pattern gets no guard)."""


def start_guard(source: str, flags: int = 0, boundary: bool = True) -> str:
    """A lookahead for the characters that a match of ``source`` (compiled with ``flags``) can
    start with, and (``boundary``) for a word boundary where every way to such a character
    requires one (leave it out where positions are already gated to word starts):
    ``(?=\\b(?i:[ot])|(?-i:[\\d]))`` for "\\b(?:one|two)|\\d+". Put before the pattern, it lets
    Python's regex engine turn away most positions of a text with one test instead of entering
    every alternative, and changes no match (a match must start so). "" when the pattern can
    match the empty string, starts with inline flags, or uses a construct not read here (".",
    back references), is verbose (a trailing comment would swallow the closing parenthesis), or
    when the standard library's parser is not available."""
    if sre_parse is None or flags & re.VERBOSE or INLINE_FLAGS.match(source):
        return ""
    starts: list[tuple[bool, bool, str]] = []
    try:
        if _first(sre_parse.parse(source, flags), (bool(flags & re.IGNORECASE), False, boundary), starts)[0]:
            return ""
    except (re.error, _Unread, OverflowError):
        return ""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for folded, bounded, chars in starts:
        groups.setdefault((folded, bounded), []).append(chars)
    parts = [
        ("\\b" if bounded else "") + ("(?i:" if folded else "(?-i:") + _char_class(sets) + ")"
        for (folded, bounded), sets in sorted(groups.items())
    ]
    return "(?=" + "|".join(parts) + ")"


def _char_class(sets: list[str]) -> str:
    """One class for the positive sets, one alternative per negated set ("^...")."""
    plain = "".join(s for s in sets if not s.startswith("^"))
    classes = ([f"[{plain}]"] if plain else []) + [f"[{s}]" for s in sets if s.startswith("^")]
    return classes[0] if len(classes) == 1 else "(?:" + "|".join(classes) + ")"


def _first(items: Any, state: tuple[bool, bool, bool], out: list[tuple[bool, bool, str]]) -> tuple[bool, bool]:
    """Add to ``out`` (folded, bounded, class body) for each character the sequence ``items``
    can start with; ``state``: (case folded, a word boundary is required here, boundaries read
    as in the whole pattern). Return whether the sequence can match the empty string, and
    whether a boundary is then still required."""
    folded, bounded, plain = state
    for op, av in items:
        if op is sre.AT:
            bounded = bounded or (plain and av is sre.AT_BOUNDARY)
        elif op is sre.ASSERT and av[0] == 1:  # a lookahead: one that starts at a boundary tells
            ahead: list[tuple[bool, bool, str]] = []
            bounded = bounded or (not _first(av[1], (folded, False, plain), ahead)[0] and all(b for _, b, _ in ahead))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            continue
        elif op is sre.LITERAL:
            out.append((folded, bounded, re.escape(chr(av))))
            return False, bounded
        elif op is sre.NOT_LITERAL:
            out.append((folded, bounded, "^" + re.escape(chr(av))))
            return False, bounded
        elif op is sre.IN:
            out.append((folded, bounded, _set_body(av)))
            return False, bounded
        else:
            empty, bounded = _first_compound(op, av, (folded, bounded, plain), out)
            if not empty:
                return False, bounded
    return True, bounded


def _first_compound(
    op: Any, av: Any, state: tuple[bool, bool, bool], out: list[tuple[bool, bool, str]]
) -> tuple[bool, bool]:
    """``_first`` for a group, an alternation or a repeat; a boundary required inside an
    alternation or a repeat does not hold after it."""
    folded, bounded, plain = state
    if op is sre.SUBPATTERN:
        _, add, remove, sub = av
        if (add | remove) & (re.ASCII | re.LOCALE | re.UNICODE):
            plain = False
        folded = (folded or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
        return _first(sub, (folded, bounded, plain), out)
    if op is sre.ATOMIC_GROUP:
        return _first(av, state, out)
    if op is sre.BRANCH:
        empty = [_first(alternative, state, out)[0] for alternative in av[1]]
        return any(empty), bounded
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _, sub = av
        return _first(sub, state, out)[0] or least == 0, bounded
    raise _Unread(op)


CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s"}
CATEGORIES |= {"CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _set_body(items: Any) -> str:
    """The body of a character class ("^a-z\\d") from the parser's items of one."""
    body = ""
    for op, av in items:
        if op is sre.NEGATE:
            body = "^" + body
        elif op is sre.LITERAL:
            body += re.escape(chr(av))
        elif op is sre.RANGE:
            body += re.escape(chr(av[0])) + "-" + re.escape(chr(av[1]))
        elif op is sre.CATEGORY and str(av) in CATEGORIES:
            body += CATEGORIES[str(av)]
        else:
            raise _Unread(op)
    return body
