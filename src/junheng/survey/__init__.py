"""Social-recognition survey (社会认可度): questionnaires, sampling plan, paper entry and rates.

The arithmetic of the survey; the web app (collection on phones, one-time codes) calls it.
"""

from junheng.survey.paper import read_paper, write_paper_template
from junheng.survey.questionnaire import (
    GROUPS,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    default_questionnaire,
    load_questionnaire,
    questionnaire_from_dict,
)
from junheng.survey.rates import RESPONSE_SCHEMA, SurveyResult, Visits, survey_result
from junheng.survey.sampling import SamplingError, SamplingPlan, apportion, plan_sample

__all__ = [
    "GROUPS",
    "RESPONSE_SCHEMA",
    "Option",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "SamplingError",
    "SamplingPlan",
    "SurveyResult",
    "Visits",
    "apportion",
    "default_questionnaire",
    "load_questionnaire",
    "plan_sample",
    "questionnaire_from_dict",
    "read_paper",
    "survey_result",
    "write_paper_template",
]
