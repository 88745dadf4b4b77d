"""The floors of the README's layout hold: import-linter's contracts pass on the code as it is,
and fail as soon as a lower floor imports a higher one."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = CONTRACTS["root_packages"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own tool, on our own copy of the code)
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's Python code and its contracts, to break without harm."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def test_the_code_keeps_every_contract(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        ("facilities/models.py", "reporting.indicators", "Each floor imports only"),
        ("portal/access.py", "facilities.models", "Each floor imports only"),
        ("assessments/services.py", "programs.models", "Each floor imports only"),
        ("reporting/pdf.py", "reporting.models", "Renderers take plain data"),
    ],
)
def test_an_import_from_a_lower_floor_to_a_higher_one_fails_the_lint(
    tree: Path, module: str, imported: str, contract: str
) -> None:
    path = tree / module
    path.write_text(path.read_text() + f"\nimport {imported}  # an upward import\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert contract in result.stdout
    assert f"{module[:-3].replace('/', '.')} -> {imported}" in result.stdout
