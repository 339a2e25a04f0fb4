"""Small, pure helpers that know nothing of the dataset: pyarrow column kernels, exact substring
search, UTF-8 checks, file hashing, a union-find and the walk up a tree of parents.

Ground floor: imports nothing of the package (a test holds it to that).
"""
