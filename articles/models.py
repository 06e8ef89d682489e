from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def with_progress(self) -> ArticleQuerySet:
        return self.annotate(
            claim_count=Count("claims", distinct=True),
            decided_count=Count("claims", filter=~Q(claims__verdict=""), distinct=True),
        )


class Article(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        ANNOTATING = "annotating", "Annotating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    body = models.TextField()
    sources = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="cited_by",
        help_text="The articles this one draws on.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    status_message = models.TextField(blank=True)
    annotation_started_at = models.DateTimeField(null=True, blank=True)
    annotated_at = models.DateTimeField(null=True, blank=True)

    # The article split and embedded as a source, kept so that a source is embedded once
    # however many articles cite it; stale when made by another engine version.
    prepared_source = models.BinaryField(null=True, editable=False)
    prepared_version = models.CharField(max_length=64, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "annotating", "ready", "failed"]),
                name="article_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("claims:review", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.ANNOTATING}

    def queue_annotation(self) -> None:
        self.status = self.Status.QUEUED
        self.status_message = ""
        self.annotation_started_at = None
        self.save(update_fields=["status", "status_message", "annotation_started_at"])

    @classmethod
    def claim_for_annotation(cls, pk: int, *, stale_after: timedelta) -> bool:
        """Move a queued article to annotating, or take over one whose worker died.

        A conditional UPDATE, so a duplicate or redelivered task finds nothing to claim.
        """
        now = timezone.now()
        waiting = Q(status=cls.Status.QUEUED) | Q(
            status=cls.Status.ANNOTATING, annotation_started_at__lt=now - stale_after
        )
        claimed = cls.objects.filter(waiting, pk=pk).update(
            status=cls.Status.ANNOTATING, annotation_started_at=now, status_message=""
        )
        return claimed == 1

    def mark_ready(self) -> None:
        self.status = self.Status.READY
        self.status_message = ""
        self.annotated_at = timezone.now()
        self.save(update_fields=["status", "status_message", "annotated_at"])

    def mark_failed(self, message: str) -> None:
        self.status = self.Status.FAILED
        self.status_message = message[:2000]
        self.save(update_fields=["status", "status_message"])
