"""Credit's sources of the saved reports (issue 17)."""
