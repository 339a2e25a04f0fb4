"""What the data promises: ``datapackage.json`` and its Table Schemas (:mod:`.schema`), the lexical
form of each cell type (:mod:`.cells`), EDTF dates (:mod:`.dates`), the row models (:mod:`.models`),
ISO code lists and dataset versions.

May import only the ground floor (``paths``, ``errors``, ``rulebook``, ``kernels``).
"""
