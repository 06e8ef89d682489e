"""Text the database cannot store, refused where it comes in with a message (never a 500).

PostgreSQL text cannot hold NUL (U+0000), and no UTF-8 database holds a lone surrogate
(U+D800–U+DFFF): JSON can carry both as escapes ("\\u0000", "\\ud800"), and the failure
would otherwise come from the database, after the input was accepted.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator


def unstorable(text: str) -> str | None:
    """Why the text cannot be stored, as a sentence naming the first bad character; or None."""
    nul = text.find("\x00")
    if nul >= 0:
        return f"Character {nul + 1} is a NUL (U+0000), which cannot be stored; remove it."
    try:
        text.encode()
    except UnicodeEncodeError as error:
        return (
            f"Character {error.start + 1} is U+{ord(text[error.start]):04X}, half of a "
            "surrogate pair and not a character on its own; remove it."
        )
    return None


def validate_storable(value: object) -> None:
    if isinstance(value, str) and (reason := unstorable(value)):
        raise ValidationError(reason, code="unstorable")


class StorableTextForm(forms.Form):
    """A form whose text fields, present and future, refuse text that cannot be stored."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                # It replaces Django's NUL check, which would say the same a second time.
                field.validators = [
                    *(
                        v
                        for v in field.validators
                        if not isinstance(v, ProhibitNullCharactersValidator)
                    ),
                    validate_storable,
                ]
