"""Credit's lists in the desk: the rating years (评价标准), the declarations
(信用申报, counted per status) and the results' versions (评价结果). Their own
pages (a year's scheme, a declaration with its scoring, the rankings) are
``desk`` views routed here."""

from zhonglou_hrss.credit.admin import criteria, declarations, results  # noqa: F401  (registers them)
