"""What a static site's nginx does at the edge besides serving files: the API it
proxies to a service, and the security headers it sends on every response.

Every value here lands in nginx.conf, so each is one of a fixed set of words or
matches a pattern that holds none of nginx's syntax: no quotes, `;`, `{`, `}`, `#`,
`$`, backslashes, whitespace or control characters. model/edge_plan.py computes the
service and port the API goes to, and checks/edge.py checks them against the services.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from pivotal_gen.model.fields import PortNumber, ServiceName, StrictModel, text_pattern

# `/`, then path segments of URL-unreserved characters, each ending in `/` (a prefix
# without it would also match /apiary); a segment does not start with a dot.
_PREFIX = r"/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)+"
ApiPrefix = Annotated[
    str,
    text_pattern(_PREFIX, "API prefix (a path that ends in /)", "/api/"),
    Field(json_schema_extra={"pattern": f"^{_PREFIX}$"}),
]


class ApiProxy(StrictModel):
    """Requests under `prefix` go, their path unchanged, to a service on the Compose network."""

    prefix: ApiPrefix = Field(default="/api/", description="The URL prefix nginx forwards.")
    service: ServiceName = Field(
        description="The service that answers the API; the site's service must depend on it."
    )
    port: PortNumber | None = Field(
        default=None, description="The container port it answers on; its http.port by default."
    )


# CSP keywords, written bare in the spec (`self`) and quoted in the header (`'self'`).
CSP_KEYWORDS = frozenset(
    {"none", "self", "unsafe-inline", "unsafe-eval", "unsafe-hashes", "strict-dynamic"}
    | {"report-sample", "wasm-unsafe-eval", "inline-speculation-rules"}
)
_CSP_HASH = re.compile(r"sha(?:256|384|512)-[A-Za-z0-9+/_-]+={0,2}")
# A scheme (`https:`), a host (`*.example.com:443/path`), `*`, or a hash: URL characters
# without the CSP's separators (`;`, `,`, whitespace) or quotes.
_CSP_SOURCE = r"[A-Za-z0-9*][A-Za-z0-9._~:/?@!&=+*%-]*"
_CSP_SOURCE_RE = re.compile(_CSP_SOURCE)


def _csp_source(value: str) -> str:
    bare = value.strip("'")
    if bare != value and (bare in CSP_KEYWORDS or _CSP_HASH.fullmatch(bare)):
        raise PydanticCustomError(
            "csp_source",
            "write {bare} without quotes: the header quotes keywords and hashes itself",
            {"bare": bare},
        )
    if not _CSP_SOURCE_RE.fullmatch(value):
        raise PydanticCustomError(
            "csp_source",
            "{value} is not a CSP source: a keyword without quotes (none, self), a hash "
            "(sha256-...), a scheme (https:) or a host (cdn.example.com)",
            {"value": repr(value)},
        )
    return value


def _none_alone(sources: list[str]) -> list[str]:
    if "none" in sources and len(sources) > 1:
        raise PydanticCustomError("csp_none", "none allows nothing: list it alone")
    return sources


CspDirective = Annotated[
    str, text_pattern(r"[a-z]+(?:-[a-z]+)*", "CSP directive", "frame-ancestors, default-src")
]
CspSource = Annotated[
    str,
    AfterValidator(_csp_source),
    Field(json_schema_extra={"pattern": f"^{_CSP_SOURCE}$"}),
]
CspSources = Annotated[list[CspSource], AfterValidator(_none_alone)]


def _false_is_off(value: Any) -> Any:
    # `false`, not `null`: in a profile, `null` removes the key and the default returns.
    return None if value is False else value


def _not_a_number(value: Any) -> Any:
    # A Literal takes 0 for False: the header would be left out by a typo.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "header_value",
            "{value} is a number: give a value, or false to leave it out",
            {"value": value},
        )
    return value


# `false` leaves a header out; one Literal, so that a wrong value gets one plain message.
Exact = BeforeValidator(_not_a_number)
ContentTypeOptions = Annotated[Literal["nosniff", False], Exact]
FrameOptions = Annotated[Literal["DENY", "SAMEORIGIN", False], Exact]
ReferrerPolicy = Annotated[
    Literal[
        "no-referrer",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
        False,
    ],
    Exact,
]
ContentSecurityPolicy = Annotated[
    dict[CspDirective, CspSources] | None,
    BeforeValidator(
        _false_is_off, json_schema_input_type=dict[CspDirective, CspSources] | Literal[False]
    ),
]


class SecurityHeaders(StrictModel):
    """Sent on every response, errors included; `false` leaves one out."""

    content_type_options: ContentTypeOptions = Field(
        default="nosniff",
        alias="X-Content-Type-Options",
        description="Browsers take the Content-Type as given instead of guessing.",
    )
    frame_options: FrameOptions = Field(
        default="DENY", alias="X-Frame-Options", description="Who may show the site in a frame."
    )
    content_security_policy: ContentSecurityPolicy = Field(
        default_factory=lambda: {"frame-ancestors": ["none"]},
        alias="Content-Security-Policy",
        description="Directive -> sources; keywords without quotes (none, self), hosts, "
        "schemes (https:) or hashes (sha256-...).",
    )
    referrer_policy: ReferrerPolicy = Field(
        default="strict-origin-when-cross-origin",
        alias="Referrer-Policy",
        description="How much of the page's URL other sites see.",
    )

    def sent(self) -> list[tuple[str, str]]:
        """(name, value) of each header sent, in a fixed order."""
        headers: list[tuple[str, str | Literal[False]]] = [
            ("X-Content-Type-Options", self.content_type_options),
            ("X-Frame-Options", self.frame_options),
            ("Content-Security-Policy", self._policy()),
            ("Referrer-Policy", self.referrer_policy),
        ]
        return [(name, value) for name, value in headers if value]

    def _policy(self) -> str | Literal[False]:
        if self.content_security_policy is None:
            return False
        return "; ".join(
            " ".join([directive, *map(csp_quoted, sources)])
            for directive, sources in self.content_security_policy.items()
        )


def csp_quoted(source: str) -> str:
    """A source as the header spells it: keywords and hashes in single quotes."""
    return f"'{source}'" if source in CSP_KEYWORDS or _CSP_HASH.fullmatch(source) else source
