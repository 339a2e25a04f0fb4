"""The public API: lazy import, version, data location, citation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import iran_palestine_data as ipd

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent


def test_import_is_lazy():
    code = (
        "import sys, iran_palestine_data as m; "
        "heavy = [n for n in ('pandas', 'pyarrow', 'frictionless', 'pydantic', 'edtf', 'typer', 'rich', 'yaml') if n in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"importing the package pulled in: {out}"


def test_version_comes_from_metadata():
    declared = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M).group(1)
    assert ipd.__version__ == declared


def test_public_names():
    assert set(ipd.__all__) >= {"load", "load_all", "records", "validate", "data_path", "cite", "__version__"}
    with pytest.raises(AttributeError):
        ipd.not_a_function  # noqa: B018


def test_data_path_holds_the_package():
    root = ipd.data_path()
    for item in ("datapackage.json", "CITATION.cff", "csv", "schemas", "sources", "curation"):
        assert (root / item).exists(), item


def test_cite_styles():
    assert ipd.cite("bibtex").startswith("@misc{")
    assert "(Version " in ipd.cite("apa")
    assert "EV-0001" in ipd.cite("apa", id="EV-0001")
    with pytest.raises(ValueError, match="unknown citation style"):
        ipd.cite("chicago")


def test_no_submodule_shadows_a_public_function():
    """Importing a submodule sets it as a package attribute: none may share a public function's name."""
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(ipd.__path__):
        importlib.import_module(f"iran_palestine_data.{mod.name}")
    for name in ipd.__all__:
        if name != "__version__":
            value = getattr(ipd, name)
            assert not isinstance(value, type(ipd)), (
                f"iran_palestine_data.{name} is a module, not the public {name}"
            )
