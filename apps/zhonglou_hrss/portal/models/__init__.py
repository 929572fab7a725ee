from zhonglou_hrss.portal.models.concerns import Concern, ConcernEvent, ConcernStatus
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

__all__ = ["Attendee", "Concern", "ConcernEvent", "ConcernStatus", "Gender", "JobFair", "JobFairAttachment",
           "News", "NewsAttachment", "Position", "Registration", "RegistrationEvent", "RegistrationStatus"]
