from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Pengguna dan peran"

    def ready(self):
        from .services import roles_ensure

        post_migrate.connect(lambda **kwargs: roles_ensure(), sender=self, weak=False)
