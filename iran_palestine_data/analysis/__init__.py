"""Analysis helpers: the common questions in one call.

* :mod:`.periods` — :func:`between`, rows that fall (``within``) or could fall (``overlaps``) inside a
  period, with open-ended and undated dates taken at their word;
* :mod:`.queries` — :func:`events`, :func:`statements`, :func:`funding` (filtered by actor, with its
  affiliates if asked, period, code and source, actor names joined in);
* :mod:`.profiles` — :func:`actor` (an actor's profile: aliases, affiliates, and its rows by role);
* :mod:`.naming` — how a query names an actor, a code or a source, and ``UnknownNameError``.

May import ``read``, ``contract`` and the ground floor; never ``validation``, ``graph``, ``release``,
``publish`` or ``cli``.
"""

from __future__ import annotations

from .naming import UnknownNameError
from .periods import between
from .profiles import ActorProfile, actor
from .queries import events, funding, statements

__all__ = ["ActorProfile", "UnknownNameError", "actor", "between", "events", "funding", "statements"]
