from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

KINDS_OF_SOURCE = ["report", "transcript", "press_release", "dataset", "other"]


class ArticleQuerySet(models.QuerySet):
    def live(self) -> ArticleQuerySet:
        """Not archived: what lists and pickers offer."""
        return self.filter(archived_at__isnull=True)

    def stuck(self, *, queued_before: datetime, started_before: datetime) -> ArticleQuerySet:
        """Articles whose annotation message was lost (the broker was down when it was sent)
        or whose run was abandoned (its worker killed at the time limit)."""
        return self.filter(
            Q(status=Article.Status.QUEUED, queued_at__lt=queued_before)
            | Q(status=Article.Status.ANNOTATING, annotation_started_at__lt=started_before)
        )


class Article(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article to check"
        REPORT = "report", "Report"
        TRANSCRIPT = "transcript", "Transcript"
        PRESS_RELEASE = "press_release", "Press release"
        DATASET = "dataset", "Data or statistics"
        OTHER = "other", "Other source"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        ANNOTATING = "annotating", "Annotating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        # A source is read by the articles citing it; it is never split into claims itself.
        SOURCE = "source", "Source: not reviewed"

    SOURCE_KINDS = [Kind.REPORT, Kind.TRANSCRIPT, Kind.PRESS_RELEASE, Kind.DATASET, Kind.OTHER]
    # The denormalised review progress: one per label, kept by claims code as verdicts change.
    LABEL_COUNTS = {
        "sourced": "sourced_count",
        "disputed": "disputed_count",
        "opinion": "opinion_count",
    }

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ARTICLE)

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
    queued_at = models.DateTimeField(default=timezone.now)
    annotation_started_at = models.DateTimeField(null=True, blank=True)
    # The Celery task running it: only a redelivery of that same task may take it over early.
    annotation_task_id = models.CharField(max_length=64, blank=True, editable=False)
    annotated_at = models.DateTimeField(null=True, blank=True)

    # The article split and embedded as a source, kept so that a source is embedded once
    # however many articles cite it; stale when made by another engine version.
    prepared_source = models.BinaryField(null=True, editable=False)
    prepared_version = models.CharField(max_length=64, blank=True, editable=False)

    # Hidden from lists and pickers, restorable; still readable as a source by its citers.
    archived_at = models.DateTimeField(null=True, blank=True)

    # Review progress, so that lists never count claims: claims.models keeps them current.
    claim_count = models.PositiveIntegerField(default=0, editable=False)
    decided_count = models.PositiveIntegerField(default=0, editable=False)
    sourced_count = models.PositiveIntegerField(default=0, editable=False)
    disputed_count = models.PositiveIntegerField(default=0, editable=False)
    opinion_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "annotating", "ready", "failed", "source"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "article",
                        "report",
                        "transcript",
                        "press_release",
                        "dataset",
                        "other",
                    ]
                ),
                name="article_kind_valid",
            ),
        ]
        # The list's orders within a kind tab, so that a page, even 2,000 deep, is read from
        # an index instead of sorting the table ("oldest" reads the first one backwards).
        indexes = [
            models.Index(
                F("kind"),
                *order,
                name=f"article_kind_{name}",
                condition=Q(archived_at__isnull=True),
            )
            for name, order in [
                ("newest", [F("uploaded_at").desc(), F("id").desc()]),
                ("title", [F("title"), F("id")]),
            ]
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("claims:review", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.ANNOTATING}

    @property
    def is_source(self) -> bool:
        return self.kind != self.Kind.ARTICLE

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self) -> None:
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at"])

    def restore(self) -> None:
        self.archived_at = None
        self.save(update_fields=["archived_at"])

    def recount_claims(self) -> None:
        """Set the progress counters from the claims themselves, after claims were added,
        removed, merged or split (a verdict alone moves them with Claim.set_verdict)."""
        counts = self.claims.aggregate(
            claim_count=models.Count("pk"),
            decided_count=models.Count("pk", filter=~Q(verdict="")),
            **{
                field: models.Count("pk", filter=Q(verdict=label))
                for label, field in self.LABEL_COUNTS.items()
            },
        )
        Article.objects.filter(pk=self.pk).update(**counts)
        for field, value in counts.items():
            setattr(self, field, value)

    def queue_annotation(self) -> None:
        self.status = self.Status.QUEUED
        self.status_message = ""
        self.queued_at = timezone.now()
        self.annotation_started_at = None
        self.save(update_fields=["status", "status_message", "queued_at", "annotation_started_at"])

    @classmethod
    def claim_for_annotation(cls, pk: int, *, task_id: str, stale_after: timedelta) -> bool:
        """Move a queued article to annotating, or take over one whose worker died.

        A conditional UPDATE, so a duplicate task finds nothing to claim. The broker hands
        the same task out again only once its worker is gone (it died, or was killed at the
        time limit, which is shorter than the visibility timeout), so that redelivery takes
        over at once; any other task only after `stale_after`.
        """
        now = timezone.now()
        abandoned = Q(annotation_started_at__lt=now - stale_after)
        if task_id:
            abandoned |= Q(annotation_task_id=task_id)
        waiting = Q(status=cls.Status.QUEUED) | Q(abandoned, status=cls.Status.ANNOTATING)
        claimed = cls.objects.filter(waiting, pk=pk).update(
            status=cls.Status.ANNOTATING,
            annotation_started_at=now,
            annotation_task_id=task_id,
            status_message="",
        )
        return claimed == 1

    def take_new_text(self, body: str) -> bool:
        """Replace the text and, for an article to check, queue its annotation, unless a run is
        under way (it would store suggestions for the old text); returns whether it was
        replaced. A source is never annotated: only its text changes."""
        # The stored split of the old text is no use as a source any more.
        change = {"body": body, "prepared_source": None, "prepared_version": ""}
        if self.is_source:
            replaced = Article.objects.filter(pk=self.pk).update(**change)
        else:
            replaced = Article.objects.filter(
                pk=self.pk, status__in=[self.Status.READY, self.Status.FAILED]
            ).update(
                **change,
                status=self.Status.QUEUED,
                status_message="",
                queued_at=timezone.now(),
                annotation_started_at=None,
            )
        if replaced:
            self.refresh_from_db()
        return bool(replaced)

    def mark_ready(self) -> None:
        self.status = self.Status.READY
        self.status_message = ""
        self.annotated_at = timezone.now()
        self.save(update_fields=["status", "status_message", "annotated_at"])

    def mark_failed(self, message: str) -> None:
        self.status = self.Status.FAILED
        self.status_message = message[:2000]
        self.save(update_fields=["status", "status_message"])


class ArticleVersion(models.Model):
    """One text an article has had. The first correction also records the original text as
    version 1, so an article never corrected has no rows here."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article} (version {self.number})"
