"""Mail sent by a background job, the same message however often the job runs.

A job whose worker was lost after sending goes back to the queue
(simi.core.leases) and sends again. The Message-ID is made from the job's
id (and, for a job that mails several people, the recipient's part), so the
repeat is the same message to every mail system, which shows it once; the
notifications domain does the same with its own delivery ids.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django_tasks import TaskContext


def job_message_id(job: TaskContext, part: str = "") -> str:
    suffix = f".{part}" if part else ""
    return f"<job.{job.task_result.id}{suffix}@simi.invalid>"


def send_job_mail(job: TaskContext, subject: str, body: str, to: str, *, part: str = "") -> None:
    """Send one mail from ``job`` to ``to`` with the job's stable Message-ID."""
    message_id = job_message_id(job, part)
    EmailMessage(subject, body, None, [to], headers={"Message-ID": message_id}).send()
