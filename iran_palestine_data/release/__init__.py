"""Releases: hash and bytes of every resource (:mod:`.hashes`), release manifests (:mod:`.manifest`),
``release bump`` (:mod:`.bump`), row-level diffs between versions (:mod:`.diff`); one writer of the
repository's JSON files (:mod:`.jsonfile`).

May import ``read``, ``contract`` and the ground floor.
"""
