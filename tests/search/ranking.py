"""What the ranking tests read: the ids of the results, in result order."""

from search import engine


def ranked_ids(query, *, limit: int, **options) -> list[int]:
    """Ids of the first `limit` matching articles (see engine.ranked_rows)."""
    return [row[0] for row in engine.ranked_rows(query, limit=limit, **options)]
