"""The desk lists' column headers, worked out once per page instead of once per row.

unfold 0.91's ``items_for_result`` rebuilds every column header (label, sort
state, the sort links' query strings) for each row it draws, only to read each
header's text for the phone layout — 20 rows × 11 columns of headers per case
list, about a sixth of the page's Python (issue 19). ``install`` wraps unfold's
``result_headers`` so a ChangeList computes its headers once; the headers are
only read after that. Checked against the pinned version: on another version
nothing is wrapped and the lists work as unfold draws them."""

from __future__ import annotations

from importlib.metadata import version

from unfold.templatetags import unfold_list

PINNED = "0.91.0"


def install() -> bool:
    if getattr(unfold_list.result_headers, "once_per_changelist", False):
        return True
    if version("django-unfold") != PINNED:
        return False
    original = unfold_list.result_headers

    def result_headers(cl):
        headers = getattr(cl, "_desk_headers", None)
        if headers is None:
            headers = cl._desk_headers = list(original(cl))
        return iter(headers)

    result_headers.once_per_changelist = True
    unfold_list.result_headers = result_headers
    return True
