"""scripts/deps.sh installs what every Python import in the repository needs, and takes a package
for installed only when dpkg says so.

Every Python source is parsed: *.py files, scripts with a python shebang, Python fed to
``python3 -`` from a shell script's here-document, and the ```python blocks of README.md and docs/.
Each imported top-level module must be in the standard library, in the repository itself, or in
MODULE_PACKAGES below with a Debian package that scripts/deps.sh installs. A module that is none of
these fails the test: add it to the table and its package to scripts/deps.sh.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPS = ROOT / "scripts" / "deps.sh"

# Third-party module -> the Debian 12 package that provides it.
MODULE_PACKAGES = {
    "h5py": "python3-h5py",
    "matplotlib": "python3-matplotlib",
    "numpy": "python3-numpy",
    "pandas": "python3-pandas",
    "pytest": "python3-pytest",
    "scipy": "python3-scipy",
    "yaml": "python3-yaml",
}

SKIP_DIRS = {".git", "build", "results", "node_modules", "__pycache__", ".pytest_cache"}
HEREDOC = re.compile(r"python3?\s+-[^\n<]*<<-?\s*'?(\w+)'?[^\n]*\n(.*?)\n\1\n", re.S)
MD_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_sources() -> list[tuple[Path, str]]:
    """(file, Python text) for every piece of Python in the repository."""
    out = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if name.endswith(".py") or re.match(r"#!.*python", text):
                out.append((path, text))
            elif name.endswith(".md") and (path.parent == ROOT or "docs" in path.parts):
                out.extend((path, block) for block in MD_BLOCK.findall(text))
            elif name.endswith((".sh", ".sbatch")) or re.match(r"#!.*(bash|sh)\b", text):
                out.extend((path, m.group(2)) for m in HEREDOC.finditer(text))
    return out


def imported_modules(text: str, where: Path) -> list[tuple[str, int]]:
    """(top-level module, line) of every absolute import in the text."""
    tree = ast.parse(text, filename=str(where))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name.split(".")[0], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def is_local(module: str, where: Path) -> bool:
    """A module of the repository: a package or file at the root or beside the importing file."""
    return any((d / module).is_dir() or (d / f"{module}.py").is_file() for d in (ROOT, where.parent))


def deps_packages() -> set[str]:
    out = subprocess.run(["bash", str(DEPS), "--list"], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_the_scan_finds_the_known_python():
    files = {p.relative_to(ROOT).as_posix() for p, _ in python_sources()}
    # If one of these is not found, the scan is broken, not the repository.
    assert "analysis/load.py" in files
    assert "tests/analysis/conftest.py" in files
    assert "scripts/bitwise-check" in files  # a here-document
    assert "README.md" in files  # a ```python block


def test_every_import_is_standard_local_or_installed_by_deps_sh():
    installed = deps_packages()
    problems = []
    for path, text in python_sources():
        for module, line in imported_modules(text, path):
            if module in sys.stdlib_module_names or is_local(module, path):
                continue
            place = f"{path.relative_to(ROOT)}:{line}: import {module}"
            package = MODULE_PACKAGES.get(module)
            if package is None:
                problems.append(f"{place}: unknown module (add it and its Debian package to "
                                f"MODULE_PACKAGES in {Path(__file__).name} and to scripts/deps.sh)")
            elif package not in installed:
                problems.append(f"{place}: needs {package}, which scripts/deps.sh does not install")
    assert not problems, "\n".join(problems)


def test_an_unknown_module_is_reported():
    # The check above would pass vacuously if nothing were ever unknown.
    text = "import numpy\nimport commsim_no_such_module.sub\nfrom . import figures\n"
    modules = [m for m, _ in imported_modules(text, ROOT / "analysis" / "x.py")]
    assert modules == ["numpy", "commsim_no_such_module"]
    assert "commsim_no_such_module" not in MODULE_PACKAGES
    assert not is_local("commsim_no_such_module", ROOT / "analysis" / "x.py")
    assert is_local("synthetic", ROOT / "tests" / "analysis" / "conftest.py")


def fake_dpkg(tmp_path: Path, statuses: dict[str, str]) -> dict[str, str]:
    """An environment in which dpkg-query reads a status database holding only `statuses`."""
    admin = tmp_path / "dpkg"
    (admin / "info").mkdir(parents=True)
    (admin / "updates").mkdir()
    (admin / "status").write_text("".join(
        f"Package: {p}\nStatus: {s}\nArchitecture: amd64\nVersion: 1.0\n\n"
        for p, s in statuses.items()))
    return {**os.environ, "DPKG_ADMINDIR": str(admin)}


def missing(env: dict[str, str], *packages: str) -> list[str]:
    out = subprocess.run(["bash", str(DEPS), "--missing", *packages], check=True,
                         capture_output=True, text=True, env=env)
    return out.stdout.split()


def test_deps_sh_counts_only_fully_installed_packages(tmp_path):
    env = fake_dpkg(tmp_path, {
        "cmake": "install ok installed",
        "python3-yaml": "deinstall ok config-files",  # removed, its configuration left
        "git": "install ok unpacked",  # unpacked, never configured
        "ninja-build": "install reinstreq half-installed",
    })
    assert missing(env, "cmake", "python3-yaml", "git", "ninja-build", "python3-h5py") == [
        "python3-yaml", "git", "ninja-build", "python3-h5py"]
    # With no argument: the whole list, so a run of scripts/test after a package was removed
    # installs it again instead of taking everything for installed.
    assert set(missing(env)) == deps_packages() - {"cmake"}


@pytest.mark.skipif(not Path("/var/lib/dpkg/status").exists(), reason="not a Debian system")
def test_this_machine_has_every_package():
    # scripts/test runs deps.sh first, so under it nothing may be missing.
    assert missing(dict(os.environ)) == []
