"""Install footprint guards: no torch in the environment, and no project module imports it.

The offline embedding model is an int8 ONNX file run by onnxruntime; torch (and the
libraries that pull it in) would add gigabytes to every install for nothing.
"""

import ast
import importlib.metadata
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "bot", "ui", "bench", "scripts")
HEAVY = ("torch", "sentence_transformers", "transformers", "tensorflow")


def imported_roots(source: str) -> set[str]:
    """Top-level module names a Python source file imports (anywhere in it)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            roots.add(str(node.args[0].value).split(".")[0])
    return roots


def project_modules() -> list[Path]:
    return [p for pkg in PACKAGES if (REPO / pkg).is_dir() for p in sorted((REPO / pkg).rglob("*.py"))]


@pytest.mark.parametrize("name", ["torch"])
def test_torch_is_not_installed(name):
    assert importlib.util.find_spec(name) is None, f"{name} is importable in this environment"
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution(name)


def test_no_project_module_imports_torch_or_its_relatives():
    modules = project_modules()
    assert len(modules) > 20  # the scan really covers the project
    offenders = {str(p.relative_to(REPO)): sorted(imported_roots(p.read_text(encoding="utf-8")) & set(HEAVY))
                 for p in modules}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_scan_sees_every_import_form():
    source = "import torch.nn\nfrom transformers import AutoModel\nimportlib.import_module('tensorflow')\n" \
             "def f():\n    import sentence_transformers\n"
    assert imported_roots(source) >= set(HEAVY)
