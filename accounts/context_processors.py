from .scope import desk_scope


def desk(request):
    """Expose the viewer's role to templates (navigation)."""
    return {"desk_scope": desk_scope(request.user)} if hasattr(request, "user") else {}
