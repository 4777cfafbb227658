"""The loader's fast path: clean tables straight to model objects.

Most tables of a big rubric have nothing wrong with them. For those, one generated
function per object kind checks the table's keys with set operations, checks and
converts each value with straight-line code (interning the short strings that repeat
and sharing equal dates), and fills the attrs object's slots directly — the work of
the class's ``__init__`` without its keyword-argument dispatch — before running the
class's own ``__attrs_post_init__`` checks. Anything unexpected makes it return
``None`` (or raise :class:`~promisescore.errors.RubricError` from the model's checks),
and :class:`~promisescore.loading.structure.Builder` then takes the full path, which
reports every problem with its location.

The code is generated from the loader's schema (``structure.SCHEMAS``: each key's type
tag and whether it is required) and the model class's attrs fields; nothing here repeats
a key list. Its source is registered with :mod:`linecache`, as attrs does for the
methods it generates, so tracebacks and debuggers show the generated lines
(:func:`source_of` returns it too).
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

import attrs

from ..fields import repeated
from .files import FLOAT_MAX

#: Keys whose short string values repeat across a rubric (interned by the fast path):
#: ids, references, assessor names and kinds, as ``(kind, key)``; a fact of the field
#: table (:func:`promisescore.fields.repeated`).
REPEATED: frozenset[tuple[str, str]] = repeated()


class FastBuilder(Protocol):
    """What the generated code uses of the loader's ``Builder``."""

    names: dict[str, str]

    def date(self, value: Any) -> date | None: ...


#: ``build(builder, raw)``: the model object of a clean table, or ``None``.
Build = Callable[[Any, dict[str, Any]], Any]

_MISSING: Any = object()


class Prebuilt(list[Any]):
    """An array of a rubric file already turned into model objects, every one clean,
    in file order (see :mod:`.typed`); ``structure.Builder.array`` takes them as they
    are."""

    __slots__ = ()


#: How each (fast) tag checks and converts ``v`` in place; ``return None`` sends the
#: table to the full path, which says what is wrong.
_SNIPPETS: dict[str, tuple[str, ...]] = {
    "name": (
        "if type(v) is not str: return None",
        "v = intern(v, v)",
    ),
    "str": ("if type(v) is not str: return None",),
    "number": (
        "t = type(v)",
        "if t is not float and t is not int: return None",
        "if t is int and not -FLOAT_MAX <= v <= FLOAT_MAX: return None",
    ),
    "bool": ("if type(v) is not bool: return None",),
    "meta": ("if type(v) is not dict: return None",),
    "date": (
        "v = date_of(v)",
        "if v is None: return None",
    ),
    "deadline": (
        'if type(v) is not str or (len(v) == 10 and v[4:5] == "-"):',
        "    v = date_of(v)  # else a duration or 'end-of-term': the model checks it",
        "    if v is None: return None",
    ),
    "strs": (
        "if type(v) is not list: return None",
        "for item in v:",
        "    if type(item) is not str: return None",
        "v = tuple(v)",
    ),
    "names": (
        "if type(v) is not list: return None",
        "for item in v:",
        "    if type(item) is not str: return None",
        "v = tuple([intern(item, item) for item in v])",
    ),
    "source": (
        "if type(v) is str:",
        "    v = citation(v)",
        "elif type(v) is dict:",
        "    sub = fast.get('source')",
        "    if sub is None: return None",
        "    v = sub(builder, v)",
        "    if v is None: return None",
        "else:",
        "    return None",
    ),
}


