"""The per-transaction dataset `txs/period=<P>/part-0.parquet`, read as analysts read it.

DuckDB (`read_parquet(..., hive_partitioning = true)`) and polars (`scan_parquet`) must both read
the hive-partitioned dataset lazily and get the counts and sums of summary.json, and the same as
each other; every period's rows are the transactions of the blocks of that period's heights.
"""

import math
import re

import duckdb
import polars as pl
import pytest

PAYERS = {
    "p2pk", "p2pkh", "p2sh", "p2sh-p2wpkh", "p2sh-p2wsh", "p2wpkh", "p2wsh", "p2tr", "p2a",
    "witness_unknown", "multisig", "nonstandard", "mixed",
}
TX_COLUMNS = ["height", "txid", "fee", "size", "vsize", "weight", "fee_rate", "class", "payer"]


def glob(report) -> str:
    return str(report / "txs" / "**" / "*.parquet")


def duck_totals(report) -> dict:
    con = duckdb.connect()
    row = con.execute(
        f"""
        SELECT count(*) AS transactions,
               sum(fee) AS total_fee,
               count(*) FILTER (WHERE class = 'zero') AS zero_fee_transactions,
               count(*) FILTER (WHERE class = 'round_fee') AS round_fee_transactions,
               count(*) FILTER (WHERE class = 'round_rate') AS round_rate_transactions,
               avg(fee_rate) AS mean_fee_rate,
               sum(vsize) AS vsize
        FROM read_parquet('{glob(report)}', hive_partitioning = true)
        """
    ).fetchone()
    names = ["transactions", "total_fee", "zero_fee_transactions", "round_fee_transactions",
             "round_rate_transactions", "mean_fee_rate", "vsize"]
    return {k: (int(v) if k not in ("mean_fee_rate",) and v is not None else v) for k, v in zip(names, row)}


def polars_totals(report) -> dict:
    lf = pl.scan_parquet(glob(report), hive_partitioning=True)
    return lf.select(
        pl.len().alias("transactions"),
        pl.col("fee").sum().alias("total_fee"),
        (pl.col("class") == "zero").sum().alias("zero_fee_transactions"),
        (pl.col("class") == "round_fee").sum().alias("round_fee_transactions"),
        (pl.col("class") == "round_rate").sum().alias("round_rate_transactions"),
        pl.col("fee_rate").mean().alias("mean_fee_rate"),
        pl.col("vsize").cast(pl.UInt64).sum().alias("vsize"),
    ).collect().row(0, named=True)


def test_layout_is_hive_partitioned_by_period(report, parts):
    for part in parts:
        m = re.fullmatch(r"period=(\d+)", part.parent.name)
        assert m, f"{part}: folder is not period=<integer>"
        assert part.name == "part-0.parquet", f"{part}: expected one part-0.parquet a period"
        columns = list(pl.read_parquet_schema(part))
        assert "period" not in columns, f"{part} holds a period column (hive partitioning adds it)"
        assert columns == TX_COLUMNS, f"{part}: columns {columns}, expected {TX_COLUMNS}"


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_totals_equal_summary(report, summary, parts, engine):
    got = duck_totals(report) if engine == "duckdb" else polars_totals(report)
    t = summary["table"]
    for k in ["transactions", "total_fee", "zero_fee_transactions", "round_fee_transactions",
              "round_rate_transactions"]:
        assert got[k] == t[k], f"{engine}: {k} = {got[k]}, summary.json says {t[k]}"
    assert math.isclose(got["mean_fee_rate"], t["mean_fee_rate"], rel_tol=1e-9)
    assert math.isclose(got["vsize"] / got["transactions"], t["mean_tx_vsize"], rel_tol=1e-9)
    assert summary["settings"]["per_tx"] is True


def test_duckdb_and_polars_agree(report, parts):
    d, p = duck_totals(report), polars_totals(report)
    assert d.keys() == p.keys()
    for k in d:
        if k == "mean_fee_rate":
            assert math.isclose(d[k], p[k], rel_tol=1e-12), k
        else:
            assert d[k] == p[k], f"{k}: duckdb {d[k]}, polars {p[k]}"


