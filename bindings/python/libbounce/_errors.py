"""Exceptions raised by libbounce (the native core raises these same classes)."""

from __future__ import annotations

__all__ = ["Error", "RuleError", "InputError"]


class Error(Exception):
    """Base class of every libbounce error."""


class RuleError(Error, ValueError):
    """A rule file or rule text is invalid; the message reads ``FILE:LINE: problem``."""


class InputError(Error, OSError):
    """An input (log or rule file) could not be opened or read."""