#: The same for a value msgspec has already decoded to its schema type (see
#: :mod:`.typed`): only what the type does not say is left to check.
_STRUCT_SNIPPETS: dict[str, tuple[str, ...]] = {
    "name": ("v = intern(v, v)",),
    "str": (),
    "number": ("if type(v) is int and not -FLOAT_MAX <= v <= FLOAT_MAX: return None",),
    "bool": (),
    "meta": (
        "v = meta_of(builder, v)",
        "if v is None: return None",
    ),
    "date": _SNIPPETS["date"],
    "deadline": _SNIPPETS["deadline"],
    "strs": ("v = tuple(v)",),
    "names": ("v = tuple([intern(item, item) for item in v])",),
    "source": (
        "if type(v) is str:",
        "    v = citation(v)",
        "else:",
        "    v = fast['source'](builder, v)",
        "    if v is None: return None",
    ),
}


def _struct_snippet(tag: str) -> tuple[str, ...] | None:
    if tag.startswith("table:"):
        return (f"v = fast[{tag[6:]!r}](builder, v)", "if v is None: return None")
    if tag.startswith("tables:"):
        return (
            f"sub = fast[{tag[7:]!r}]",
            "items = []",
            "for item in v:",
            "    item = sub(builder, item)",
            "    if item is None: return None",
            "    items.append(item)",
            "v = tuple(items)",
        )
    return _STRUCT_SNIPPETS.get(tag)


def _fast_tag(kind: str, key: str, tag: str) -> str:
    if (kind, key) in REPEATED and tag in ("id", "str"):
        return "name"
    if tag == "ids":
        return "names"
    if tag == "id":
        return "str"
    return tag


_sources: dict[str, str] = {}


def source_of(build: Build) -> str:
    """The generated source of a fast-path function (as tracebacks show it)."""
    return _sources[build.__code__.co_filename]


def _register(filename: str, source: str) -> str:
    """Make ``source`` what :mod:`linecache` returns for ``filename`` (as attrs does in
    ``_linecache_and_compile``): a ``None`` modification time keeps ``checkcache`` from
    dropping it. A name already used by other source gets a numbered suffix."""
    unique, number = filename, 1
    while _sources.get(unique, source) != source:
        number += 1
        unique = f"{filename[:-1]}-{number}>"
    _sources[unique] = source
    linecache.cache[unique] = (len(source), None, source.splitlines(True), unique)
    return unique


