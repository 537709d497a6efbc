from django.apps import AppConfig


class OfflineConfig(AppConfig):
    """The officer's pages as an installable web app that keeps working on a weak link."""

    name = "offline"
    verbose_name = "Offline"
