"""Bulk writes (an import, a restore) ask the side effects that can wait to run
once, when the batch ends, instead of after every saved row.

The writer opens `batch()`; a side effect that can be postponed (the search index,
rebuilt per article) calls `postpone(work, items)` and, inside a batch, is handed
every item at the end in one call. Nothing is run if the batch fails: its
transaction is rolled back anyway, so a dry run (rolled back inside its batch)
leaves the index and the cache version alone.

A writer that inserts rows with bulk_create, which sends no post_save, sends
`created_in_bulk` instead, for the receivers that must see new rows.
"""

import contextlib
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.dispatch import Signal

_pending: ContextVar[dict | None] = ContextVar("bulletin_batch", default=None)

# sender: the model; pks: the primary keys of the rows inserted.
created_in_bulk = Signal()


@contextlib.contextmanager
def batch():
    if _pending.get() is not None:  # an outer batch runs the work
        yield
        return
    token = _pending.set({})
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    for work, items in pending.items():
        work(items)


def postpone(work: Callable[[set], object], items: Iterable) -> bool:
    """Add `items` to the open batch's call of `work`; False when no batch is
    open, and the caller does the work now."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.setdefault(work, set()).update(items)
    return True
