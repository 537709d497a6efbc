from accounts.scope import ScopedQuerySet


class ContactQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(active=True)
