from __future__ import annotations

from celery import shared_task

from articles import services


@shared_task
def requeue_stuck_annotations() -> int:
    return services.requeue_stuck_annotations()
