"""iran-palestine-data: a provenance-first dataset of Iran–Palestine relations.

>>> import iran_palestine_data as ipd
>>> events = ipd.load("events")                 # a pandas DataFrame with real dtypes
>>> ipd.records("actors")[0].actor_id           # frozen pydantic models
'ali-khamenei'
>>> ipd.validate().valid                        # every rule the data promises
True

Importing the package is cheap: pandas, pyarrow, pydantic and frictionless load on first use.
"""

# no ``from __future__ import annotations``: it would bind the name ``annotations`` here, and the
# public function of that name (below) would never be looked up
from importlib import import_module

# public name -> module that defines it (imported on first access)
_API = {
    "load": "read.tables",
    "load_all": "read.tables",
    "records": "read.tables",
    "describe": "read.column_docs",
    "between": "analysis.periods",
    "events": "analysis.queries",
    "statements": "analysis.queries",
    "funding": "analysis.queries",
    "actor": "analysis.profiles",
    "versions": "contract.published",
    "history": "release.row_history",
    "validate": "validation.validator",
    "data_path": "paths",
    "cite": "publish.citation",
    "annotation": "publish.web_annotations",
    "annotations": "publish.web_annotations",
    "export": "publish.exporters",
    "site": "website.build",
    "links": "graph",
    "related": "graph",
    "conflicts": "graph",
    "Report": "validation.report",
    "Issue": "errors",
    "DataError": "errors",
}

__all__ = ["__version__", *_API]


def _version() -> str:
    # importlib.metadata is slow to import (~30 ms): read the version only when asked for
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("iran-palestine-data")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        value = globals()["__version__"] = _version()
        return value
    if name in _API:
        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'iran_palestine_data' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