def test_by_payer_counts_equal_summary(report, summary, parts):
    assert "by_payer" in summary, f"{report}/summary.json has no by_payer: re-run scripts/test-notebooks.sh"
    stored = {r["payer"]: r for r in summary["by_payer"]}
    con = duckdb.connect()
    duck = {
        payer: (n, rf, rr)
        for payer, n, rf, rr in con.execute(
            f"""
            SELECT payer, count(*), count(*) FILTER (WHERE class = 'round_fee'),
                   count(*) FILTER (WHERE class = 'round_rate')
            FROM read_parquet('{glob(report)}', hive_partitioning = true) GROUP BY payer
            """
        ).fetchall()
    }
    polars = {
        r["payer"]: (r["n"], r["rf"], r["rr"])
        for r in pl.scan_parquet(glob(report), hive_partitioning=True)
        .group_by("payer")
        .agg(pl.len().alias("n"), (pl.col("class") == "round_fee").sum().alias("rf"),
             (pl.col("class") == "round_rate").sum().alias("rr"))
        .collect()
        .iter_rows(named=True)
    }
    assert duck == polars, f"duckdb {duck} != polars {polars}"
    unknown = set(duck) - PAYERS
    assert not unknown, f"unknown payer types {unknown}"
    want = {p: (r["transactions"], r["round_fee_transactions"], r["round_rate_transactions"])
            for p, r in stored.items()}
    assert duck == want, f"dataset {duck} != summary.json by_payer {want}"
    counts = [r["transactions"] for r in summary["by_payer"]]
    assert counts == sorted(counts, reverse=True), f"by_payer not most transactions first: {counts}"


def test_period_rows_are_that_periods_blocks(report, parts):
    blocks = pl.read_parquet(report / "blocks.parquet", columns=["height", "fee_txs"])
    want = {
        r["period"]: r["rows"]
        for r in blocks.group_by((pl.col("height") // 2016).cast(pl.Int64).alias("period"))
        .agg(pl.col("fee_txs").sum().alias("rows"))
        .iter_rows(named=True)
    }
    con = duckdb.connect()
    duck = dict(con.execute(
        f"SELECT period, count(*) FROM read_parquet('{glob(report)}', hive_partitioning = true) GROUP BY period"
    ).fetchall())
    misfiled = con.execute(
        f"""SELECT count(*) FROM read_parquet('{glob(report)}', hive_partitioning = true)
            WHERE period <> height // 2016"""
    ).fetchone()[0]
    polars = {
        r["period"]: r["len"]
        for r in pl.scan_parquet(glob(report), hive_partitioning=True).group_by("period").len().collect().iter_rows(named=True)
    }
    assert misfiled == 0, f"{misfiled} rows in a period=<P> folder other than height / 2016"
    # A period whose blocks hold only coinbases may have an empty part or none.
    assert {p: duck.get(p, 0) for p in want} == want, f"rows per period: duckdb {duck}, blocks.parquet {want}"
    assert {p: polars.get(p, 0) for p in want} == want, f"rows per period: polars {polars}, blocks.parquet {want}"
    # One part for each period the range touches (empty when its blocks hold only coinbases).
    folders = {int(p.parent.name.split("=")[1]) for p in parts}
    assert folders == set(want), f"parts for periods {sorted(folders)}, the blocks' periods are {sorted(want)}"


def test_two_period_dataset_spans_two_periods():
    """The two-period report really has parts period=0 and period=1 with rows in each."""
    from conftest import TWO_PERIODS

    parts = sorted((TWO_PERIODS / "txs").glob("period=*/part-0.parquet"))
    assert [p.parent.name for p in parts] == ["period=0", "period=1"], (
        f"{TWO_PERIODS}: parts {parts}; run scripts/test-notebooks.sh"
    )
    rows = [pl.scan_parquet(p).select(pl.len()).collect().item() for p in parts]
    assert all(n > 0 for n in rows), rows
    heights = [pl.scan_parquet(p).select(pl.col("height").min().alias("lo"), pl.col("height").max().alias("hi")).collect().row(0) for p in parts]
    assert heights[0][1] <= 2015 and heights[1][0] >= 2016, heights
