"""The ``<qid:pk>`` path converter of the questionnaire API: a record id of at
most 18 digits (a BIGINT), so an id no row can have is a plain 404."""

from django.urls import register_converter


class RecordId:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RecordId, "qid")
