"""junheng（均衡）: 县域义务教育优质均衡发展评估.

The public API::

    import junheng
    data = junheng.read_workbook("县域数据.xlsx")
    ev = junheng.evaluate(data, "national-2017")
    ev.counties[0].recognised, ev.to_json()
"""

from .engine.api import evaluate, evaluate_file, evaluate_frames
from .errors import Finding, InputError, JunhengError, StandardError
from .reader import Dataset, read_workbook
from .results import CountyResult, Evaluation, ItemResult, PartResult, SchoolResult, StageResult
from .standard import DEFAULT_STANDARD, Indicator, Standard, list_standards, load_standard
from .workbook import write_workbook

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_STANDARD",
    "CountyResult",
    "Dataset",
    "Evaluation",
    "Finding",
    "Indicator",
    "InputError",
    "ItemResult",
    "JunhengError",
    "PartResult",
    "SchoolResult",
    "StageResult",
    "Standard",
    "StandardError",
    "evaluate",
    "evaluate_file",
    "evaluate_frames",
    "list_standards",
    "load_standard",
    "read_workbook",
    "write_workbook",
]
