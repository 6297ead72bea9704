"""libbounce.dask.read_logs on a two-worker distributed.LocalCluster: the same
rows as read_log on each file."""

from __future__ import annotations

import os

import pandas as pd
import pytest

import libbounce

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import libbounce.dask  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "corpus", "samples")
FILES = [os.path.join(ROOT, p) for p in ("exim/mainlog", "sendmail/maillog",
                                         "exchange/MSGTRK20240125-1.LOG",
                                         "postfix/classic.log", "ses/events.ndjson")]


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    df = df.astype({c: "string" for c in df.columns if str(df[c].dtype) == "category"})
    return df.sort_values(["file", "line", "recipient"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


@pytest.mark.parametrize("view", ["final", "attempts"])
def test_rows_match_read_log_per_file(client, view: str) -> None:
    files = [f for f in FILES if os.path.exists(f)]
    assert len(files) == 5
    ddf = libbounce.dask.read_logs(files, view=view, year=2024)
    assert ddf.npartitions == len(files)
    got = client.compute(ddf).result()
    expected = pd.concat([libbounce.read_log(f, view=view, year=2024) for f in files],
                         ignore_index=True)
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected) > 50
    pd.testing.assert_frame_equal(_sorted(got), _sorted(expected), check_dtype=False)


def test_glob_and_no_match() -> None:
    ddf = libbounce.dask.read_logs(os.path.join(ROOT, "exchange", "*.LOG"))
    assert ddf.npartitions == 2
    with pytest.raises(libbounce.InputError, match="no file matches"):
        libbounce.dask.read_logs(os.path.join(ROOT, "nothing-*.log"))


@pytest.mark.parametrize("lookback", [64 << 20, 100_000])
def test_chunk_partitions_of_one_file_match_read_log(client, lookback: int) -> None:
    """A large uncompressed file split into line-aligned chunks read in
    parallel: no record lost or repeated at the boundaries, line numbers
    absolute. With a lookback covering every message's lines (64 MiB: the whole
    file) the rows are read_log's exactly; with a short one only the fields
    from a message's earlier lines (sender, message-id, attempt count) may be
    missing, never a record or its outcome and verdict."""
    path = os.path.join(ROOT, "demo", "mail.log")
    ddf = libbounce.dask.read_logs(path, view="attempts", year=2025, chunk_bytes=100_000,
                                   lookback_bytes=lookback)
    assert ddf.npartitions == 8
    got = _sorted(client.compute(ddf).result())
    expected = _sorted(libbounce.read_log(path, view="attempts", year=2025))
    assert len(got) == len(expected) > 1000
    if lookback > os.path.getsize(path):
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    else:
        decided_by_the_line = ["file", "line", "recipient", "outcome", "reason", "action",
                               "provider", "reply_text"]
        pd.testing.assert_frame_equal(got[decided_by_the_line], expected[decided_by_the_line],
                                      check_dtype=False)
        assert (got["sender"] != expected["sender"]).sum() > 0  # the short lookback shows


def test_chunk_partitions_need_attempts_and_a_year() -> None:
    path = os.path.join(ROOT, "demo", "mail.log")
    with pytest.raises(ValueError, match="view='attempts'"):
        libbounce.dask.read_logs(path, chunk_bytes=100_000, year=2025)
    with pytest.raises(ValueError, match="year="):
        libbounce.dask.read_logs(path, view="attempts", chunk_bytes=100_000)
    # Compressed files stay whole.
    gz = os.path.join(ROOT, "demo", "mail.log.1.gz")
    assert libbounce.dask.read_logs(gz, view="attempts", year=2025,
                                    chunk_bytes=10_000).npartitions == 1
