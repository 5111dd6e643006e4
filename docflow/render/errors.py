"""Typed errors of the renderer; their messages are meant for the person who wrote the document."""


class RenderError(ValueError):
    """The document cannot be laid out as given (bad input); the message says what to change."""


class FontError(RenderError):
    """No usable font is installed for a role, or a character has no glyph in any configured font."""
