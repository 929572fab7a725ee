from zhonglou_hrss.portal.models.concerns import Concern, ConcernEvent, ConcernStatus
from zhonglou_hrss.portal.models.demands import (
    Demand,
    DemandEvent,
    DemandMajor,
    DemandOutcome,
    DemandPosition,
    DemandService,
    DemandStatus,
    DemandTally,
    GenderRequirement,
)
from zhonglou_hrss.portal.models.jobfairs import (
    Attendee,
    Gender,
    JobFair,
    JobFairAttachment,
    Position,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from zhonglou_hrss.portal.models.news import News, NewsAttachment

__all__ = [
    "Attendee", "Concern", "ConcernEvent", "ConcernStatus", "Demand", "DemandEvent", "DemandMajor",
    "DemandOutcome", "DemandPosition", "DemandService", "DemandStatus", "DemandTally", "Gender",
    "GenderRequirement", "JobFair", "JobFairAttachment", "News", "NewsAttachment", "Position", "Registration",
    "RegistrationEvent", "RegistrationStatus",
]
