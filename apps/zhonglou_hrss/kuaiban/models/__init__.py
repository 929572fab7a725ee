from zhonglou_hrss.kuaiban.models.cases import Case, CaseCompanion, CaseNumberSequence, CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.models.counts import CaseCount
from zhonglou_hrss.kuaiban.models.events import CaseEvent
from zhonglou_hrss.kuaiban.models.petitions import Petition, PetitionCompanion, PetitionEvent
from zhonglou_hrss.kuaiban.models.rounds import GridOutcome, GridRound, InspectorAssignment

__all__ = [
    "Case", "CaseCompanion", "CaseCount", "CaseEvent", "CaseNumberSequence", "CaseSource", "CaseStatus",
    "GridOutcome", "GridRound", "InspectorAssignment", "Petition", "PetitionCompanion", "PetitionEvent",
]
