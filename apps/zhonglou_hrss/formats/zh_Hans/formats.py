"""How dates and times look, everywhere (ui.md): 2026-12-02 20:44 and 2026-12-02.

Django prefers these to its own zh_Hans formats (2026年12月2日), which it
would otherwise use in every admin list, form and ``|date`` filter: settings
names this package in ``FORMAT_MODULE_PATH`` and repeats the display formats
for code that runs with no language active. What is not set here (numbers,
month names) comes from Django's zh_Hans formats. ``core.display.when`` and
the templates' ``|when`` format with these.
"""

DATE_FORMAT = "Y-m-d"  # 2026-12-02
TIME_FORMAT = "H:i"  # 20:44
DATETIME_FORMAT = "Y-m-d H:i"  # 2026-12-02 20:44
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "Y-m"  # 2026-12 (the audit log's date links)
MONTH_DAY_FORMAT = "m-d"  # 12-02

# What people may type. The first is also how a form shows a date it already holds.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-02
    "%Y/%m/%d",  # 2026/12/02
    "%Y年%m月%d日",  # 2026年12月2日
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",  # 2026-12-02 20:44
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
]
