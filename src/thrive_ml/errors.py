"""Errors a user can act on.

    ThriveError                 base: catch this to handle any thrive-ml failure
    ├── InputFormatError        a file or value the user gave is not usable
    ├── OutputPathError         somewhere we were asked to write is not writable
    └── RulesFileError          a packaged data file (rules, phrase bank) is malformed

Messages say what went wrong, where, and what to do next. They never carry referral text.
"""

from __future__ import annotations


class ThriveError(Exception):
    """Base of every error thrive-ml raises on purpose."""


class InputFormatError(ThriveError, ValueError):
    """Input the user supplied cannot be used as given."""


class OutputPathError(ThriveError, OSError):
    """An output path cannot be written."""


class RulesFileError(ThriveError, ValueError):
    """A packaged data file does not match the schema its loader expects."""
