"""Background tasks (django-tasks): run by the worker process, never by a request."""

from django_tasks import task

from .services import mail_deliver


@task()
def deliver_mail(mail_id: int) -> str:
    return mail_deliver(mail_id=mail_id)
