"""Following a live mail log, like ``tail -F``, as a stream of Arrow batches."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable, Iterator, Optional, Sequence

from . import _core
from ._read import PathLike, _import

if TYPE_CHECKING:
    import pyarrow

__all__ = ["follow"]


def follow(path: PathLike, format: str = "auto", view: str = "attempts",
           year: Optional[int] = None, tz: Optional[str] = None,
           rules: Sequence[PathLike] = (), poll_interval: float = 0.2,
           batch_size: int = 65536,
           stop: Optional[Callable[[], bool]] = None) -> Iterator["pyarrow.RecordBatch"]:
    """Follow a growing mail log: yield :class:`pyarrow.RecordBatch` es of
    classified records as their lines are written.

    The file is read from its start, then followed through rotation by
    rename-and-create and by copytruncate without losing or repeating a line.
    Parsing runs on a background thread, outside the GIL.

    Parameters
    ----------
    path : str or os.PathLike
        One uncompressed log file (Postfix, Exim, Sendmail or Exchange).
    format, view, year, tz, rules
        As for :func:`read_log`; ``view`` defaults to ``"attempts"`` (a record
        per delivery attempt, as it happens).
    poll_interval : float
        Seconds between checks for new lines and rotation.
    batch_size : int
        Most rows per batch; a batch is also handed over whenever the lines
        read so far are done.
    stop : callable, optional
        Called between batches; when it returns True, following ends, the
        records still pending are yielded, and the iterator finishes.
        Breaking out of the loop stops following too.

    Raises
    ------
    libbounce.InputError
        The file cannot be followed (missing, compressed, provider JSON).

    Examples
    --------
    >>> import libbounce
    >>> batches = libbounce.follow("corpus/samples/postfix/dec_rollover.log", year=2025,
    ...                            stop=lambda: True)
    >>> sum(b.num_rows for b in batches)
    2
    """
    pa = _import("pyarrow", "arrow")
    reader = _core.FollowReader(os.fspath(path), format, view, int(year or 0), tz or "",
                                [os.fspath(r) for r in rules], float(poll_interval),
                                int(batch_size))
    try:
        while True:
            if stop is not None and stop():
                reader.stop()  # then drain: pending records still come out
                stop = None
            try:
                arrived = reader.take(min(poll_interval, 0.25))
            except StopIteration:
                return
            if arrived is not None:
                yield from pa.RecordBatchReader.from_stream(arrived)
    finally:
        reader.stop()
