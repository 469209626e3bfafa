"""Streaming changes no number: stats.json built from the whole frame at once, chunk by chunk (small chunks that
cut across splits), from a source read row group by row group, and on a local Dask cluster are byte-identical."""
from __future__ import annotations

import os
import random

import pandas as pd
import pyarrow.parquet as pq
import pytest

from builders import rows, write_parquet
from range_server import RangeServer
from vixray_eda.data.chunks import plan_chunks, read_chunk
from vixray_eda.data.sources import load
from vixray_eda.errors import ParameterError
from vixray_eda.report.engines import frame_stats, source_stats
from vixray_eda.report.stats_json import build_stats, dumps
from vixray_eda.stats.summary import compute_results


def whole(source, **kwargs) -> str:
    return dumps(build_stats(compute_results(load(source, **kwargs), splits=kwargs.get("splits"))))


@pytest.fixture(scope="module")
def sample_whole() -> str:
    return whole("sample")


def test_sample_chunk_by_chunk_equals_the_whole_frame(sample_whole):
    df = load("sample")
    assert dumps(frame_stats(df, chunk_rows=613)) == sample_whole  # chunks cut across splits


def test_sample_read_row_group_by_row_group_equals_load(sample_whole):
    plan = plan_chunks("sample", chunk_rows=500)
    assert len(plan.chunks) > 8, "the sample must be read in several chunks for this test to mean anything"
    assert dumps(source_stats("sample", chunk_rows=500)) == sample_whole


def messy(tmp_path, n: int = 90):
    """One file with a split column in mixed order, messy ages and sex labels, duplicates, a leaked report, a PHI
    pattern and shorthand, written in row groups of 7 rows."""
    rng = random.Random(3)
    texts = ["Bóng tim không to. Hai phổi sáng.", "TDMP trái lượng ít.", "Đám mờ thùy dưới phổi phải, nghĩ viêm phổi?",
             "Không thấy tràn khí màng phổi. Bệnh nhân Nguyễn Văn An.", "Gãy cung sau xương sườn 5 trái."]
    data = rows(n, findings=[rng.choice(texts) + ("" if i % 4 else f" Ca {i}.") for i in range(n)],
                impressions=[rng.choice(["Bình thường.", "Theo dõi viêm phổi.", "", None]) for _ in range(n)],
                Ages=[rng.choice(["65", "70 tuổi", "abc", None, "150", "45,5"]) for _ in range(n)],
                sex=[rng.choice(["Nam", "nữ", "F", "x", None]) for _ in range(n)])
    data["split"] = [rng.choice(["train", "Test", "val", " train "]) for _ in range(n)]
    del data["image"]
    return write_parquet(tmp_path / "reports.parquet", data, row_group_size=7)


def test_a_split_column_file_streamed_equals_load(tmp_path):
    path = messy(tmp_path)
    assert dumps(source_stats(path, chunk_rows=10)) == whole(path)
    assert dumps(source_stats(path, chunk_rows=10, splits=["train", "val"])) == whole(path, splits=["train", "val"])


def test_chunks_continue_ids_and_row_numbers(tmp_path):
    path = messy(tmp_path)
    plan = plan_chunks(path, chunk_rows=10)
    frames = [read_chunk(plan, spec)[0] for spec in plan.chunks]
    streamed = sorted(id_ for f in frames for id_ in f["id"])
    assert streamed == sorted(load(path)["id"])
    by_id = pd.concat(frames).set_index("id").sort_index()
    loaded = load(path).set_index("id").sort_index()
    pd.testing.assert_frame_equal(by_id, loaded, check_dtype=False)


def test_csv_and_parquet_shards_of_a_hub_folder_equal_load(tmp_path):
    write_parquet(tmp_path / "data" / "train-00000-of-00002.parquet", rows(30), row_group_size=4)
    write_parquet(tmp_path / "data" / "train-00001-of-00002.parquet", rows(12, start=30), row_group_size=5)
    write_parquet(tmp_path / "data" / "test-00000-of-00001.parquet", rows(9, start=3), row_group_size=4)
    pd.DataFrame(rows(6, start=50)).drop(columns="image").to_csv(tmp_path / "data" / "validation.csv", index=False)
    assert dumps(source_stats(tmp_path, chunk_rows=6)) == whole(tmp_path)


def test_remote_streaming_moves_only_the_text_columns(tmp_path):
    big = [{"bytes": os.urandom(40_000), "path": f"{i}.png"} for i in range(200)]
    path = write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet", rows(200, image=big), row_group_size=50)
    with RangeServer(tmp_path) as server:
        streamed = dumps(source_stats(f"{server.url}/data/train-00000-of-00001.parquet", chunk_rows=50))
        moved = server.bytes_served
    size = path.stat().st_size
    assert moved < 0.05 * size, f"fetched {moved} of {size} bytes"
    assert '"rows": 200' in streamed


