"""The claims graph: how rows relate (``csv/claim_links.csv``), and the searches for pairs to link.

* :mod:`.claims` — :func:`links`, :func:`rows`, :func:`related`, :func:`conflicts`, :func:`clusters`;
* :mod:`.pairs` — what two rows are compared on: the actors each involves (named, through
  ``affiliation_id``, through umbrella actors), its kind, dates and wording;
* :mod:`.search` — :func:`candidates` (the systematic link search, across and within sources, scored,
  with the decision on each pair) and :func:`duplicates` (rows of one table and one source that may
  tell one fact twice).

(The part is ``graph``, not ``links``, so that importing it cannot shadow the ``links`` function.)

May import ``read``, ``contract`` and the ground floor; never ``validation``, ``release``, ``publish``
or ``cli``.
"""

from __future__ import annotations

from .claims import clusters, conflicts, links, related, rows
from .search import CANDIDATE_THRESHOLD, DUPLICATE_SIMILARITY, candidates, duplicates

__all__ = [
    "CANDIDATE_THRESHOLD",
    "DUPLICATE_SIMILARITY",
    "candidates",
    "clusters",
    "conflicts",
    "duplicates",
    "links",
    "related",
    "rows",
]
