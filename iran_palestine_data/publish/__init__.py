"""What the package makes for people and other tools: exports (:mod:`.exporters`), the codebook and
the datasheet's generated block (:mod:`.codebook`, :mod:`.datasheet`), source coverage
(:mod:`.coverage`), figures (:mod:`.figures`) and citations (:mod:`.citation`).

May import ``graph``, ``read``, ``contract`` and the ground floor; never ``validation`` or ``cli``.
"""
