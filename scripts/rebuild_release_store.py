"""Rebuild the release store (``releases/``) for the releases made before it existed, from git.

Each release is taken from the commit that made it (``git archive``), added to the store with
:func:`iran_palestine_data.release.store.add_release`, and checked: every CSV rebuilt from the
store hashes to the ``hash`` its resource had in that release's ``datapackage.json``.

Run once, from a git checkout, with the package installed:

    python scripts/rebuild_release_store.py

It refuses to run if any of these versions is already in the store. Later releases are added by
``iran-palestine-data release bump``, never by this script.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from iran_palestine_data.contract.published import release_files
from iran_palestine_data.release.store import add_release, changelog_entry

REPO = Path(__file__).resolve().parent.parent

# version -> the commit that released it. 0.1.0 is the first complete coding of the Wikipedia
# article (the other four sources were coded after it, still under 0.1.0, and released as 0.2.0);
# 0.2.0 is the commit titled "Release 0.2.0" (the later commit that added csv/retired.csv under the
# same version number was released as 0.3.0).
RELEASES = {
    "0.1.0": "95a216e",
    "0.2.0": "be300c9",
    "0.3.0": "91b4d88",
    "0.4.0": "c6f5ca0",
}
DATE = "2026-11-21"  # every one of them was released that day (CHANGELOG.md)


def git(*args: str) -> bytes:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True).stdout


def main() -> int:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    for version, short in RELEASES.items():
        commit = git("rev-parse", f"{short}^{{commit}}").decode().strip()
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "release.tar"
            archive.write_bytes(git("archive", "--format=tar", commit))
            folder = Path(tmp) / "tree"
            with tarfile.open(archive) as tar:
                tar.extractall(folder, filter="data")
            add_release(
                version, DATE, folder, store=REPO, notes=changelog_entry(changelog, version), commit=commit
            )
        files = release_files(version, REPO)
        descriptor = json.loads(files["datapackage.json"])
        for res in descriptor["resources"]:
            got = "sha256:" + hashlib.sha256(files[res["path"]]).hexdigest()
            assert got == res["hash"], (version, res["path"])
        print(f"{version} from {commit[:10]}: {len(files)} files, every resource hash matches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
