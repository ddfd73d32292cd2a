"""The benchmark's parts that decide its figures: percentiles, the SQL recorder and replay,
the table's verdicts and the wrk script."""

from sqlalchemy import create_engine, text
from sqlalchemy.pool import StaticPool

from app.bench import load, rawsql, report
from app.bench.client import percentile, summary_ms
from app.core.sqlite import configure_engine


def test_p95_is_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.5) == 50.0
    assert summary_ms([0.010, 0.020, 0.030]) == {"n": 3, "median_ms": 20.0, "p95_ms": 30.0}


def _engine():
    engine = create_engine("sqlite://", poolclass=StaticPool)
    configure_engine(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    return engine


def test_recorder_keeps_statements_and_counts_commits_after_writes():
    engine = _engine()
    recorder = rawsql.Recorder(engine)
    with engine.connect() as conn, recorder.recording() as recorded:
        with conn.begin_nested():
            conn.execute(text("SELECT count(*) FROM t"))  # a read: not a commit to pay for
        with conn.begin_nested():
            conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
        conn.rollback()
    kinds = [statement.split()[0] for statement, _params, _many in recorded.statements]
    assert kinds == ["SELECT", "INSERT"]
    assert recorded.commits == 1


def test_replay_runs_the_statements_and_leaves_nothing_behind():
    engine = _engine()
    raw = engine.raw_connection()
    statements = [("INSERT INTO t (v) VALUES (?)", ("x",), False), ("SELECT * FROM t", (), False)]
    assert rawsql.replay_seconds(raw, "sqlite", statements) > 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0


def _results(p95: float, errors: int = 0) -> dict:
    return {
        "requests": {
            "list": {
                "label": "List",
                "n": 50,
                "median_ms": p95 / 2,
                "p95_ms": p95,
                "target_p95_ms": 25,
                "errors": errors,
            }
        },
        "floors": {"list": {"median_ms": 1.0, "statements": 7}},
        "workers": [{"rss_mb": 90.0, "peak_mb": 160.0}],
    }


def test_table_says_which_targets_are_met_and_counts_errors():
    assert "| 25 | yes |" in report.table(_results(20.0))
    assert "| 25 | **no** |" in report.table(_results(30.0))
    assert "| 25 | 2 errors |" in report.table(_results(20.0, errors=2))
    assert "| 150 | **no** |" in report.table(_results(20.0))  # the peak is what counts


def test_wrk_script_gives_each_write_its_own_item_and_version():
    lua = load.script("session=abc", "suivi_tok", [(7, 3, 40), (9, 5, 10)], (1, 100), 2)
    assert "{7,3,40},{9,5,10}" in lua
    assert 'local token = "suivi_tok"' in lua
    assert "widx = widx + nthreads" in lua
    assert "%d" in lua
    assert "%%" not in lua
