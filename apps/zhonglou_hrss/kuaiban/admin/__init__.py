"""The kuaiban models in the desk: the case list and the petition list."""

from zhonglou_hrss.kuaiban.admin import cases, petitions  # noqa: F401  (registers them with the desk site)
