from .records import CountyRecord, RecordStatus, SchoolRecord
from .units import City, County, Province, School
from .workflow import (
    CityReview,
    EvaluationResult,
    EvaluationRun,
    Evidence,
    ProvinceTarget,
    Role,
    UserProfile,
)

__all__ = [
    "City",
    "CityReview",
    "County",
    "CountyRecord",
    "EvaluationResult",
    "EvaluationRun",
    "Evidence",
    "Province",
    "ProvinceTarget",
    "RecordStatus",
    "Role",
    "School",
    "SchoolRecord",
    "UserProfile",
]
