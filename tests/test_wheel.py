"""A wheel built from the checkout carries the data and works in a fresh virtual environment."""

from __future__ import annotations

import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    [whl] = out.glob("iran_palestine_data-*.whl")
    return whl


def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "iran_palestine_data/data/datapackage.json",
        "iran_palestine_data/data/CITATION.cff",
        "iran_palestine_data/data/csv/events.csv",
        "iran_palestine_data/data/schemas/events.schema.json",
        "iran_palestine_data/data/sources/000_e3302a3580880a1e.txt",
        "iran_palestine_data/data/curation/exclusions.csv",
        "iran_palestine_data/data/releases/0.1.0.json",
        "iran_palestine_data/data/releases/rows/events.jsonl",
        "iran_palestine_data/data/releases/blobs.jsonl",
    ):
        assert required in names, required


def test_wheel_installs_and_validates_in_a_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # the dependencies come from this test environment (no network); the package itself only from the wheel
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    code = (
        "import iran_palestine_data as m, sys\n"
        "root = m.data_path()\n"
        "assert 'site-packages' in str(root) and root.name == 'data', root\n"
        "frames = m.load_all()\n"
        "assert all(len(f) for f in frames.values()), {k: len(f) for k, f in frames.items()}\n"
        "report = m.validate()\n"
        "assert report.valid, str(report)\n"
        "assert m.versions()[:4] == ['0.1.0', '0.2.0', '0.3.0', '0.4.0'], m.versions()\n"
        "assert len(m.load('events', version='0.1.0')) == 23\n"
        "assert [r.status for r in m.history('EV-0011')][:2] == ['added', 'changed']\n"
        "print(m.__version__, sorted(frames))\n"
    )
    result = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    cli = subprocess.run(
        [str(env_dir / "bin" / "iran-palestine-data"), "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert cli.returncode == 0 and "valid" in cli.stdout, cli.stdout + cli.stderr
