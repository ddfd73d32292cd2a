"""Login timing: the median time of POST /login for an unknown email, a known email with a
wrong password, a locked account and the right password, with the real argon2 parameters.
An attacker who can tell them apart learns which emails have accounts; Suivi makes every
attempt cost one argon2 verification (see docs/decisions.md, "Logins that tell nothing").

    .venv/bin/python scripts/login_timing.py [--rounds 15]

It builds a throwaway Suivi on a temporary SQLite database and uses Flask's test client
(rate limits and CSRF off: they are not what is measured), interleaving the four cases.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "correct-horse-battery"  # noqa: S105 - a throwaway account


def build():
    from app import create_app
    from app.auth import services
    from app.core.roles import SystemActor
    from app.extensions import db
    from app.stakeholders import services as organisations

    folder = tempfile.mkdtemp(prefix="suivi-login-timing-")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{os.path.join(folder, 'suivi.db')}",
        ARGON2_FAST=False,
        WTF_CSRF_ENABLED=False,
        RATELIMIT_ENABLED=False,
    )
    system = SystemActor("login-timing")
    with app.app_context():
        db.create_all()
        org = organisations.create_organisation(system, acronym="TIME", name="Timing", kind="other")
        for email in ("known@example.org", "locked@example.org", "right@example.org"):
            services.create_user(
                system, email=email, name=email, role="staff", organisation=org, password=PASSWORD
            )
        for _ in range(10):
            services.authenticate("locked@example.org", "wrong password!")
        db.session.commit()
    return app


CASES = {
    "unknown": ("nobody@example.org", PASSWORD),
    "known-wrong": ("known@example.org", "wrong password!"),
    "known-locked": ("locked@example.org", PASSWORD),
    "right": ("right@example.org", PASSWORD),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    app = build()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(rounds + 1):  # the first round warms up and is not counted
        for name, (email, password) in CASES.items():
            client = app.test_client()
            start = time.perf_counter()
            response = client.post("/login", data={"email": email, "password": password})
            elapsed = (time.perf_counter() - start) * 1000
            expected = 302 if name == "right" else 401
            assert response.status_code == expected, (name, response.status_code)
            times[name].append(elapsed)
    print(f"POST /login, median of {rounds} (ms), real argon2 parameters:")
    medians = {name: statistics.median(values[1:]) for name, values in times.items()}
    for name, median in medians.items():
        spread = statistics.quantiles(times[name][1:], n=4) if rounds >= 4 else [median] * 3
        print(f"  {name:13} {median:7.1f}   (quartiles {spread[0]:.1f}–{spread[2]:.1f})")
    print(f"  largest gap between medians: {max(medians.values()) - min(medians.values()):.1f} ms")


if __name__ == "__main__":
    main()
