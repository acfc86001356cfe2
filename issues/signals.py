"""Domain signals of the issue workflow; editions, search and mail listen to them.

Each is sent once the transition's transaction commits, with `issue` and the
`transition` record. `issue_transitioned` follows every step (submit, sign-off,
send back, publish...); the other two only the steps that change what readers see.
"""

from django.dispatch import Signal

issue_transitioned = Signal()
issue_published = Signal()
issue_unpublished = Signal()
