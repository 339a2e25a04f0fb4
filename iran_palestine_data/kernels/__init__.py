"""Small, pure helpers that know nothing of the dataset: pyarrow column kernels, exact substring
search, UTF-8 checks, file hashing, a union-find, the walk up a tree of parents, and how alike two
short texts are in wording.

Ground floor: imports nothing of the package (a test holds it to that).
"""
