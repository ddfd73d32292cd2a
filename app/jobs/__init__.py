"""A job queue: work that runs after the request's commit, in a worker on Redis (RQ) or inline."""

from app.jobs.queue import dispatch_ready, enqueue, init_app

__all__ = ["dispatch_ready", "enqueue", "init_app"]
