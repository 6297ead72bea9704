"""Reading many logs on a Dask cluster: a partition per file, or per chunk of
a large uncompressed file.

Each file is read by :func:`libbounce.read_log` on a worker, so the rows are
those of ``read_log`` on that file alone: a message whose lines are split
across two files (a rotation in the middle of its life) is not joined. Give
each partition a whole log (one server's day, one rotated set compressed into
one file) when that matters.

With ``chunk_bytes`` (attempts view), an uncompressed file larger than that is
split at line boundaries into partitions read in parallel. A chunk's lines
need the lines of their message before them (sender, size, earlier attempts):
each partition also parses the ``lookback_bytes`` before its chunk, keeping
only the records decided by its own lines. The rows are those of ``read_log``
on the whole file as long as every message's lines lie within
``lookback_bytes`` of each other (the default, 64 MiB, is hours of a busy
server's log); a message older than that loses its earlier fields.

On a real cluster, every worker needs ``libbounce`` installed and the paths
readable (a shared filesystem, or the same local paths on every node)::

    from dask.distributed import Client
    client = Client("scheduler.example.com:8786")
    df = libbounce.dask.read_logs("/srv/logs/*/mail.log*", view="final")
    df.groupby("reason").size().compute()
"""

from __future__ import annotations

import glob
import io
import os
from typing import TYPE_CHECKING, Any, BinaryIO, List, Optional, Sequence, Tuple, Union

from ._errors import InputError
from ._read import read_log

if TYPE_CHECKING:  # pragma: no cover
    import dask.dataframe

__all__ = ["read_logs"]

PathsOrGlob = Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]]


def _expand(paths_or_glob: PathsOrGlob) -> List[str]:
    items = [paths_or_glob] if isinstance(paths_or_glob, (str, os.PathLike)) else paths_or_glob
    paths: List[str] = []
    for item in items:
        path = os.fspath(item)
        paths.extend(sorted(glob.glob(path)) if glob.has_magic(path) else [path])
    return paths


def _read_one(part: Tuple[str, int, int, int, int], **options: Any) -> Any:
    """One partition: a whole file (begin < 0), or the records decided by the
    lines in bytes [begin, end) of a file, parsed from `parse_from` (the
    lookback) on; `lines_before` is the number of lines before `parse_from`."""
    path, parse_from, begin, end, lines_before = part
    if begin < 0:
        return read_log(path, threads=1, **options)
    with open(path, "rb") as f:
        f.seek(parse_from)
        data = f.read(end - parse_from)
    named = io.BytesIO(data)
    named.name = path  # records keep the file's path
    frame = read_log(named, threads=1, **options)
    first_own_line = lines_before + data.count(b"\n", 0, begin - parse_from) + 1
    frame["line"] = frame["line"] + lines_before
    return frame[frame["line"] >= first_own_line].reset_index(drop=True)


def _line_start_at_or_after(f: BinaryIO, offset: int) -> int:
    """The offset of the first line starting at or after `offset`."""
    if offset <= 0:
        return 0
    f.seek(offset - 1)
    while True:
        block = f.read(1 << 16)
        if not block:
            return f.tell()
        nl = block.find(b"\n")
        if nl >= 0:
            return f.tell() - len(block) + nl + 1


def _split(path: str, chunk_bytes: int,
           lookback_bytes: int) -> List[Tuple[str, int, int, int, int]]:
    """Partitions of one file: (path, parse_from, begin, end, lines before parse_from)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if size <= chunk_bytes or f.read(2) in (b"\x1f\x8b", b"\x28\xb5"):
            return [(path, -1, -1, -1, 0)]  # small or compressed: whole
        starts = sorted({_line_start_at_or_after(f, k) for k in range(0, size, chunk_bytes)})
        starts = [s for s in starts if s < size]
        bounds = list(zip(starts, starts[1:] + [size]))
        parse_from = [_line_start_at_or_after(f, max(0, b - lookback_bytes)) for b, _ in bounds]
        # Lines before each parse start, counted in one pass over the file.
        marks = sorted(set(parse_from))
        lines_before = {}
        f.seek(0)
        counted, at = 0, 0
        for mark in marks:
            while at < mark:
                block = f.read(min(1 << 24, mark - at))
                counted += block.count(b"\n")
                at += len(block)
            lines_before[mark] = counted
    return [(path, p, b, e, lines_before[p]) for (b, e), p in zip(bounds, parse_from)]


def read_logs(paths_or_glob: PathsOrGlob, format: str = "auto", view: str = "final",
              year: Optional[int] = None, tz: Optional[str] = None,
              on_error: str = "count", chunk_bytes: Optional[int] = None,
              lookback_bytes: int = 64 << 20) -> "dask.dataframe.DataFrame":
    """A dask DataFrame of classified records, a partition per file or per chunk.

    Parameters
    ----------
    paths_or_glob : path, glob, or a list of them
        The files, read each on its own (see the module documentation).
    format, view, year, tz, on_error
        As for :func:`libbounce.read_log`.
    chunk_bytes : int, optional
        Split uncompressed files larger than this into partitions (needs
        ``view="attempts"``, and ``year`` for RFC 3164 timestamps: a chunk
        has no file date to infer it from).
    lookback_bytes : int
        Bytes parsed before each chunk for the context of its messages.

    Returns
    -------
    dask.dataframe.DataFrame
        The columns and dtypes of :func:`libbounce.read_log`.

    Examples
    --------
    >>> import libbounce.dask
    >>> df = libbounce.dask.read_logs("corpus/samples/exim/mainlog")
    >>> int(df.npartitions), int((df["outcome"] == "bounced").sum().compute())
    (1, 9)
    """
    import dask.dataframe as dd

    paths = _expand(paths_or_glob)
    if not paths:
        raise InputError(f"no file matches {paths_or_glob!r}")
    options = dict(format=format, view=view, year=year, tz=tz, on_error=on_error)
    parts = [(p, -1, -1, -1, 0) for p in paths]
    if chunk_bytes is not None:
        if view != "attempts":
            raise ValueError("chunk_bytes needs view='attempts': a final outcome may be "
                             "decided in a later chunk than the message's first lines")
        if year is None:
            raise ValueError("chunk_bytes needs year=: a chunk has no file date to infer it from")
        parts = [part for p in paths for part in _split(p, int(chunk_bytes), lookback_bytes)]
    meta = read_log(b"", format="postfix" if format == "auto" else format, view=view)
    frame: "dask.dataframe.DataFrame" = dd.from_map(  # type: ignore[no-untyped-call]
        _read_one, parts, meta=meta, enforce_metadata=False, label="libbounce-read-log",
        **options)
    return frame
