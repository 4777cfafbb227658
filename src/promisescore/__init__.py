"""promisescore: score how far promises were fulfilled, from plain rubric files.

The library is used as ``files → model → scorecard → renderer``::

    import promisescore

    rubric = promisescore.load("rubrics/us-immigration-2021.toml")
    card = promisescore.score(rubric, as_of="2022-01-20")
    print(card.overall.score, card.overall.grade)
    print(promisescore.render(card, "markdown"))

Names are imported on first use (PEP 562), so ``import promisescore`` and the CLI start
quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .analysis import (
        Agreement,
        Comparison,
        Diff,
        Sensitivity,
        Timeline,
        agreement,
        compare,
        diff,
        sensitivity,
        timeline,
    )
    from .archives import Verification, verify
    from .errors import (
        CODES,
        InputFileError,
        Problem,
        PromisescoreError,
        RubricError,
        UnknownIdError,
    )
    from .loading import CheckResult, check_text, load, loads
    from .model import (
        Assessment,
        Assessor,
        Category,
        Criterion,
        Evidence,
        GradeBand,
        Grading,
        Level,
        Promise,
        Report,
        Rubric,
        Scale,
        Source,
        Target,
    )
    from .renderers import RenderOptions, render
    from .safe_write import OutputError
    from .scales import PRESETS
    from .scoring import Explanation, Scorecard, explain, score
    from .scoring.verdicts import check, lint
    from .serialize import dump, dumps

_LAZY: dict[str, str] = {
    "Agreement": "analysis",
    "Comparison": "analysis",
    "Diff": "analysis",
    "Sensitivity": "analysis",
    "Timeline": "analysis",
    "agreement": "analysis",
    "compare": "analysis",
    "diff": "analysis",
    "sensitivity": "analysis",
    "timeline": "analysis",
    "Verification": "archives",
    "verify": "archives",
    "CODES": "errors",
    "InputFileError": "errors",
    "Problem": "errors",
    "PromisescoreError": "errors",
    "RubricError": "errors",
    "UnknownIdError": "errors",
    "CheckResult": "loading",
    "check": "scoring.verdicts",
    "check_text": "loading",
    "lint": "scoring.verdicts",
    "load": "loading",
    "loads": "loading",
    "Assessment": "model",
    "Assessor": "model",
    "Category": "model",
    "Criterion": "model",
    "Evidence": "model",
    "GradeBand": "model",
    "Grading": "model",
    "Level": "model",
    "Promise": "model",
    "Report": "model",
    "Rubric": "model",
    "Scale": "model",
    "Source": "model",
    "Target": "model",
    "OutputError": "safe_write",
    "RenderOptions": "renderers",
    "render": "renderers",
    "PRESETS": "scales",
    "Explanation": "scoring",
    "Scorecard": "scoring",
    "explain": "scoring",
    "score": "scoring",
    "dump": "serialize",
    "dumps": "serialize",
}

__all__ = [
    "CODES",
    "PRESETS",
    "Agreement",
    "Assessment",
    "Assessor",
    "Category",
    "CheckResult",
    "Comparison",
    "Criterion",
    "Diff",
    "Evidence",
    "Explanation",
    "GradeBand",
    "Grading",
    "InputFileError",
    "Level",
    "OutputError",
    "Problem",
    "Promise",
    "PromisescoreError",
    "RenderOptions",
    "Report",
    "Rubric",
    "RubricError",
    "Scale",
    "Scorecard",
    "Sensitivity",
    "Source",
    "Target",
    "Timeline",
    "UnknownIdError",
    "Verification",
    "__version__",
    "agreement",
    "check",
    "check_text",
    "compare",
    "diff",
    "dump",
    "dumps",
    "explain",
    "lint",
    "load",
    "loads",
    "render",
    "score",
    "sensitivity",
    "timeline",
    "verify",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'promisescore' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
