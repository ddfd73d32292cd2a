"""Functions the queue's tests enqueue (a worker imports them by name)."""

CALLS: list[tuple] = []
FAILURES: dict[str, int] = {}


def remember(*args) -> None:
    CALLS.append(args)


def explode(message: str) -> None:
    raise RuntimeError(message)


def flaky(key: str, failures: int) -> None:
    """Fail ``failures`` times for ``key``, then succeed."""
    FAILURES[key] = FAILURES.get(key, 0) + 1
    if FAILURES[key] <= failures:
        raise ConnectionError(f"attempt {FAILURES[key]} of {key} failed")
    CALLS.append((key,))
