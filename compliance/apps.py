from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Kepatuhan"

    def ready(self):
        from logistics.signals import receipt_recorded
        from reports.signals import excuse_granted, report_submitted

        from . import receivers

        # The streams announce, compliance resolves its flags in the same transaction (see receivers).
        report_submitted.connect(receivers.on_report_submitted, dispatch_uid="compliance.report_submitted")
        excuse_granted.connect(receivers.on_excuse_granted, dispatch_uid="compliance.excuse_granted")
        receipt_recorded.connect(receivers.on_receipt_recorded, dispatch_uid="compliance.receipt_recorded")
