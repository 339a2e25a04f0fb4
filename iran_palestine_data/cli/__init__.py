"""The command line (``iran-palestine-data``): :mod:`.app` builds it from one module per command group
(:mod:`.check`, :mod:`.explore`, :mod:`.outputs`, :mod:`.maintain`) and :mod:`.common`.

The top floor: may import anything of the package; nothing imports it.
"""

from .app import app, main

__all__ = ["app", "main"]
