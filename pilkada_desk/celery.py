"""Celery application: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilkada_desk.settings")

app = Celery("pilkada_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender, source, **kwargs):
    """The filesystem transport expects its folders to exist.

    Read from `source`, the configuration just loaded: reading `sender.conf`
    from `on_configure` (before it is loaded) would configure the app again,
    and again, until a RecursionError.
    """
    options = source.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


@task_prerun.connect
@task_postrun.connect
def _database_connections_as_for_a_request(sender=None, **kwargs):
    """Before and after each task, what Django does around a request: close a connection past CONN_MAX_AGE or
    broken (health-checked before reuse), keep the others.

    Celery alone would open a new PostgreSQL connection for every task (unless CELERY_DB_REUSE_MAX is set):
    for the field messages' short jobs, connecting cost more than the work.
    """
    from django.db import close_old_connections

    if not getattr(sender.request, "is_eager", False):  # an eager task runs inside its caller's transaction
        close_old_connections()
