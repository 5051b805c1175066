"""Value types of alert routing: label names and matchers, URLs, e-mail addresses, SMTP hosts.

Alertmanager reads some of its fields as Go templates (an e-mail's `to` and `from`, a
Slack channel), so none of these types holds `{` or `}`; none holds a control character
or whitespace. A matcher is parsed and written back in one canonical, quoted form.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from pivotal_gen.model import promql
from pivotal_gen.model.fields import CONTROL, has_control, text_pattern

LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
# Prometheus label names.
LabelName = Annotated[str, text_pattern(LABEL, "label name", "severity")]

_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*"
# A bare address (no display name): the characters mail systems agree on.
EmailAddress = Annotated[
    str, text_pattern(rf"[A-Za-z0-9._%+-]+@{_DOMAIN}", "e-mail address", "ops@example.com")
]
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
# Where Alertmanager sends mail: a host (or an IP, IPv6 in brackets) and a port, both needed.
SmtpHost = Annotated[
    str,
    text_pattern(
        rf"(?:{_DOMAIN}|\[[0-9A-Fa-f:.]+\]):{_PORT}", "SMTP host:port", "smtp.example.com:587"
    ),
]
# A Slack channel name or id, with its `#` (or a user's `@`).
SlackChannel = Annotated[
    str, text_pattern(r"[#@]?[A-Za-z0-9][A-Za-z0-9._-]{0,79}", "Slack channel", "#alerts")
]

_URL_REFUSED = re.compile(rf"[\s{CONTROL}\"'<>\\{{}}`|^]")


def _http_url(value: str) -> str:
    """An http(s) URL with a host. A plain ValueError, so that the message never repeats
    the value: a URL with a credential in it must not reach a CI log either."""

    def refuse(why: str) -> ValueError:
        return ValueError(f"not a URL Alertmanager can use: {why}")

    if _URL_REFUSED.search(value):
        raise refuse("no whitespace, quotes, <>, braces, backslash, | or control characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise refuse("it needs http:// or https:// and a host (e.g. https://alerts.example.com/)")
    if parts.username is not None or parts.password is not None:
        # Never in the spec: the URL lands in a generated file and in git.
        raise refuse(
            "credentials do not belong in a URL in the spec (a webhook takes a secret one "
            "as url_secret)"
        )
    try:
        port = parts.port  # raises on a port that is not a number or above 65535
    except ValueError:
        port = 0
    if port == 0:
        raise refuse("its port is not a number from 1 to 65535")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]

# `label op value`; the value double-quoted (with \" and \\) or bare.
_MATCHER = re.compile(
    rf"\s*(?P<label>{LABEL})\s*(?P<op>=~|!~|!=|=)\s*"
    r'(?:"(?P<quoted>(?:[^"\\]|\\["\\])*)"|(?P<bare>[^\s"\\{},=!~]*))\s*'
)


def _matcher(value: str) -> str:
    match = _MATCHER.fullmatch(value)
    if match is None:
        raise PydanticCustomError(
            "matcher",
            "{value} is not a matcher: label, one of = != =~ !~, and a value, e.g. "
            'severity="critical" (inside quotes only \\" and \\\\ are escapes)',
            {"value": repr(value)},
        )
    text = match["bare"] if match["quoted"] is None else re.sub(r"\\(.)", r"\1", match["quoted"])
    if has_control(text):
        raise PydanticCustomError(
            "matcher",
            "{value}: a matcher's value holds no control character",
            {"value": repr(value)},
        )
    why = promql.regex_problem(text) if match["op"] in ("=~", "!~") else None
    if why is not None:
        raise PydanticCustomError(
            "matcher",
            "{value}: not a regular expression Alertmanager reads ({why})",
            {"value": repr(value), "why": why},
        )
    return matcher_text(match["label"], match["op"], text)


def matcher_text(label: str, op: str, value: str) -> str:
    """The canonical form Alertmanager's old and new matcher parsers both read (the
    value holds no control character: the model refuses one)."""
    return f"{label}{op}{promql.quoted(value)}"


# Written as Alertmanager writes them; stored (and rendered) in the canonical form.
Matcher = Annotated[str, AfterValidator(_matcher)]
