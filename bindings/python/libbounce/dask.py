"""Reading many logs on a Dask cluster: one partition per file.

Each file is read by :func:`libbounce.read_log` on a worker, so the rows are
those of ``read_log`` on that file alone: a message whose lines are split
across two files (a rotation in the middle of its life) is not joined. Give
each partition a whole log (one server's day, one rotated set compressed into
one file) when that matters.

On a real cluster, every worker needs ``libbounce`` installed and the paths
readable (a shared filesystem, or the same local paths on every node)::

    from dask.distributed import Client
    client = Client("scheduler.example.com:8786")
    df = libbounce.dask.read_logs("/srv/logs/*/mail.log*", view="final")
    df.groupby("reason").size().compute()
"""

from __future__ import annotations

import glob
import os
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Union

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


def _read_one(path: str, **options: Any) -> Any:
    return read_log(path, threads=1, **options)


def read_logs(paths_or_glob: PathsOrGlob, format: str = "auto", view: str = "final",
              year: Optional[int] = None, tz: Optional[str] = None,
              on_error: str = "count") -> "dask.dataframe.DataFrame":
    """A dask DataFrame of classified records, one partition per file.

    Parameters
    ----------
    paths_or_glob : path, glob, or a list of them
        The files, read each on its own (see the module documentation).
    format, view, year, tz, on_error
        As for :func:`libbounce.read_log`.

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
    meta = read_log(b"", format="postfix" if format == "auto" else format, view=view)
    frame: "dask.dataframe.DataFrame" = dd.from_map(  # type: ignore[no-untyped-call]
        _read_one, paths, meta=meta, enforce_metadata=False, label="libbounce-read-log",
        **options)
    return frame
