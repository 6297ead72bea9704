"""libbounce: read mail-server logs and say, for every delivery attempt, what
happened, why, and what to do about it.

>>> import libbounce
>>> v = libbounce.classify("552 4.2.2 The recipient's inbox is out of storage space.")
>>> v.reason, v.bounce_type, v.suppress_recipient
('mailbox_full', 'soft', False)
"""

from __future__ import annotations

from typing import Dict, Tuple

from . import _core
from ._classify import Classification, Classifier, classify, classify_many
from ._errors import Error, InputError, RuleError
from ._follow import follow
from ._read import Scan, iter_batches, read_log, read_log_arrow, scan
from ._report import Report, report

__all__ = [
    "ACTIONS",
    "BOUNCE_TYPES",
    "CLASSIFICATION_COLUMNS",
    "Classification",
    "Classifier",
    "Error",
    "InputError",
    "PROVIDERS",
    "REASONS",
    "RECORD_COLUMNS",
    "Report",
    "Scan",
    "RuleError",
    "STAGES",
    "__version__",
    "classify",
    "classify_many",
    "describe",
    "follow",
    "iter_batches",
    "normalize_reply",
    "read_log",
    "read_log_arrow",
    "report",
    "scan",
    "split_reply",
]

__version__: str = _core.__version__

#: Every value of each vocabulary, in declaration order (same spelling as C++ and JSON).
BOUNCE_TYPES: Tuple[str, ...] = _core.BOUNCE_TYPES
REASONS: Tuple[str, ...] = _core.REASONS
ACTIONS: Tuple[str, ...] = _core.ACTIONS
STAGES: Tuple[str, ...] = _core.STAGES
PROVIDERS: Tuple[str, ...] = _core.PROVIDERS
#: The columns of a record (read_log, `bounce parse`), in output order.
RECORD_COLUMNS: Tuple[str, ...] = _core.RECORD_COLUMNS
#: The columns of a classification, in output order.
CLASSIFICATION_COLUMNS: Tuple[str, ...] = _core.CLASSIFICATION_COLUMNS

_DESCRIPTIONS: Dict[str, Dict[str, str]] = _core.DESCRIPTIONS


def describe(kind: str, value: str) -> str:
    """A one-line description of a vocabulary value.

    >>> describe("reason", "greylisted")
    'greylisted: the receiver asks for a later retry'
    """
    try:
        return _DESCRIPTIONS[kind][value]
    except KeyError:
        raise ValueError(f"unknown {kind!r} value {value!r}") from None


def split_reply(raw: str) -> Tuple[object, object, str]:
    """Find the reply code and enhanced code in reply text.

    >>> split_reply("550-5.1.1 No such user")
    (550, '5.1.1', 'No such user')
    """
    return _core.split_reply(raw)


def normalize_reply(text: str) -> str:
    """The reply with addresses, IPs, ids and long numbers masked (the cache key).

    >>> normalize_reply("550 <bob@example.com> blocked [192.0.2.1]")
    '550 <{addr}> blocked [{ip}]'
    """
    return _core.normalize_reply(text)
