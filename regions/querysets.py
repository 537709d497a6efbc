from django.db import models

from accounts.scope import desk_scope


class RegionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Regions the user may read: their province's, or only their regency's, or all."""
        scope = desk_scope(user)
        if self.model._meta.model_name == "province":
            return self.filter(scope.province_q())
        path = "" if self.model._meta.model_name == "regency" else "regency"
        return self.filter(scope.regency_q(path))
