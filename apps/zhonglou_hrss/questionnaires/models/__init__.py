from zhonglou_hrss.questionnaires.models.definitions import (
    Aggregation,
    Audience,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    Version,
    VersionStatus,
)
from zhonglou_hrss.questionnaires.models.responses import ClientHrCompany, Response, ResponseEvent

__all__ = ["Aggregation", "Audience", "ClientHrCompany", "Option", "Question", "QuestionType", "Questionnaire",
           "Response", "ResponseEvent", "Section", "Version", "VersionStatus"]
