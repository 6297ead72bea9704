"""Classifying SMTP replies: the typed Python face of ``bounce::Classifier``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _core

__all__ = ["Classification", "Classifier", "classify", "classify_many"]

Scalar = Optional[str]
Column = Union[None, str, Sequence[Optional[str]], Any]


@dataclass(frozen=True)
class Classification:
    """The verdict on one SMTP reply.

    Attributes
    ----------
    reply_code : int or None
        The basic reply code used (``550``), ``None`` when there was none.
    enhanced_code : str or None
        The RFC 3463 enhanced code used (``"5.1.1"``), ``None`` when there was none.
    bounce_type : str
        ``"hard"``, ``"soft"``, ``"none"`` or ``"unknown"``.
    suppress_recipient : bool
        True only when the recipient address itself should not be mailed again.
    reason, action, stage, provider : str
        Values from ``libbounce.REASONS``, ``ACTIONS``, ``STAGES``, ``PROVIDERS``.
    detail : str
        Refines the reason (``"dmarc"``, ``"spamhaus"``, ...); empty otherwise.
    rule, rule_source : str
        The rule that decided and where its fact comes from.
    """

    reply_code: Optional[int]
    enhanced_code: Optional[str]
    bounce_type: str
    suppress_recipient: bool
    reason: str
    detail: str
    action: str
    stage: str
    provider: str
    rule: str
    rule_source: str

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a plain dict, in output-column order."""
        return {name: getattr(self, name) for name in _core.CLASSIFICATION_COLUMNS}


class Classifier:
    """An SMTP reply classifier with the built-in rules plus optional user rules.

    Immutable and thread-safe; build one and reuse it (construction compiles
    every rule, a few milliseconds).

    Parameters
    ----------
    rules : iterable of path-like, optional
        User rule files (TSV or JSON) that take precedence over the built-in
        rules. An invalid rule raises :class:`libbounce.RuleError` naming the
        file and line; a missing file raises :class:`libbounce.InputError`.
    cache : bool, default True
        Cache verdicts by normalised reply (never changes an answer).

    Examples
    --------
    >>> import libbounce
    >>> c = libbounce.Classifier()
    >>> v = c.classify("550 5.1.1 The email account that you tried to reach does not exist. - gsmtp")
    >>> (v.bounce_type, v.reason, v.suppress_recipient, v.provider)
    ('hard', 'user_unknown', True, 'google')
    """

    def __init__(self, rules: Iterable[Union[str, "os.PathLike[str]"]] = (), cache: bool = True):
        self._impl = _core.Classifier([os.fspath(r) for r in rules], bool(cache))

    @property
    def pattern_count(self) -> int:
        """Number of text-pattern rules (built-in plus user)."""
        return int(self._impl.pattern_count)

    def classify(
        self,
        text: str,
        code: Optional[int] = None,
        enhanced: Scalar = None,
        phase: Scalar = None,
        host: Scalar = None,
        domain: Scalar = None,
    ) -> Classification:
        """Classify one reply.

        Parameters
        ----------
        text : str
            The reply as logged; codes inside it are found automatically.
        code : int, optional
            The basic reply code when known separately.
        enhanced : str, optional
            The enhanced status code when known separately (e.g. Postfix ``dsn=``).
        phase : str, optional
            The SMTP phase (``"RCPT TO"``, ``"in reply to end of DATA command"``).
        host : str, optional
            The remote MX host; identifies the provider.
        domain : str, optional
            The recipient domain (or address); identifies the provider when no host.

        Returns
        -------
        Classification

        Examples
        --------
        >>> import libbounce
        >>> v = libbounce.classify("421 4.7.28 Gmail has detected an unusual rate of "
        ...                        "unsolicited mail originating from your IP address.",
        ...                        host="gmail-smtp-in.l.google.com")
        >>> (v.bounce_type, v.reason, v.action)
        ('soft', 'rate_limited', 'reduce_volume')
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        row = self._impl.classify(
            text, int(code or 0), enhanced or "", phase or "", host or "", domain or ""
        )
        return Classification(*row)

    def classify_many(
        self,
        texts: Iterable[Optional[str]],
        codes: Union[None, int, Sequence[Optional[int]], Any] = None,
        enhanced: Column = None,
        phases: Column = None,
        hosts: Column = None,
        domains: Column = None,
    ) -> Dict[str, List[Any]]:
        """Classify many replies at once, with the GIL released.

        ``texts`` is any iterable of strings (list, tuple, pandas Series, Arrow
        array via ``to_pylist``); the other arguments are each ``None``, one
        value for every row, or a sequence as long as ``texts``.

        Returns
        -------
        dict of str to list
            One list per column of :data:`libbounce.CLASSIFICATION_COLUMNS`;
            pass it to ``pandas.DataFrame`` to get a frame.

        Examples
        --------
        >>> import libbounce
        >>> cols = libbounce.classify_many(["452 4.2.2 mailbox full", "550 5.1.1 user unknown"])
        >>> cols["reason"]
        ['mailbox_full', 'user_unknown']
        """
        if isinstance(texts, (str, bytes)):
            raise TypeError("texts must be a sequence of str, not a single string")
        return dict(
            self._impl.classify_many(
                _as_list(texts), _as_list(codes), _as_list(enhanced), _as_list(phases),
                _as_list(hosts), _as_list(domains),
            )
        )


def _as_list(obj: Any) -> Any:
    """Arrow arrays and chunked arrays become lists; everything else passes."""
    if obj is None or isinstance(obj, (str, int)):
        return obj
    to_pylist = getattr(obj, "to_pylist", None)
    return to_pylist() if callable(to_pylist) else obj


_default: Optional[Classifier] = None


def _shared() -> Classifier:
    global _default
    if _default is None:
        _default = Classifier()
    return _default


def classify(
    text: str,
    code: Optional[int] = None,
    enhanced: Scalar = None,
    phase: Scalar = None,
    host: Scalar = None,
    domain: Scalar = None,
) -> Classification:
    """Classify one reply with the built-in rules; see :meth:`Classifier.classify`.

    Examples
    --------
    >>> import libbounce
    >>> libbounce.classify("550 5.7.26 Unauthenticated email from example.com is not accepted "
    ...                    "due to domain's DMARC policy. - gsmtp").detail
    'dmarc'
    """
    return _shared().classify(text, code, enhanced, phase, host, domain)


def classify_many(
    texts: Iterable[Optional[str]],
    codes: Union[None, int, Sequence[Optional[int]], Any] = None,
    enhanced: Column = None,
    phases: Column = None,
    hosts: Column = None,
    domains: Column = None,
) -> Dict[str, List[Any]]:
    """Classify many replies with the built-in rules; see :meth:`Classifier.classify_many`."""
    return _shared().classify_many(texts, codes, enhanced, phases, hosts, domains)
