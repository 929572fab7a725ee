from zhonglou_hrss.portal.models.concerns import Concern, ConcernEvent, ConcernStatus
from zhonglou_hrss.portal.models.news import News, NewsAttachment

__all__ = ["Concern", "ConcernEvent", "ConcernStatus", "News", "NewsAttachment"]
