"""Typed errors of the transfer export.

Each message says what is wrong and what the archivist can do about it; the Chinese wording is what the user
sees, the class name is what the code matches on.
"""

from __future__ import annotations


class ExportError(Exception):
    """Base class: the export could not be produced or a transfer list could not be read."""


class InvalidExportBatch(ExportError):
    """The batch or one of its items breaks a rule (missing field, bad 档号, duplicate, wrong year…)."""


class PackageFileMismatch(ExportError):
    """A package file differs from its catalogue record (size or SHA-256): it was damaged or replaced."""


class ExportTargetExists(ExportError):
    """The output already exists; an export never overwrites an earlier one."""


class UnknownExportFormat(ExportError):
    """A requested format name is not one this module writes."""


class HostileXml(ExportError):
    """The XML carries a DTD, entity declarations or other constructs we refuse outright."""


class TransferListInvalid(ExportError):
    """A transfer list is not well formed, breaks its schema, or its totals disagree with its entries."""
