"""``<credit_id:pk>`` (at most 18 digits) and ``<credit_year:year>`` (four digits) for the credit API."""

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


register_converter(RecordId, "credit_id")
register_converter(Year, "credit_year")
