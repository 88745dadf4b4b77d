from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(OSError,),  # SMTP down or refusing: transient, try again later
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def send_email(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send one message outside the request, so a slow mail server never slows a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
