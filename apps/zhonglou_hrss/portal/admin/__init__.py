"""The portal's lists in the desk: policy news and urgent concerns (the
enterprise accounts' list is core's: ``core.admin.accounts``)."""

from zhonglou_hrss.portal.admin import concerns, demands, news  # noqa: F401  (registers them with the desk site)
