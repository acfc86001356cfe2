"""The digest's standard columns, in print order, with the kind of item each holds.

New publications start with this catalogue (editors can change it per publication),
and the importer recognises these names as section headings in back issues.
"""

STANDARD_SECTIONS = (
    ("热点关注", "news"),
    ("行业动向", "news"),
    ("国际视野", "news"),
    ("国内动态", "news"),
    ("自贸专题", "news"),
    ("国研专稿", "research"),
    ("企业排行榜", "ranking"),
    ("新书推荐", "book"),
)
