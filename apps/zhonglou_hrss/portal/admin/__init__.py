"""The portal's lists in the desk: policy news, urgent concerns, job fairs and
their registrations (the
enterprise accounts' list is core's: ``core.admin.accounts``)."""

from zhonglou_hrss.portal.admin import concerns, jobfairs, news  # noqa: F401  (registers them with the desk site)
