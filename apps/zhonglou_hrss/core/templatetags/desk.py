import html

from django import template
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from zhonglou_hrss.core import display, pii

register = template.Library()


@register.filter
def money(value):
    return display.money(value)


@register.filter
def when(value):
    return display.when(value)


@register.filter
def mask_id(value):
    return pii.mask(pii.ID_CARD, value)


@register.filter
def mask_phone(value):
    return pii.mask(pii.MOBILE, value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def custom_bound_fields(form):
    """The custom fields of a form (core.custom_field_forms.add_fields), as bound fields."""
    from zhonglou_hrss.core.custom_field_forms import bound_fields

    return bound_fields(form)


# unfold's filter template (admin/filter.html), written out here: its per-choice template nodes
# were a desk case list's largest part after the table (16 ms of CPU for its seven filters on a
# slow, busy machine; this tag 1 ms — issue 19). The same elements, classes, links and texts
# (tests/core/test_request_cost.py renders both); templates/admin/filter.html calls it.
_LIST_CLASSES = {
    "horizontal": ("dark:bg-base-900 border border-base-200 flex min-w-20 rounded-default shadow-xs "
                   "text-font-default-light dark:border-base-700 dark:text-font-default-dark w-full"),
    "vertical": "border border-base-200 flex flex-col rounded-default shadow-xs dark:border-base-700",
}
_ITEM_CLASSES = {
    "horizontal": "basis-1/3 border-r border-base-200 grow truncate last:border-r-0 dark:border-base-700 ",
    "vertical": "border-b border-base-200 last:border-b-0 dark:border-base-700 ",
}
_LINK_CLASSES = {
    "horizontal": "block py-2 text-center hover:text-primary-600 dark:hover:text-primary-500",
    "vertical": "block px-3 py-2 hover:text-primary-600 dark:hover:text-primary-500",
}
_SELECTED = "font-semibold text-primary-600 dark:text-primary-500 "
_UNSELECTED = "hover:text-base-700 dark:hover:text-base-200"


def _first(value):
    """What the template's ``value.0`` gave: the first of a list (a filter's chosen values), None
    when there is none."""
    try:
        return value[0] if value else None
    except (TypeError, KeyError, IndexError):
        return None


def _escaped(value) -> str:
    """``conditional_escape`` without its lazy-text wrapper (a tenth of a millisecond per choice)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.simple_tag
def filter_choices(title, choices, spec):
    chosen = _first(getattr(spec, "lookup_val", None))
    layout = ("horizontal" if type(spec).__name__ == "BooleanFieldListFilter" or getattr(spec, "horizontal", False)
              else "vertical")
    parts = ['<div><h3 class="font-semibold mb-2 text-font-important-light dark:text-font-important-dark">',
             gettext(" By %(filter_title)s ") % {"filter_title": _escaped(title)}, "</h3>"]
    if chosen:
        parts += [f'<input type="hidden" name="{_escaped(spec.lookup_kwarg)}" value="{_escaped(chosen)}" />'
                  for choice in choices if choice["selected"]]
    parts.append(f'<ul class="{_LIST_CLASSES[layout]}">')
    for choice in choices:
        state = _SELECTED if choice["selected"] else _UNSELECTED
        display = _escaped(choice["display"])
        parts.append(f'<li class="{_ITEM_CLASSES[layout]}{state}"><a href="{_escaped(iri_to_uri(choice["query_string"]))}" '
                     f'title="{display}" class="{_LINK_CLASSES[layout]}">{display}</a></li>')
    parts.append("</ul></div>")
    return mark_safe("".join(parts))  # every value in it is escaped (the heading's text is the catalogue's)
