"""Domain signals of published content, for the apps that react to it."""

from typing import TYPE_CHECKING, NamedTuple

from django.dispatch import Signal

if TYPE_CHECKING:
    from articles.models import Article

# Sent once the correction's transaction commits; `issues` lists every issue whose
# published pages changed, `corrections` the records made.
content_corrected = Signal()

# Asked (not announced) by the item admin and the issue preflight: the apps that find
# repeats by other means than link or title (`repeats`: by content) answer, so
# neither page needs to know who they are. `articles`: the items to check, saved;
# each receiver returns {article pk: [ContentRepeat, ...]}, best first.
content_repeats_wanted = Signal()


class ContentRepeat(NamedTuple):
    other: "Article"  # the earlier item, its issue loaded
    message: str  # for editors, in the finder's words: "与 2023 年第八期《…》内容重复"


def content_repeats(articles) -> dict[int, list[ContentRepeat]]:
    """What every finder says of these items (items it has nothing on are absent).

    Each finder costs its own queries (the repeats app: at most three, for any
    number of items)."""
    from articles.models import Article

    found: dict[int, list[ContentRepeat]] = {}
    articles = [article for article in articles if article.pk]
    if not articles:
        return found
    for _receiver, answer in content_repeats_wanted.send(
        sender=Article, articles=articles
    ):
        for pk, repeats in (answer or {}).items():
            found.setdefault(pk, []).extend(repeats)
    return found
