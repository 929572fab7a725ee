"""The questionnaires' lists in the desk: definitions (questionnaire → versions
→ sections and questions inline; question → options inline), responses to
review, the enterprises' HR-company lists. Their own pages (preview, publish,
Excel import/export, a response as respondents saw it, composites, posters,
exports) are ``desk`` views routed here."""

from zhonglou_hrss.questionnaires.admin import definitions, responses  # noqa: F401  (registers them)
