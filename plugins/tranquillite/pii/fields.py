"""Which strings of a record the personal-data detectors read: every free one.

A string is free unless its contract pins it to a format, a pattern, an
enumeration or a constant: a UUID, a date-time or an `etat` cannot hold a name,
anything else can. Field names the contract does not define are read too (a
source can put a name in a key), and so is everything below them. The list
comes from the JSON Schema itself, so a field the DPO approved, a feed's
free-form properties and every address label are read without anyone listing
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

PINNING = ("enum", "const", "pattern", "format")


class SchemaWalker:
    """Walks a record beside its JSON Schema (draft 2020-12, local `$ref`s)."""

    def __init__(self, root: dict) -> None:
        self.root = root
        self._flat: dict[int, tuple[dict, ...]] = {}

    def _resolve(self, ref: str) -> Any:
        node: Any = self.root
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def applicable(self, schema: Any) -> tuple[dict, ...]:
        """The schema and every subschema that may apply to the same value ($ref, allOf,
        anyOf, oneOf, if/then/else), flattened; `true` and `{}` leave nothing pinned."""
        if not isinstance(schema, dict):
            return ()
        key = id(schema)
        if key not in self._flat:
            out: list[dict] = [schema]
            if "$ref" in schema:
                out.extend(self.applicable(self._resolve(schema["$ref"])))
            for word in ("allOf", "anyOf", "oneOf"):
                for sub in schema.get(word, ()):
                    out.extend(self.applicable(sub))
            for word in ("then", "else"):
                out.extend(self.applicable(schema.get(word)))
            self._flat[key] = tuple(out)
        return self._flat[key]

    def free_strings(
        self, value: Any, schemas: tuple[dict, ...] | None = None, path: str = ""
    ) -> Iterator[tuple[str, str]]:
        """(path, text) of every free string in `value`; a field name outside the contract
        comes as `<path>.{name}`, its value below it."""
        if schemas is None:
            schemas = self.applicable(self.root)
        if isinstance(value, str):
            if not any(word in s for s in schemas for word in PINNING):
                yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                key = str(key)
                here = f"{path}.{key}" if path else key
                subs = [s["properties"][key] for s in schemas if key in s.get("properties", {})]
                if not subs:
                    yield (f"{path}.{{{key}}}" if path else f"{{{key}}}"), key
                    subs = [
                        s["additionalProperties"] for s in schemas if isinstance(s.get("additionalProperties"), dict)
                    ]
                subs += [s["patternProperties"][p] for s in schemas for p in s.get("patternProperties", {})]
                flat = tuple(f for sub in subs for f in self.applicable(sub))
                if flat:
                    yield from self.free_strings(item, flat, here)
                else:
                    yield from every_string(item, here)
        elif isinstance(value, list):
            flat = tuple(f for s in schemas if isinstance(s.get("items"), dict) for f in self.applicable(s["items"]))
            for i, item in enumerate(value):
                if flat:
                    yield from self.free_strings(item, flat, f"{path}[{i}]")
                else:
                    yield from every_string(item, f"{path}[{i}]")


def every_string(value: Any, path: str = "", known: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """Every string, and every field name outside `known`: for a record that broke its
    contract, since nobody vetted what it carries."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            if key not in known:
                yield (f"{path}.{{{key}}}" if path else f"{{{key}}}"), key
            yield from every_string(item, f"{path}.{key}" if path else key, known)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from every_string(item, f"{path}[{i}]", known)
