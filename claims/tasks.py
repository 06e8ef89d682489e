from __future__ import annotations

from celery import shared_task

from claims import services


@shared_task(bind=True, acks_late=True)
def annotate_article(self, article_id: int) -> bool:
    return services.annotate_article(article_id=article_id, task_id=self.request.id or "")
