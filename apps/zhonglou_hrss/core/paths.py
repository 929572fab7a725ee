"""URL path converters every app may use (imported by the URLconfs that name them):
``<record_id:pk>`` — a record's id, at most 18 digits (a longer number is a 404, not a
database overflow); ``<year4:year>`` — a four-digit year."""

from django.urls import register_converter


class RecordId:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RecordId, "record_id")
register_converter(Year, "year4")
