"""``validate()`` and its two engines: the orchestration (:mod:`.validator`), the report
(:mod:`.report`), byte-level file checks (:mod:`.file_bytes`), the Table Schema checks of the fast
engine (:mod:`.schema_checks`) and of the reference engine (:mod:`.reference`, frictionless), the
messages both share (:mod:`.messages`), and the rules a Table Schema cannot express (:mod:`.rules`).

May import ``read``, ``contract`` and the ground floor; never ``graph``, ``release``, ``publish`` or ``cli``.
(The folder is ``validation``, not ``validate``, so that importing it cannot shadow ``validate()``.)
"""
