"""Releases: hash and bytes of every resource (:mod:`.hashes`), the release store (:mod:`.store`),
``release bump`` (:mod:`.bump`), a row's history (:mod:`.history`) and diffs between versions
(:mod:`.diff`); one writer of the repository's JSON files (:mod:`.jsonfile`).

May import ``read``, ``contract`` and the ground floor.
"""
