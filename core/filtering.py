"""How a web list answers a filter with an invalid value: the message and no rows, never the unfiltered list.

django-filter drops a field whose value does not validate and filters by the
others, so `?situation=xyz` would list every report under the error, which
reads as "these match". Every list view with a GET filter form goes through
`list_filter_rows` (or checks `list_filter_invalid` for a plain form) and
renders templates/partials/filter_invalid.html instead of its rows.
"""

from django.db.models import QuerySet
from django.forms import Form


def list_filter_invalid(filter_or_form) -> bool:
    """True when the list's filter (a django-filter FilterSet or a Form) was given a value it refuses."""
    form: Form = getattr(filter_or_form, "form", filter_or_form)
    return form.is_bound and not form.is_valid()


def list_filter_rows(filterset) -> QuerySet:
    """The filtered rows, or none at all when a filter value is invalid."""
    if list_filter_invalid(filterset):
        return filterset.queryset.none()
    return filterset.qs
