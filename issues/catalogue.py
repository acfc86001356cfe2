"""The digest's standard columns, in print order, with the kind of item each holds.

New publications start with this catalogue (editors can change it per publication),
and the importer recognises these names as section headings in back issues.
"""

from articles.models import Article

Kind = Article.Kind
STANDARD_SECTIONS = (
    ("热点关注", Kind.NEWS),
    ("行业动向", Kind.NEWS),
    ("国际视野", Kind.NEWS),
    ("国内动态", Kind.NEWS),
    ("自贸专题", Kind.NEWS),
    ("国研专稿", Kind.RESEARCH),
    ("企业排行榜", Kind.RANKING),
    ("新书推荐", Kind.BOOK),
)
