from zhonglou_hrss.portal.models.concerns import Concern, ConcernEvent, ConcernNumberSequence, ConcernStatus
from zhonglou_hrss.portal.models.news import News, NewsAttachment

__all__ = ["Concern", "ConcernEvent", "ConcernNumberSequence", "ConcernStatus", "News", "NewsAttachment"]
