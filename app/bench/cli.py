"""``flask bench generate --items N``: a realistic data set for benchmarks, in bulk."""

import time

import click
from flask.cli import AppGroup

from app.bench.generate import BENCH_PASSWORD, MANAGER_EMAIL, analyze, generate
from app.extensions import db

bench_cli = AppGroup("bench", help="Benchmark data sets.")


@bench_cli.command("generate")
@click.option("--items", "count", type=click.IntRange(1, 2_000_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
def generate_command(count: int, seed: int) -> None:
    """Add COUNT items over 50 organisations and 30 themes, with two years of status
    updates, comments and audit events (the hash chain stays valid)."""
    started = time.perf_counter()
    made = generate(count, seed)
    db.session.commit()
    analyze()
    click.echo(
        f"Generated {made.items} items (ids from {made.first_item}), {made.updates} status "
        f"updates, {made.comments} comments and {made.events} audit events "
        f"in {time.perf_counter() - started:.0f} s."
    )
    click.echo(f"Log in as {MANAGER_EMAIL} with the password {BENCH_PASSWORD}.")
