"""The questionnaires' sources of the saved reports (issue 17)."""
