"""Errors a user can act on.

    ThriveError                 base: catch this to handle any thrive-ml failure
    ├── InputFormatError        a file or value the user gave is not usable
    ├── OutputPathError         somewhere we were asked to write is not writable
    ├── RulesFileError          a packaged data file (rules, phrase bank) is malformed
    └── RegistryError           the model registry cannot give what was asked
        ├── NoChampionError     no model holds the 'champion' alias yet
        ├── ModelIntegrityError a model artifact does not match its recorded checksum
        └── PromotionRefusedError  a version failed a promotion gate

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


class RegistryError(ThriveError):
    """The MLflow model registry cannot give what was asked."""


class NoChampionError(RegistryError):
    """No registered version holds the serving alias."""


class ModelIntegrityError(RegistryError):
    """A model artifact's bytes differ from the checksum recorded when it was registered."""


class PromotionRefusedError(RegistryError):
    """A version failed a promotion gate; the message names the gate and the figures."""
