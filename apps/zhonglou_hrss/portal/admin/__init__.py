"""The portal's lists in the desk: policy news, urgent concerns, job fairs and
their registrations, talent demands (the
enterprise accounts' list is core's: ``core.admin.accounts``)."""

from zhonglou_hrss.portal.admin import concerns, demands, jobfairs, news  # noqa: F401  (registers them with the desk site)
