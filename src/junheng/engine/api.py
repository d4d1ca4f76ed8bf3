"""The engine's entry points."""

from __future__ import annotations

from pathlib import Path

from ..reader import Dataset, read_workbook
from ..results import Evaluation
from ..standard import DEFAULT_STANDARD, Standard, load_standard
from .build import build_evaluation
from .frames import Frames, evaluate_frames


def evaluate(data: Dataset, standard: Standard | str = DEFAULT_STANDARD) -> Evaluation:
    """Evaluate every county in *data* under *standard* (an id, a path or a loaded one)."""
    std = load_standard(standard) if isinstance(standard, str) else standard
    return build_evaluation(evaluate_frames(data, std), data.source)


def evaluate_file(path: str | Path, standard: Standard | str = DEFAULT_STANDARD) -> Evaluation:
    std = load_standard(standard) if isinstance(standard, str) else standard
    return evaluate(read_workbook(path, std), std)


__all__ = ["Frames", "evaluate", "evaluate_file", "evaluate_frames"]
