class ReadOnlyAdminMixin:
    """Desk records are written by the desk's own forms and services: the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
