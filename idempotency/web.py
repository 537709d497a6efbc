"""The web forms' side of idempotency: the key a form posts (header from the offline queue, or a hidden field)."""

from .services import FORM_FIELD, HEADER, key_errors


def form_key(request):
    """The well-formed key of a web form post, or "" (then the post is handled as before, without one)."""
    key = (request.headers.get(HEADER) or request.POST.get(FORM_FIELD) or "").strip()
    return "" if key_errors(key) else key
