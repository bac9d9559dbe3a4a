"""The command blocks of README.md and docs/cluster.md, as scripts/check-docs sees them: what it runs
(```sh and ```python, not ```text synopses), and that what they name exists. Running them all takes
long (see README.md); this checks in a second what can be checked without running them."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_check_docs():
    loader = importlib.machinery.SourceFileLoader("check_docs", str(ROOT / "scripts" / "check-docs"))
    spec = importlib.util.spec_from_loader("check_docs", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_docs"] = module  # dataclasses look their module up there
    loader.exec_module(module)
    return module


check_docs = load_check_docs()
BLOCKS = [b for f in check_docs.DEFAULT_FILES for b in check_docs.blocks_of(ROOT / f, f)]
SH = [b for b in BLOCKS if b.language == "sh"]


def words(block) -> list[str]:
    text = re.sub(r"\\\n", " ", block.text)
    return [w for line in text.splitlines() for w in shlex.split(line, comments=True)]


def test_fences_are_told_apart(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("intro\n```text\ncommsim run SCENARIO.yaml\n```\n\n```sh\necho one\n```\n"
                   "```python\nprint(2)\n```\n```yaml\na: 1\n```\n")
    blocks = check_docs.blocks_of(doc, "doc.md")
    assert [(b.language, b.line, b.text) for b in blocks] == [
        ("sh", 6, "echo one\n"), ("python", 9, "print(2)\n")]


def test_both_documents_have_runnable_blocks():
    files = {b.file for b in SH}
    assert files == {"README.md", "docs/cluster.md"}
    assert len(SH) >= 8


def test_no_placeholders_in_runnable_blocks():
    # A synopsis (SCENARIO.yaml, [--seed N], ...) belongs in a ```text block: it cannot run.
    for b in SH:
        for w in words(b):
            assert w != "..." and not re.fullmatch(r"[A-Z]+\.(yaml|h5)", w) and not w.startswith("["), \
                f"{b.name}: placeholder {w!r} in a block check-docs runs"


def test_files_the_blocks_read_exist():
    for b in BLOCKS:
        for path in re.findall(r"(?:scenarios|scripts|analysis)/[\w./-]+", b.text):
            assert (ROOT / path).exists(), f"{b.name}: {path} does not exist"


@pytest.mark.skipif("COMMSIM_BIN" not in os.environ, reason="COMMSIM_BIN not set (ctest sets it)")
def test_commsim_subcommands_exist():
    overview = subprocess.run([os.environ["COMMSIM_BIN"], "--help"], capture_output=True,
                              text=True).stdout
    known = set(re.findall(r"^  (\w+) ", overview, re.M))
    assert {"run", "sweep", "merge"} <= known
    for b in SH:
        w = words(b)
        for i, word in enumerate(w[:-1]):
            if word == "commsim" or word.endswith("/commsim"):
                assert w[i + 1] in known, f"{b.name}: commsim {w[i + 1]} is not a command"


def test_slurm_and_mpi_blocks_are_recognised():
    assert any(check_docs.uses(b, "mpirun") for b in SH)
    assert any(check_docs.uses(b, "sbatch") for b in SH)
    assert not any(check_docs.uses(b, "mpirun") for b in SH if b.file == "README.md")
