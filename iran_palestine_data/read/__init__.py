"""Files -> tables: the all-string read shared by ``load()`` and ``validate()`` (:mod:`.strings`),
typed casts (:mod:`.casts`), ``load()``/``load_all()``/``records()`` (:mod:`.tables`), same_as
clusters and merging (:mod:`.same_as`), row lookup and the dataset summary (:mod:`.lookup`).

May import ``contract`` and the ground floor; never ``validation``, ``graph`` or anything above.
"""
