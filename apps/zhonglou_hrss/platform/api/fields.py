"""The platform API's fields (issue 17)."""

urlpatterns: list = []
