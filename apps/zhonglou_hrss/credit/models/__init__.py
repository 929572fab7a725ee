from zhonglou_hrss.credit.models.companies import HRCompanyLicence
from zhonglou_hrss.credit.models.criteria import (
    CategoryKind,
    CriteriaCategory,
    CriteriaItem,
    CriteriaYear,
    GradeBand,
    VetoItem,
)
from zhonglou_hrss.credit.models.declarations import (
    CandidateDismissal,
    Declaration,
    DeclarationEvent,
    DeclarationItem,
    DeclarationStatus,
    Deduction,
    Evidence,
    VetoMark,
)
from zhonglou_hrss.credit.models.results import ResultRow, ResultVersion

__all__ = [
    "CandidateDismissal", "CategoryKind", "CriteriaCategory", "CriteriaItem", "CriteriaYear", "Declaration",
    "DeclarationEvent", "DeclarationItem", "DeclarationStatus", "Deduction", "Evidence", "GradeBand",
    "HRCompanyLicence", "ResultRow", "ResultVersion", "VetoItem", "VetoMark",
]
