from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import Article


class Label(models.TextChoices):
    SOURCED = "sourced", "Sourced"
    DISPUTED = "disputed", "Disputed"
    OPINION = "opinion", "Editorial opinion"


LABEL_VALUES = [value for value, _ in Label.choices]


class CurrentClaimManager(models.Manager):
    """The claims of the articles' current texts. A claim a corrected version dropped is kept
    for its verdict and history (Claim.with_removed reaches it) but is no longer listed,
    counted, exported or decided."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(removed_in_version__isnull=True)


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
    # Bumped by every verdict, merge and split: a write based on an older version is refused,
    # so two editors on one claim never lose an update silently.
    version = models.PositiveIntegerField(default=0)

    # Corrected versions: the text a carried-over verdict was given on, when a near-identical
    # claim of the new version took it over (cleared by the next verdict); and the version
    # whose text no longer has the claim.
    decided_text = models.TextField(blank=True)
    removed_in_version = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Claim memory: the wording as looked up (the database computes it, so every writer keeps
    # it in step), and the sentence embedding, int8 (384 bytes), with its coarse cell.
    text_key = models.GeneratedField(
        expression=Lower("text"), output_field=models.TextField(), db_persist=True
    )
    embedding = models.BinaryField(null=True, editable=False)
    embedding_cell = models.PositiveSmallIntegerField(null=True, editable=False)

    with_removed = models.Manager()
    objects = CurrentClaimManager()

    class Meta:
        ordering = ["article", "position"]
        default_manager_name = "objects"
        indexes = [
            # PostgreSQL only (see the migration): near-wording lookups among decided claims.
            GinIndex(
                OpClass("text_key", name="gin_trgm_ops"),
                name="claim_decided_trgm",
                condition=~Q(verdict="") & Q(removed_in_version__isnull=True),
            ),
            # SQLite only: exact wording (a B-tree on PostgreSQL would refuse long texts).
            models.Index(
                fields=["text_key"],
                name="claim_decided_text",
                condition=~Q(verdict="") & Q(removed_in_version__isnull=True),
            ),
            models.Index(
                fields=["embedding_cell"],
                name="claim_decided_cell",
                condition=~Q(verdict="") & Q(removed_in_version__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"],
                condition=Q(removed_in_version__isnull=True),
                name="claim_position_unique",
            ),
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
    def text_changed(self) -> bool:
        """Whether the verdict was given on a slightly different wording (an earlier version)."""
        return bool(self.decided_text)

    def set_verdict(
        self,
        *,
        label: str,
        note: str,
        editor,
        seen_version: int | None = None,
        kind: str = "mark",
        batch: uuid.UUID | None = None,
        reverts: VerdictChange | None = None,
    ) -> VerdictChange:
        """Record an editor's decision, keeping the old one in the history.

        With `seen_version` (the version the editor looked at) the write is conditional:
        StaleClaim is raised, and nothing written, if the claim changed since.
        An undo (`reverts`) restores the reverted change's old decision with its author and
        time: the claim says who decided it, the change who undid.
        """
        if seen_version is None:
            seen_version = self.version
        now = timezone.now()
        decided_by, decided_at = (editor, now) if label else (None, None)
        if reverts is not None and reverts.old_decided_at is not None:
            decided_by, decided_at = reverts.old_decided_by, reverts.old_decided_at
        with transaction.atomic():
            updated = Claim.objects.filter(pk=self.pk, version=seen_version).update(
                verdict=label,
                note=note,
                decided_by=decided_by,
                decided_at=decided_at,
                decided_text="",  # decided on the text as it now stands
                version=F("version") + 1,
            )
            if not updated:
                raise StaleClaim(self)
            self._move_article_counts(old=self.verdict, new=label)
            change = VerdictChange.record(
                self,
                kind=kind,
                new_label=label,
                note=note,
                editor=editor,
                created_at=now,
                batch=batch,
                reverts=reverts,
            )
        self.verdict, self.note = label, note
        self.decided_by, self.decided_at = decided_by, decided_at
        self.decided_text = ""
        self.version = seen_version + 1
        return change

    def _move_article_counts(self, *, old: str, new: str) -> None:
        """Keep the article's progress counters in step with a verdict, in the same
        transaction; F() so that two editors deciding at once both count."""
        if old == new:
            return
        deltas = {"decided_count": F("decided_count") + (bool(new) - bool(old))}
        if old:
            field = Article.LABEL_COUNTS[old]
            deltas[field] = F(field) - 1
        if new:
            field = Article.LABEL_COUNTS[new]
            deltas[field] = F(field) + 1
        Article.objects.filter(pk=self.article_id).update(**deltas)


class StaleClaim(Exception):
    """The claim changed after the editor saw it; their write was not applied."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(f"Claim {claim.pk} changed since version was read")
        self.claim = claim


