"""List the items whose text largely matches another's; --rebuild first
rebuilds every signature."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from articles.models import Article
from bulletin.progress import terminal_bar
from repeats import matching

CHUNK = 200


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a real string, not a lazy one.
        return gettext(
            "List the items whose text largely matches another item's (repeats by "
            "content); --rebuild first rebuilds every item's signature."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help=gettext("Rebuild the signatures of all items first."),
        )

    def handle(self, *args, **options):
        with terminal_bar(self.stderr, {}) as report:
            if options["rebuild"]:
                done = matching.rebuild_all(
                    progress=lambda done, total: report(
                        gettext("Rebuilding the signatures"), done, total
                    )
                )
                self.stdout.write(
                    gettext("Signatures rebuilt: %(count)s items.") % {"count": done}
                )
            ids = list(
                Article.objects.filter(content_signature__isnull=False)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            seen, found = set(), 0
            for start in range(0, len(ids), CHUNK):
                chunk = Article.objects.filter(pk__in=ids[start : start + CHUNK])
                chunk = chunk.select_related("issue").order_by("pk")
                repeats = matching.repeats_of_many(chunk)
                for article in chunk:
                    for match in repeats.get(article.pk, []):
                        pair = frozenset((article.pk, match.article.pk))
                        if pair in seen:
                            continue
                        seen.add(pair)
                        found += 1
                        self.stdout.write(
                            gettext("%(where)s “%(title)s”: %(repeat)s (%(percent)d%%)")
                            % {
                                "where": article.issue or gettext("pool"),
                                "title": article.title,
                                "repeat": matching.message(match),
                                "percent": round(match.similarity * 100),
                            }
                        )
                report(gettext("Comparing the items"), start + len(chunk), len(ids))
        self.stdout.write(
            self.style.SUCCESS(
                gettext("%(count)s repeats by content found.") % {"count": found}
            )
        )
