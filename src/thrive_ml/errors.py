"""Errors a user can act on.

    ThriveError                 base: catch this to handle any thrive-ml failure
    ├── InputFormatError        a file or value the user gave is not usable
    ├── OutputPathError         somewhere we were asked to write is not writable
    ├── RulesFileError          a packaged data file (rules, phrase bank) is malformed
    ├── RegistryError           the model registry cannot give what was asked
    │   ├── NoChampionError     no model holds the 'champion' alias yet
    │   ├── ModelIntegrityError a model artifact does not match its recorded checksum
    │   └── PromotionRefusedError  a version failed a promotion gate
    └── StoreError              the audit store cannot do what was asked
        ├── StoreUnavailableError   the database cannot be reached or written (service: 503)
        ├── PredictionNotFoundError no prediction has that id
        ├── InvalidReviewError      a review decision names an unknown label or is malformed
        ├── KeyExistsError          an API key with that name already exists
        └── KeyNotFoundError        no API key has that name

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


class StoreError(ThriveError):
    """The audit store cannot do what was asked."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached or did not commit; nothing was recorded.

    The service answers 503 and returns no result: a suggestion is never sent unaudited.
    """


class PredictionNotFoundError(StoreError, LookupError):
    """No prediction in the audit store has the given id."""


class InvalidReviewError(StoreError, ValueError):
    """A review decision names a label outside the taxonomy, or its comment is unusable."""


class KeyExistsError(StoreError):
    """An API key with that name exists (revoked names stay taken so audit records stay unambiguous)."""


class KeyNotFoundError(StoreError, LookupError):
    """No API key has the given name."""
