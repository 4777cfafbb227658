"""Result objects built by filling their slots: the work of an attrs ``__init__``
without its argument handling.

The scoring engine builds three result objects per promise (more with ratings); on a
rubric of a million evidence items their ``__init__`` calls are a measurable part of
``score``. :func:`filler` generates, from the class's attrs fields, a function that takes
every field positionally (in ``attrs.fields`` order, defaults included) and sets the
slots directly, as :mod:`promisescore.loading.fast` does for the model. It only does so
for a class whose ``__init__`` would do nothing more: frozen, slotted, without
validators, converters, ``on_setattr`` hooks or ``__attrs_post_init__``/
``__attrs_pre_init__`` — otherwise it raises :class:`TypeError` at import time rather
than build an object its class would not. The generated source is registered with
:mod:`linecache`, as attrs does for the methods it writes, so tracebacks show it.
tests/test_scoring_fast.py proves the objects equal to those ``__init__`` builds.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from typing import Any

import attrs


def filler(cls: type) -> Callable[..., Any]:
    """``fill(*values)``: a ``cls`` with its fields set to ``values``, in field order."""
    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slotted attrs class")
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        raise TypeError(f"{cls.__name__} has init hooks: build it with its __init__")
    fields = attrs.fields(cls)
    names = [field.name for field in fields]
    for field in fields:
        if field.validator is not None or field.converter is not None or not field.init:
            raise TypeError(f"{cls.__name__}.{field.name} needs its __init__")
    namespace: dict[str, Any] = {"new": object.__new__, "CLS": cls}
    lines = [f"def fill({', '.join(names)}):", "    obj = new(CLS)"]
    for name in names:
        namespace[f"set_{name}"] = cls.__dict__[name].__set__
        lines.append(f"    set_{name}(obj, {name})")
    lines.append("    return obj")
    source = "\n".join(lines) + "\n"
    filename = f"<promisescore filler {cls.__module__}.{cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    fill: Callable[..., Any] = namespace["fill"]
    return fill
