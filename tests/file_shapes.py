"""What must not change when a spec value changes: the shape of each generated file.

A value that reaches a file as data leaves the file's shape as it was: a Dockerfile
keeps its instructions, nginx.conf its directives and blocks, a text file its line
count, a script its docker calls, Compose's reading of a Compose file its structure.
These read the files as their programs do (a Dockerfile through BuildKit's own parser;
nginx's quoting), closely enough to see a value become syntax.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from tests.tools import missing

# Instructions whose shell form is one shell command the spec writes on purpose (`build`).
COMMANDS = {"RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK"}


def instructions(dockerfile: str) -> list[tuple[Any, ...]]:
    """Each instruction as BuildKit's parser reads the file (continuations, comments,
    heredocs, the escape directive): its keyword (and ONBUILD's), its flags' names, its
    form, and the heredocs it opens. The form is a JSON array's length (and the words
    after it), or the number of arguments and of the words in them (a command's: just
    the one command), after HEALTHCHECK's CMD or NONE. A file BuildKit cannot parse is
    its refusal."""
    buildkit = _buildkit()
    try:
        parsed = buildkit.parse_string(dockerfile)
    except buildkit.GoParseError as refused:
        return [("BuildKit refuses", str(refused))]
    shapes: list[tuple[Any, ...]] = []
    for step in parsed:
        value = list(step.value)
        head = value[:1] if step.cmd == "HEALTHCHECK" else []
        arguments = value[len(head) :]
        if step.json:
            form: tuple[Any, ...] = ("json", *head, len(arguments), _after_array(step))
        elif step.cmd in COMMANDS:
            form = ("shell", *head, len(arguments))
        else:
            words = sum(len(argument.split()) for argument in arguments)
            form = ("shell", len(arguments), words)
        flags = tuple(flag.split("=", 1)[0] for flag in step.flags)
        heredocs = tuple(heredoc.name for heredoc in step.heredocs)
        shapes.append((step.cmd, step.sub_cmd, flags, form, heredocs))
    return shapes


def _after_array(step: Any) -> int:
    """How many words follow an instruction's JSON array: BuildKit reads the array and
    drops them."""
    text: str = step.original
    start = 0
    for flag in step.flags:
        start = text.index(flag, start) + len(flag)
    start = text.index("[", start)
    try:
        end = json.JSONDecoder().raw_decode(text, start)[1]
    except ValueError:  # (Go reads it, Python does not: all of it counts)
        end = start
    return len(text[end:].split())


def _buildkit() -> Any:
    """BuildKit's own Dockerfile parser (PyPI `dockerfile`)."""
    try:
        import dockerfile
    except ImportError:
        missing("BuildKit's Dockerfile parser", "pip install dockerfile")
    return dockerfile


def nginx_tokens(config: str) -> Iterator[str]:
    """nginx's tokens: `{`, `}`, `;` and words; quotes group and backslashes escape;
    `#` where a token starts begins a comment."""
    i, n = 0, len(config)
    while i < n:
        char = config[i]
        if char.isspace():
            i += 1
        elif char == "#":
            while i < n and config[i] != "\n":
                i += 1
        elif char in "{};":
            yield char
            i += 1
        else:
            word: list[str] = []
            quote = char if char in "\"'" else None
            i += 1 if quote else 0
            while i < n:
                char = config[i]
                if char == "\\" and i + 1 < n:
                    word.append(config[i : i + 2])
                    i += 2
                    continue
                if quote and char == quote:
                    i += 1
                    break
                if not quote and (char.isspace() or char in "{};"):
                    break
                word.append(char)
                i += 1
            yield "W:" + "".join(word)


def statements(config: str) -> list[tuple[str, int, str]]:
    """Each nginx statement: its directive, how many arguments, how it ends (`;`, `{`, `}`)."""
    shapes: list[tuple[str, int, str]] = []
    words: list[str] = []
    for token in nginx_tokens(config):
        if token in ("{", "}", ";"):
            shapes.append((words[0] if words else "", len(words), token))
            words = []
        else:
            words.append(token)
    return shapes


