"""Reading logs into DataFrames and Arrow tables, without a Python object per record.

The records are built in C++ as Arrow record batches and handed over through
the Arrow PyCapsule stream interface (``__arrow_c_stream__``), so pyarrow,
pandas, polars and DuckDB read them without copies or per-row objects.
"""

from __future__ import annotations

import glob
import importlib
import os
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence,
                    Tuple, Union)

from . import _core

if TYPE_CHECKING:  # optional dependencies, imported lazily at run time
    import pandas
    import pyarrow

__all__ = ["Scan", "read_log", "read_log_arrow", "scan", "iter_batches"]

PathLike = Union[str, "os.PathLike[str]"]
Source = Union[PathLike, bytes, bytearray, memoryview, Any]
Sources = Union[Source, Sequence[Source]]
Progress = Union[None, bool, Callable[[int, int], Any]]


def _import(name: str, extra: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"this needs {name}: pip install 'libbounce[{extra}]' (or {name})") from e


def _inputs(sources: Sources) -> List[Tuple[str, str, Optional[bytes]]]:
    """(kind, name, data) tuples: files (globs expanded, rotated sets oldest first),
    stdin ("-"), or bytes read from memory or from binary file objects."""
    if isinstance(sources, (str, os.PathLike, bytes, bytearray, memoryview)) or hasattr(sources, "read"):
        items: Sequence[Source] = [sources]
    else:
        items = list(sources)
    if not items:
        raise ValueError("no input given")
    out: List[Tuple[str, str, Optional[bytes]]] = []
    paths: List[str] = []

    def flush_paths() -> None:
        for name in _core.order_rotated(paths):
            out.append(("stdin", "-", None) if name == "-" else ("file", name, None))
        paths.clear()

    for item in items:
        if isinstance(item, (bytes, bytearray, memoryview)):
            flush_paths()
            out.append(("memory", "<bytes>", bytes(item)))
        elif hasattr(item, "read"):
            flush_paths()
            data = item.read()
            if isinstance(data, str):
                raise TypeError("file objects must be opened in binary mode ('rb')")
            out.append(("memory", str(getattr(item, "name", "<file>")), bytes(data)))
        elif isinstance(item, (str, os.PathLike)):
            path = os.fspath(item)
            if path != "-" and glob.has_magic(path):
                matches = sorted(glob.glob(path))
                if not matches:
                    raise FileNotFoundError(f"no file matches {path!r}")
                paths.extend(matches)
            else:
                paths.append(path)
        else:
            raise TypeError(
                f"inputs are paths, bytes or binary file objects, not {type(item).__name__}")
    flush_paths()
    return out


def _progress(progress: Progress) -> Tuple[Optional[Callable[[int, int], Any]], Any]:
    if progress is None or progress is False:
        return None, None
    if callable(progress):
        return progress, None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None, None
    bar = tqdm(total=0, unit="B", unit_scale=True, desc="libbounce")

    def update(done: int, total: int) -> None:
        if total and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return update, bar


def _read(sources: Sources, format: str, view: str, year: Optional[int], tz: Optional[str],
          threads: Optional[int], progress: Progress, on_error: str,
          rules: Sequence[PathLike], batch_size: int) -> Any:
    callback, bar = _progress(progress)
    try:
        return _core.read_records(
            _inputs(sources), format, view, int(year or 0), tz or "",
            0 if threads is None else int(threads), on_error, [os.fspath(r) for r in rules],
            int(batch_size), callback)
    finally:
        if bar is not None:
            bar.close()


class Scan:
    """A lazy read: nothing is read until a consumer asks for the data.

    Implements the Arrow PyCapsule stream interface, so ``pyarrow.table(scan)``,
    ``polars.from_arrow(scan)`` (or ``pl.DataFrame(scan)``) and DuckDB read it
    directly. Statistics are on ``.stats`` after the read.
    """

    def __init__(self, sources: Sources, **options: Any) -> None:
        self._sources = sources
        self._options = options
        self._result: Any = None

    def _stream(self) -> Any:
        if self._result is None:
            self._result = _read(self._sources, **self._options)
        return self._result

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._stream().__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> Any:
        return _core.RecordStream.__arrow_c_schema__(self._stream())

    @property
    def stats(self) -> dict:  # type: ignore[type-arg]
        """Line accounting of the read (parsed + ignored + unparsed = lines)."""
        return dict(self._stream().stats)


def scan(sources: Sources, format: str = "auto", view: str = "final", year: Optional[int] = None,
         tz: Optional[str] = None, threads: Optional[int] = None, progress: Progress = None,
         on_error: str = "count", rules: Sequence[PathLike] = (),
         batch_size: int = 65536) -> Scan:
    """A lazy read of mail logs or provider events; see :func:`read_log` for the arguments.

    Examples
    --------
    >>> import libbounce, pyarrow
    >>> t = pyarrow.table(libbounce.scan("corpus/samples/postfix/dec_rollover.log", year=2025))
    >>> t.num_rows
    2
    """
    return Scan(sources, format=format, view=view, year=year, tz=tz, threads=threads,
                progress=progress, on_error=on_error, rules=rules, batch_size=batch_size)


