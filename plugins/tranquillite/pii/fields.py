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
# keywords of a subschema that only points at others
WRAPPERS = {"$ref", "oneOf", "anyOf", "allOf", "title", "description", "$comment"}


class Plan:
    """What the schema says of the values at one place of a record, compiled once."""

    __slots__ = ("pinned", "strings", "props", "extra", "items")

    def __init__(self) -> None:
        self.pinned = False  # a string here is pinned (format, pattern, enumeration)
        self.strings = True  # a valid record can hold a string here, or below
        self.props: dict[str, Plan] = {}
        self.extra: Plan | None = None  # additionalProperties / patternProperties
        self.items: Plan | None = None


class SchemaWalker:
    """Walks a record beside its JSON Schema (draft 2020-12, local `$ref`s). The schema is
    compiled into a plan once, so a record costs a walk of its own fields only, and a
    subtree that cannot hold a string in a valid record (a geometry's coordinates) is
    skipped."""

    def __init__(self, root: dict) -> None:
        self.root = root
        self._flat: dict[int, tuple[dict, ...]] = {}
        self._plans: dict[tuple[int, ...], Plan] = {}
        self.plan = self._plan(self.applicable(root))

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

    def _plan(self, schemas: tuple[dict, ...]) -> Plan:
        key = tuple(id(s) for s in schemas)
        if key in self._plans:
            return self._plans[key]
        plan = Plan()
        self._plans[key] = plan  # before the children: a recursive schema ends here
        plan.pinned = any(word in s for s in schemas for word in PINNING)
        # which JSON types a valid value may have here: the union over the subschemas (some
        # are alternatives), and any type at all if one of them says nothing of it
        types: set[str] | None = set()
        for s in schemas:
            if set(s) <= WRAPPERS:
                continue
            t = s.get("type")
            if t is None:
                types = None
                break
            types |= {t} if isinstance(t, str) else set(t)
        names = {k for s in schemas for k in s.get("properties", {})}
        for name in names:
            subs = tuple(
                f for s in schemas if name in s.get("properties", {}) for f in self.applicable(s["properties"][name])
            )
            plan.props[name] = self._plan(subs)
        extra = [s["additionalProperties"] for s in schemas if isinstance(s.get("additionalProperties"), dict)]
        extra += [p for s in schemas for p in s.get("patternProperties", {}).values()]
        if extra:
            plan.extra = self._plan(tuple(f for e in extra for f in self.applicable(e)))
        items = [s["items"] for s in schemas if isinstance(s.get("items"), dict)]
        if items:
            plan.items = self._plan(tuple(f for i in items for f in self.applicable(i)))
        if types is not None and not types & {"string", "object", "array"}:
            plan.strings = False
        elif types is not None and types <= {"array", "null", "number", "integer", "boolean"} and plan.items:
            plan.strings = plan.items.strings
        return plan

    def free_strings(self, value: Any, plan: Plan | None = None, path: str = "") -> Iterator[tuple[str, str]]:
        """(path, text) of every free string in `value`, a record that met its contract; a
        field name outside the contract comes as `<path>.{name}`, its value below it."""
        plan = self.plan if plan is None else plan
        if not plan.strings:
            return
        if isinstance(value, str):
            if not plan.pinned:
                yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                key = str(key)
                here = f"{path}.{key}" if path else key
                sub = plan.props.get(key)
                if sub is None:
                    yield (f"{path}.{{{key}}}" if path else f"{{{key}}}"), key
                    sub = plan.extra
                if sub is None:
                    yield from every_string(item, here)
                else:
                    yield from self.free_strings(item, sub, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if plan.items is None:
                    yield from every_string(item, f"{path}[{i}]")
                else:
                    yield from self.free_strings(item, plan.items, f"{path}[{i}]")


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