class VerdictChange(models.Model):
    """One editor decision on a claim: never updated, never deleted with the verdict."""

    class Kind(models.TextChoices):
        MARK = "mark", "marked"
        ACCEPT = "accept", "accepted in bulk"
        UNDO = "undo", "undid"
        MERGE = "merge", "merged"
        SPLIT = "split", "split"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MARK)
    old_label = models.CharField(max_length=10, choices=Label.choices, blank=True)
    new_label = models.CharField(max_length=10, choices=Label.choices, blank=True)
    suggested_label = models.CharField(max_length=10, choices=Label.choices, blank=True)
    note = models.TextField(blank=True)
    old_note = models.TextField(blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who made the decision this change replaced, and when: what an undo of it restores.
    # Empty where the claim was undecided, and on changes recorded before these fields.
    old_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # One bulk action (bulk accept, or the undo of one) shares a batch, undone as one.
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    reverts = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undone_by"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["mark", "accept", "undo", "merge", "split"]),
                name="verdictchange_kind_valid",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__in": [*LABEL_VALUES, ""]}),
                    name=f"verdictchange_{field}_valid",
                )
                for field in ("old_label", "new_label", "suggested_label")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_label or '—'} → {self.new_label or '—'}"

    @classmethod
    def record(
        cls,
        claim: Claim,
        *,
        kind: str,
        new_label: str,
        note: str,
        editor,
        created_at: datetime | None = None,
        batch: uuid.UUID | None = None,
        reverts: VerdictChange | None = None,
    ) -> VerdictChange:
        """Save a change about to be made to `claim`, which still holds its old verdict."""
        return cls.objects.create(
            claim=claim,
            kind=kind,
            old_label=claim.verdict,
            new_label=new_label,
            old_note=claim.note,
            old_decided_by_id=claim.decided_by_id,
            old_decided_at=claim.decided_at,
            suggested_label=claim.suggested_label,
            note=note,
            editor=editor,
            created_at=created_at or timezone.now(),
            batch=batch,
            reverts=reverts,
        )

    @property
    def agreed(self) -> bool:
        """Whether the editor's label is the one the pre-annotator suggested."""
        return bool(self.new_label) and self.new_label == self.suggested_label


class ApiToken(models.Model):
    """A script's key to the JSON API, acting as its user. Only a hash of the key is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “nightly sync”.")
    prefix = models.CharField(max_length=8, editable=False, help_text="The key's start.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["user", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        # A random 256-bit key cannot be guessed, so a fast hash is enough (unlike passwords).
        return hashlib.sha256(key.encode()).hexdigest()

    def new_key(self) -> str:
        """Give the token a fresh key and return it; it cannot be read back later."""
        key = secrets.token_urlsafe(32)
        self.prefix = key[:8]
        self.digest = self.hash(key)
        return key

    @classmethod
    def user_for(cls, key: str):
        """The active user a key belongs to, or None."""
        token = (
            cls.objects.select_related("user")
            .filter(digest=cls.hash(key), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        # Recorded to the minute, so reading scripts don't write on every request.
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
