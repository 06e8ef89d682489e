from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone


class Label(models.TextChoices):
    SOURCED = "sourced", "Sourced"
    DISPUTED = "disputed", "Disputed"
    OPINION = "opinion", "Editorial opinion"


LABEL_VALUES = [value for value, _ in Label.choices]


class Claim(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="claims")
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    # The pre-annotator's suggestion; replaced whenever the article is annotated again.
    suggested_label = models.CharField(max_length=10, choices=Label.choices)
    confidence = models.FloatField()
    reason_code = models.CharField(max_length=40)
    reason = models.TextField()
    # Best source sentences first: [{"article_id", "start", "end", "text", "score"}].
    evidence = models.JSONField(default=list, blank=True)

    # The editor's verdict; history lives in VerdictChange.
    verdict = models.CharField(max_length=10, choices=Label.choices, blank=True)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="claim_position_unique"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_span_not_empty"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="claim_confidence_0_1"
            ),
            models.CheckConstraint(
                condition=Q(suggested_label__in=LABEL_VALUES), name="claim_suggestion_valid"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=[*LABEL_VALUES, ""]), name="claim_verdict_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def shown_label(self) -> str:
        """What the highlight shows: the verdict once decided, else the suggestion."""
        return self.verdict or self.suggested_label

    @property
    def best_evidence(self) -> dict | None:
        return self.evidence[0] if self.evidence else None

    def set_verdict(self, *, label: str, note: str, editor) -> VerdictChange:
        """Record an editor's decision, keeping the old one in the history."""
        with transaction.atomic():
            change = VerdictChange.objects.create(
                claim=self,
                old_label=self.verdict,
                new_label=label,
                suggested_label=self.suggested_label,
                note=note,
                editor=editor,
            )
            self.verdict = label
            self.note = note
            self.decided_by = editor
            self.decided_at = change.created_at
            self.save(update_fields=["verdict", "note", "decided_by", "decided_at"])
        return change


class VerdictChange(models.Model):
    """One editor decision on a claim: never updated, never deleted with the verdict."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="changes")
    old_label = models.CharField(max_length=10, choices=Label.choices, blank=True)
    new_label = models.CharField(max_length=10, choices=Label.choices, blank=True)
    suggested_label = models.CharField(max_length=10, choices=Label.choices, blank=True)
    note = models.TextField(blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_label or '—'} → {self.new_label or '—'}"