def entries(value: Any) -> int:
    """How many mapping entries and list items a YAML or JSON document has, all levels:
    what a value that stays data cannot change. (Named volumes are declared at the top
    of a Compose file, one for each: a volume source that becomes a path declares one
    fewer, so that mapping is left out.)"""
    if isinstance(value, dict):
        items = [v for k, v in value.items() if k != "volumes" or value.get("services") is None]
        return len(items) + sum(entries(item) for item in items)
    if isinstance(value, list):
        return len(value) + sum(entries(item) for item in value)
    return 0


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def unescaped(value: Any) -> Any:
    """Compose's `config` output with each `$$` read back as the `$` it stands for."""
    if isinstance(value, dict):
        return {key: unescaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unescaped(item) for item in value]
    return value.replace("$$", "$") if isinstance(value, str) else value


def holds(data: Any, forms: set[str]) -> bool:
    """Whether one of the forms is a string of data, or part of one; or else, whether
    the colon-separated pieces of one are each part of another of one mapping's own
    values (Compose reads a short `ports` or `volumes` entry into the fields of one
    long-form entry)."""
    if "" in forms:  # blank text, trimmed away
        return True
    texts = [*strings(data), *(str(n) for n in numbers(data))]
    if any(form in text for text in texts for form in forms if form):
        return True
    split = [[p for p in form.split(":") if p] for form in forms if ":" in form]
    return any(_apart(pieces, own) for own in _own_values(data) for pieces in split if pieces)


def _apart(pieces: list[str], texts: list[str]) -> bool:
    """Whether each piece is part of a text of its own (a matching, found by augmenting
    paths: a piece takes a free text, or one whose piece can move to another)."""
    holder: dict[int, int] = {}  # text -> piece

    def take(piece: int, seen: set[int]) -> bool:
        for i, text in enumerate(texts):
            if i not in seen and pieces[piece] in text:
                seen.add(i)
                if i not in holder or take(holder[i], seen):
                    holder[i] = piece
                    return True
        return False

    return all(take(piece, set()) for piece in range(len(pieces)))


def _own_values(value: Any) -> Iterator[list[str]]:
    """For each mapping in a JSON value, its scalar values as text (not its keys, not
    what the mappings and lists under it hold)."""
    if isinstance(value, dict):
        yield [
            str(item)
            for item in value.values()
            if isinstance(item, str | int | float) and not isinstance(item, bool)
        ]
    if isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _own_values(item)


def numbers(value: Any) -> Iterator[int | float]:
    if isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from numbers(item)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield value


def split_strings(written: Any, read: Any) -> Iterator[tuple[str, list[str]]]:
    """Each string of a Compose file (as written, read as YAML) that Compose's reading
    turns into a list of words (a string `command`, not a healthcheck's kept whole), with
    those words; `$$` read as `$`. Strings with references are left out: their words
    depend on values not known here."""
    if isinstance(written, dict) and isinstance(read, dict):
        for key in written.keys() & read.keys():
            yield from split_strings(written[key], read[key])
    elif isinstance(written, list) and isinstance(read, list):
        for one, other in zip(written, read, strict=False):
            yield from split_strings(one, other)
    elif isinstance(written, str) and isinstance(read, list):
        text = written.replace("$$", "$")
        words = [str(word).replace("$$", "$") for word in read]
        if "${" not in written.replace("$$", "") and text not in words:
            yield text, words


def loses(text: str, words: list[str]) -> bool:
    """Whether words split from text lost a character of it (Compose stops at an unquoted
    `;`, `&`, `|`, `<` or `>` and drops the rest); quotes, backslashes and spaces may go."""
    return re.sub(r"[\s'\"\\]", "", text) != re.sub(r"[\s'\"\\]", "", "".join(words))


def only_comments_differ(before: bytes, after: bytes) -> bool:
    """Whether the two versions of a file differ in comment lines only."""

    def code(data: bytes) -> list[str]:
        return [line for line in data.decode().splitlines() if not line.lstrip().startswith("#")]

    return code(before) == code(after)
