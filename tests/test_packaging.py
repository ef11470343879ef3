"""The wheel carries everything the code reads: every sub-package is declared in pyproject, and every data
file the code opens (lexicons, playbooks, samples) is found through importlib.resources, never by a path
relative to the checkout; scripts/wheel_smoke.sh then installs the built wheel outside the checkout.
"""

from __future__ import annotations

import re
import tomllib

from auditor.resources import lexicon_dir, playbook_dir, sample_dir, sample_names
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def test_packaging_every_sub_package_is_declared() -> None:
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "auditor").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    mapped = set(SETUPTOOLS["package-dir"])
    assert found | mapped == set(SETUPTOOLS["packages"])


def test_packaging_data_folders_are_mapped_into_the_package() -> None:
    assert SETUPTOOLS["package-dir"] == {
        "auditor.lexicons": "lexicons",
        "auditor.playbooks": "playbooks",
        "auditor.samples": "sample_contracts",
    }
    for package, patterns in SETUPTOOLS["package-data"].items():
        folder = ROOT / SETUPTOOLS["package-dir"][package]
        files = {p.name for p in folder.iterdir() if p.is_file() and p.name != "__init__.py"}
        covered = {name for name in files if any(re.fullmatch(pat.replace("*", ".*"), name) for pat in patterns)}
        assert covered == files, f"{package}: not shipped: {sorted(files - covered)}"


def test_packaging_resources_find_the_data() -> None:
    assert (lexicon_dir() / "scope_volume.toml").is_file()
    assert (lexicon_dir() / "legal_words.txt").is_file()
    assert (playbook_dir() / "general_services.yaml").is_file()
    assert (sample_dir() / "labels.json").is_file()
    assert any(n.startswith("zh_") for n in sample_names()) and any(n.startswith("en_") for n in sample_names())


def test_packaging_no_code_walks_up_from_its_file() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "auditor").rglob("*.py")
        if re.search(r"__file__\)?\.(?:resolve\(\)\.)?parent\.parent", p.read_text(encoding="utf-8"))
    ]
    assert not offenders
