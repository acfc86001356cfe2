"""The one declaration of ranking: the parts of an item search reads and what
a match in each weighs, heaviest first.

    title 8 > abstract/keywords/tags (meta) 4 > body 2 > source/attachments (tail) 1

A result's relevance is, per query group, the weight of the best field holding
it, summed over the groups. The host index (search.host_index) and the
reference (search.engine) both derive from this.
"""

FIELD_WEIGHTS = {"title": 8, "meta": 4, "body": 2, "tail": 1}
FIELDS = tuple(FIELD_WEIGHTS)
