"""Domain signals of the issue workflow; editions, search and mail listen to them.

Both are sent once the transition's transaction commits, with `issue` and the
`transition` record.
"""

from django.dispatch import Signal

issue_published = Signal()
issue_unpublished = Signal()
