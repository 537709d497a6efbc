from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The pages that read every stream: home, dashboard, regency page, Rakor, exports.

    It sits above every other app; no other app imports it.
    """

    name = "desk"
    verbose_name = "Desk Pilkada"
