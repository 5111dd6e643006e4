"""Typed refusals of the exchange: one class per reason, each with a stable machine-readable `code`.

The HTTP endpoint maps these to responses in one table (by `code`); the outbox worker stores the code and
the message as the reason a delivery failed. Messages are written for the administrator who must act.
"""

from __future__ import annotations

from typing import ClassVar


class ExchangeRefusal(Exception):
    """A message refused by the receive checks; nothing about it may be stored."""

    code: ClassVar[str] = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class UnsupportedVersion(ExchangeRefusal):
    code = "unsupported-version"


class TooLarge(ExchangeRefusal):
    code = "too-large"


class MalformedXml(ExchangeRefusal):
    code = "malformed-xml"


class ForbiddenDtd(ExchangeRefusal):
    """A DOCTYPE, entity declaration or entity reference: refused before anything is expanded."""

    code = "forbidden-dtd"


class SchemaViolation(ExchangeRefusal):
    code = "schema-violation"


class MissingSignature(ExchangeRefusal):
    code = "missing-signature"


class BadSignature(ExchangeRefusal):
    code = "bad-signature"


class UnknownKey(ExchangeRefusal):
    code = "unknown-key"


class SenderNotHostedBySigner(ExchangeRefusal):
    code = "sender-not-hosted-by-signer"


class RecipientNotHostedHere(ExchangeRefusal):
    code = "recipient-not-hosted-here"


class AttachmentDigestMismatch(ExchangeRefusal):
    code = "attachment-digest-mismatch"


REFUSALS: tuple[type[ExchangeRefusal], ...] = (
    UnsupportedVersion,
    TooLarge,
    MalformedXml,
    ForbiddenDtd,
    SchemaViolation,
    MissingSignature,
    BadSignature,
    UnknownKey,
    SenderNotHostedBySigner,
    RecipientNotHostedHere,
    AttachmentDigestMismatch,
)
"""Every refusal, in the order the receive checks can raise them (for the HTTP error table and docs)."""


class InvalidKey(ValueError):
    """A key (PEM or JWK) that is not an EC P-256 key of the expected kind (public or private)."""


class DirectoryError(ValueError):
    """A directory document or edit that is invalid; the message says what to fix."""


class MessageBuildError(ValueError):
    """Data that cannot be turned into a valid message (caught before anything is signed or sent)."""
