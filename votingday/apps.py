from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingDayConfig(AppConfig):
    name = "votingday"
    verbose_name = _("Hari pencoblosan dan rekapitulasi")