def compile_kind(
    kind: str,
    schema: Mapping[str, tuple[str, bool]],
    cls: type,
    fast: Mapping[str, Build],
    citation: Callable[[str], Any] | None = None,
    *,
    struct: bool = False,
    meta_of: Callable[[Any, Any], Any] | None = None,
    unchecked: bool = False,
) -> Build | None:
    """The fast path of one object kind, or ``None`` when ``cls`` cannot be filled
    directly (a schema key that is not one of its fields, a validator, a default that
    needs the object): such kinds always take the full path.

    ``schema`` maps each key to ``(tag, required)``; ``fast`` holds the other kinds'
    fast paths (looked up when called, for nested tables such as a source); ``citation``
    builds a source from a citation string.

    With ``struct``, the function reads a msgspec struct whose types already match
    the schema (unset keys are ``msgspec.UNSET``) and adds the number of keys it read
    to ``builder.keys`` (the duplicate-key check of :mod:`.typed`); ``meta_of(builder,
    raw)`` parses a ``meta`` table given as raw JSON.

    With ``unchecked``, the class's ``__attrs_post_init__`` is not run: the object is
    appended to ``builder.unchecked[kind]`` instead, for the column-wise proofs of
    :mod:`.proofs` (which run it on every object of a column they cannot prove).
    """
    fields = {field.name: field for field in attrs.fields(cls)}
    if not set(schema) <= set(fields) or getattr(cls, "__attrs_pre_init__", None):
        return None
    namespace: dict[str, Any] = {
        "ALLOWED": frozenset(schema),
        "REQUIRED": frozenset(key for key, (_, required) in schema.items() if required),
        "MISSING": _MISSING,
        "FLOAT_MAX": FLOAT_MAX,
        "new": object.__new__,
        "CLS": cls,
        "fast": fast,
        "citation": citation,
        "meta_of": meta_of,
    }
    if struct:
        import msgspec

        namespace["MISSING"] = msgspec.UNSET
        lines = [
            "def build(builder, raw):",
            f"    n = {len(namespace['REQUIRED'])}",
        ]
    else:
        lines = [
            "def build(builder, raw):",
            "    keys = raw.keys()",
            "    if not keys <= ALLOWED or not REQUIRED <= keys:",
            "        return None",
        ]
    lines += [
        "    intern = builder.names.setdefault",
        "    date_of = builder.date",
        "    obj = new(CLS)",
    ]
    for name, field in fields.items():
        if field.validator is not None or isinstance(field.converter, attrs.Converter):
            return None
        namespace[f"set_{name}"] = cls.__dict__[name].__set__
        converter = field.converter
        if converter is not None:
            namespace[f"convert_{name}"] = converter
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                return None
            namespace[f"default_{name}"] = default.factory
            default_expr = f"default_{name}()"
        elif default is attrs.NOTHING:
            default_expr = ""
        else:
            namespace[f"default_{name}"] = default
            default_expr = f"default_{name}"
        convert = [f"v = convert_{name}(v)"] if converter is not None else []
        # the default as __init__ would store it: converted, unless converting it
        # gives the very same object (EMPTY_META, (), None, 1.0)
        if default_expr and (
            converter is None or (default_expr.endswith(")") or converter(default) is not default)
        ):
            missing = [f"v = {default_expr}", *convert]
        elif default_expr:
            missing = [f"v = {default_expr}"]
        else:
            missing = ["return None"]  # a required field the file does not give
        if name in schema:
            tag, required = schema[name]
            fast_tag = _fast_tag(kind, name, tag)
            if struct:
                snippet = _struct_snippet(fast_tag)
                if snippet is None:
                    return None
            else:
                snippet = _SNIPPETS.get(fast_tag)
                if snippet is None:  # tables of tables: the full path
                    lines += [f"    if {name!r} in keys:", "        return None"]
                    snippet = ()
            if required:
                lines.append(f"    v = raw.{name}" if struct else f"    v = raw[{name!r}]")
                lines += [f"    {line}" for line in (*snippet, *convert)]
            else:
                lines.append(
                    f"    v = raw.{name}" if struct else f"    v = raw.get({name!r}, MISSING)"
                )
                lines.append("    if v is MISSING:")
                lines += [f"        {line}" for line in missing]
                present = [*(["n += 1"] if struct else []), *snippet, *convert]
                if present:
                    lines.append("    else:")
                    lines += [f"        {line}" for line in present]
        elif default_expr:
            lines += [f"    {line}" for line in missing]
        else:
            return None  # a required field the files cannot give
        lines.append(f"    set_{name}(obj, v)")
    post_init = getattr(cls, "__attrs_post_init__", None)
    if post_init is not None and unchecked:
        lines.insert(1, f"    unchecked = builder.unchecked[{kind!r}].append")
        lines.append("    unchecked(obj)")
    elif post_init is not None:
        namespace["post_init"] = post_init
        lines.append("    post_init(obj)")
    if struct:
        lines.append("    builder.keys += n")
    lines.append("    return obj")
    source = "\n".join(lines) + "\n"
    what = "decoded JSON" if struct else "fast path"
    filename = _register(f"<promisescore {what} for {kind}>", source)
    exec(compile(source, filename, "exec"), namespace)
    build: Build = namespace["build"]
    return build


def fast_kinds(
    schemas: Mapping[str, Mapping[str, tuple[str, bool]]],
    classes: Mapping[str, type],
    kinds: tuple[str, ...],
    fast: dict[str, Build],
    citation: Callable[[str], Any],
) -> dict[str, Build]:
    """Compile the fast paths of ``kinds`` into ``fast`` (and return it)."""
    for kind in kinds:
        build = compile_kind(kind, schemas[kind], classes[kind], fast, citation)
        if build is not None:
            fast[kind] = build
    return fast
