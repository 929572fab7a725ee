"""The platform API's reports (issue 17)."""

urlpatterns: list = []
