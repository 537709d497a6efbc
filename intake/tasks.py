from celery import shared_task
from django.utils import timezone

from contacts.channels import ChannelError

from . import services


# No result is kept: nobody waits for one, and queuing never depends on the result backend.
@shared_task(name="intake_apply", ignore_result=True)
def intake_apply(message_id):
    """Parse and apply this stored field message and the others waiting behind it (each once); queue their replies.

    In a burst the first jobs apply the messages in batches and the jobs that follow find theirs done already.
    """
    return len(services.messages_apply(now=timezone.now(), first_id=message_id))


@shared_task(name="intake_send", bind=True, max_retries=6, ignore_result=True)
def intake_send(self, outbound_id):
    """Send one reply; on failure retry with a growing delay (the sweep also retries what is left)."""
    try:
        return services.reply_send(outbound_id=outbound_id, now=timezone.now())
    except ChannelError as error:
        raise self.retry(countdown=30 * 2 ** self.request.retries, exc=error) from None


@shared_task(name="intake_sweep")
def intake_sweep():
    return services.intake_sweep(now=timezone.now())
