"""The status updates that take an item from its status to the one a row asks for: the
shortest path of transitions the importer may make by hand (pure Python, no database)."""

from collections import deque

from app.items import workflow


def status_path(source: str, target: str, role: str) -> list[str] | None:
    """The statuses to post, in order, to go from ``source`` to ``target`` (``[]`` when they
    are the same), or None when ``role`` cannot get there."""
    if source == target:
        return []
    allowed = workflow.allowed_transitions
    previous: dict[str, str] = {source: source}
    queue = deque([source])
    while queue:
        status = queue.popleft()
        for transition in allowed(status, role, True):
            nxt = transition.target
            if nxt in previous:
                continue
            previous[nxt] = status
            if nxt == target:
                path = [nxt]
                while previous[path[-1]] != source:
                    path.append(previous[path[-1]])
                return path[::-1]
            queue.append(nxt)
    return None


def plan_steps(
    status: str, progress: int, target: str | None, wanted: int | None, role: str
) -> tuple[list[tuple[str, int | None]], str | None]:
    """``(steps, problem)``: the ``(status, progress)`` updates to post, or a message template
    saying why the row's status and progress cannot be reached."""
    target = target or status
    fixed = workflow.FIXED_PROGRESS.get(target)
    if fixed is not None and wanted is not None and wanted != fixed:
        return [], "fixed"
    path = status_path(status, target, role)
    if path is None:
        return [], "path"
    if not path:
        if wanted is None or wanted == progress:
            return [], None
        if (target, target) not in workflow.TRANSITIONS:
            return [], "progress"
        return [(target, wanted)], None
    steps: list[tuple[str, int | None]] = [(s, None) for s in path]
    steps[-1] = (target, wanted)
    return steps, None