def read_log_arrow(sources: Sources, format: str = "auto", view: str = "final",
                   year: Optional[int] = None, tz: Optional[str] = None,
                   threads: Optional[int] = None, progress: Progress = None,
                   on_error: str = "count", rules: Sequence[PathLike] = ()) -> "pyarrow.Table":
    """Read logs into a :class:`pyarrow.Table`; see :func:`read_log`.

    The table's schema metadata is empty; the statistics are returned by
    :func:`read_log` in ``DataFrame.attrs["stats"]``, and by :func:`scan` in ``.stats``.
    """
    pa = _import("pyarrow", "arrow")
    stream = _read(sources, format, view, year, tz, threads, progress, on_error, rules, 65536)
    return pa.RecordBatchReader.from_stream(stream).read_all()


def read_log(sources: Sources, format: str = "auto", view: str = "final",
             year: Optional[int] = None, tz: Optional[str] = None,
             threads: Optional[int] = None, progress: Progress = None,
             on_error: str = "count", rules: Sequence[PathLike] = ()) -> "pandas.DataFrame":
    """Read mail logs or provider events into a pandas DataFrame of classified records.

    Parameters
    ----------
    sources : path, glob, bytes, binary file object, or a list of them
        Postfix, Exim, Sendmail or Exchange logs (plain, gzip or zstd, detected
        by content; rotated sets are read oldest first) or provider event
        exports (JSON, arrays, NDJSON).
        ``"-"`` reads standard input.
    format : str, default "auto"
        ``"auto"`` recognises each input; or ``"postfix"``, ``"exim"``,
        ``"sendmail"``, ``"exchange"``, ``"ses"``, ``"sendgrid"``, ``"mailgun"``,
        ``"postmark"``, ``"sparkpost"``.
    view : {"final", "attempts"}, default "final"
        One row per (message, recipient) with its last outcome, or one row per
        delivery attempt.
    year : int, optional
        Year of the first RFC 3164 timestamp (default: from the file's mtime).
    tz : str, optional
        Zone of timestamps without one, e.g. ``"+01:00"`` (default UTC).
    threads : int, optional
        Threads, the calling one included (default: all cores); the rows do not
        depend on it.
    progress : bool or callable, optional
        ``True`` shows a tqdm bar when tqdm is installed; a callable receives
        ``(bytes_done, bytes_total)``.
    on_error : {"count", "collect", "raise"}, default "count"
        Unparsed lines are counted; also listed in ``attrs["stats"]["errors"]``
        (``"collect"``); or raise :class:`libbounce.InputError` naming file and line.
    rules : list of path-like, optional
        User classification rules (TSV or JSON) that take precedence.

    Returns
    -------
    pandas.DataFrame
        Columns as ``bounce parse`` writes them (``libbounce.RECORD_COLUMNS``);
        ``time`` is tz-aware UTC; outcome, reason, action, stage, provider,
        format and bounce_type are categoricals; codes, ports and sizes are
        nullable integers. ``attrs["stats"]`` holds the line accounting.

    Examples
    --------
    >>> import libbounce
    >>> df = libbounce.read_log("corpus/samples/postfix/classic.log", year=2025)
    >>> df.attrs["stats"]["lines"], df.attrs["stats"]["unparsed"]
    (160, 0)
    >>> int(df.groupby("outcome", observed=True).size()["bounced"])
    7
    >>> str(df["time"].dtype)
    'datetime64[us, UTC]'
    """
    pa = _import("pyarrow", "pandas")
    pd = _import("pandas", "pandas")
    stream = _read(sources, format, view, year, tz, threads, progress, on_error, rules, 65536)
    # Nullable integers (reply codes, ports, sizes) stay integers in pandas.
    frame = pa.RecordBatchReader.from_stream(stream).read_all().to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    frame.attrs["stats"] = dict(stream.stats)
    return frame


def iter_batches(sources: Sources, batch_size: int = 65536, **options: Any) -> Iterator["pyarrow.RecordBatch"]:
    """Yield :class:`pyarrow.RecordBatch` objects of at most ``batch_size`` rows.

    Takes the arguments of :func:`read_log`.
    """
    pa = _import("pyarrow", "arrow")
    defaults: Dict[str, Any] = dict(format="auto", view="final", year=None, tz=None,
                                    threads=None, progress=None, on_error="count", rules=())
    defaults.update(options)
    stream = _read(sources, batch_size=batch_size, **defaults)
    yield from pa.RecordBatchReader.from_stream(stream)