def test_engine_and_chunk_size_are_checked():
    with pytest.raises(ParameterError, match="engine must be one of local, dask"):
        source_stats("sample", engine="spark")
    with pytest.raises(ParameterError, match="chunk_rows must be at least 1"):
        source_stats("sample", chunk_rows=0)


def text_column_bytes(path) -> int:
    """Compressed bytes of every column chunk but the images: what a projected read may move, plus footers."""
    meta = pq.ParquetFile(path).metadata
    return sum(meta.row_group(g).column(c).total_compressed_size for g in range(meta.num_row_groups)
               for c in range(meta.num_columns) if not meta.row_group(g).column(c).path_in_schema.startswith("image"))


FOOTER_READ = 64 * 1024  # pyarrow reads a remote footer in one request of at most 64 KiB


@pytest.mark.slow
def test_a_dask_cluster_of_two_worker_processes_gives_the_same_document_and_reads_remote_data_projected(
        tmp_path, sample_whole):
    distributed = pytest.importorskip("distributed")
    big = [{"bytes": os.urandom(200_000), "path": f"{i}.png"} for i in range(120)]
    path = write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet", rows(120, image=big), row_group_size=20)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert dumps(source_stats("sample", chunk_rows=1000, engine="dask", scheduler=cluster.scheduler_address)
                     ) == sample_whole
        with RangeServer(tmp_path) as server:
            url = f"{server.url}/data/train-00000-of-00001.parquet"
            remote = dumps(source_stats(url, chunk_rows=20, engine="dask", scheduler=cluster.scheduler_address,
                                        cache=False))
            moved = server.bytes_served
            assert remote == dumps(source_stats(url, chunk_rows=20, cache=False))
    # footers: the planner's, provenance's, then once per worker process; the rest is text columns only
    assert moved <= text_column_bytes(path) + 4 * FOOTER_READ + 16 * 1024, f"moved {moved} of {path.stat().st_size} bytes"
    assert moved < 0.02 * path.stat().st_size


def test_the_stats_command_writes_the_document_and_never_overwrites_a_foreign_file(tmp_path, sample_whole):
    from vixray_eda.cli import main

    out = tmp_path / "stats.json"
    assert main(["stats", "--data", "sample", "--out", str(out), "--chunk-rows", "2000"]) == 0
    assert out.read_text(encoding="utf-8") == sample_whole
    assert main(["stats", "--data", "sample", "--out", str(out), "--chunk-rows", "2000"]) == 0  # ours: replaced
    foreign = tmp_path / "notes.json"
    foreign.write_text('{"mine": true}', encoding="utf-8")
    assert main(["stats", "--data", "sample", "--out", str(foreign)]) == 2
    assert foreign.read_text(encoding="utf-8") == '{"mine": true}'


def test_files_with_different_extra_columns_stream_as_they_load(tmp_path):
    write_parquet(tmp_path / "data" / "train-00000-of-00002.parquet", rows(9, ward=["A"] * 9), row_group_size=4)
    write_parquet(tmp_path / "data" / "train-00001-of-00002.parquet", rows(7, start=9), row_group_size=4)
    write_parquet(tmp_path / "data" / "test-00000-of-00001.parquet", rows(5, start=20, machine=["X"] * 5),
                  row_group_size=4)
    assert dumps(source_stats(tmp_path, chunk_rows=4)) == whole(tmp_path)


def test_an_unreachable_scheduler_is_one_line():
    pytest.importorskip("distributed")
    from vixray_eda.errors import ReportError

    with pytest.raises(ReportError, match=r"dask scheduler tcp://127.0.0.1:9: cannot be reached within 10s"):
        source_stats("sample", engine="dask", scheduler="tcp://127.0.0.1:9")


@pytest.mark.slow
def test_dask_workers_analyze_many_unique_sentences_in_their_own_process(tmp_path):
    """A chunk with enough unique sentences for the parallel text analysis runs inside a Dask worker (a daemonic
    process may not start a process pool)."""
    distributed = pytest.importorskip("distributed")
    n = 1500
    path = write_parquet(tmp_path / "train.parquet",
                         {k: v for k, v in rows(n, findings=[f"Nốt mờ số {i} thùy trên phổi phải." for i in range(n)]
                                                ).items() if k != "image"}, row_group_size=n)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        streamed = dumps(source_stats(path, engine="dask", scheduler=cluster.scheduler_address, cache=False))
    assert streamed == whole(path)


def test_a_split_column_file_is_planned_from_its_split_column_alone(tmp_path, monkeypatch):
    from vixray_eda.data import sources

    path = messy(tmp_path)
    expected = plan_chunks(path, chunk_rows=10).chunks

    def no_data_read(*args, **kwargs):
        raise AssertionError("planning read the data columns")

    monkeypatch.setattr(sources, "read_parquet_part", no_data_read)
    assert plan_chunks(path, chunk_rows=10).chunks == expected
