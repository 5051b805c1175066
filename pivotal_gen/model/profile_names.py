"""A profile's names that match nothing in the spec: almost always typos.

A profile adjusts the spec's services, variables and image recipes by name. It may add a
whole new one, but an entry that names none of the spec's and lacks what a new one needs
(a service's `layer`, say) is a misspelt name; validating it would only say that `layer`
is missing. A `null` that removes a key the spec does not have removes nothing, also a typo.
"""

from __future__ import annotations

from typing import Any

from pivotal_gen.errors import suggest
from pivotal_gen.source.paths import DataPath, Finding

# Named collections: (path, what one is called, the key every new one must have).
_COLLECTIONS: tuple[tuple[DataPath, str, str], ...] = (
    (("services",), "service", "layer"),
    (("variables",), "variable", "description"),
    (("images",), "image recipe", "kind"),
)


def unknown_names(spec: Any, profile: Any, spec_name: str) -> list[Finding]:
    """Findings at the profile's entries that can only be typos of the spec's names."""
    findings: list[Finding] = []
    for path, noun, needed in _COLLECTIONS:
        known = _mapping(spec, path)
        for name, entry in _mapping(profile, path).items():
            if name in known or (isinstance(entry, dict) and needed in entry):
                continue
            hint = suggest(str(name), [str(k) for k in known])
            if entry is None:
                message = f"removes {noun} {name!r}, which {spec_name} does not have{hint}"
            else:
                message = (
                    f"no {noun} {name!r} in {spec_name}{hint}; a profile adjusts the spec's "
                    f"{path[-1]} by name, and a new {noun} needs its {needed!r}"
                )
            findings.append(((*path, name), message))
    findings += _removes_nothing(spec, profile, (), {p for p, _, _ in _COLLECTIONS}, spec_name)
    return findings


def _removes_nothing(
    spec: Any, profile: Any, path: DataPath, skip: set[DataPath], spec_name: str
) -> list[Finding]:
    """`key: null` where the spec has no such key: the null does nothing."""
    if not isinstance(profile, dict) or not isinstance(spec, dict):
        return []
    findings: list[Finding] = []
    for key, value in profile.items():
        child = (*path, key)
        # Named entries are judged above, with their own message.
        if value is None and key not in spec and path not in skip:
            hint = suggest(str(key), [str(k) for k in spec])
            findings.append((child, f"null removes nothing: {spec_name} has no {key!r} here{hint}"))
        elif isinstance(value, dict):
            findings += _removes_nothing(spec.get(key), value, child, skip, spec_name)
    return findings


def _mapping(data: Any, path: DataPath) -> dict[Any, Any]:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}
