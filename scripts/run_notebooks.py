#!/usr/bin/env python3
"""Executes every notebook in notebooks/ top to bottom, in its own folder, and fails (exit 1)
naming the notebook and the cell when one raises. Outputs are not written back: the committed
notebooks stay without outputs.

Usage (after the pipelines have run, so out/ holds their outputs):

    python3 -m venv .venv && .venv/bin/pip install -r notebooks/requirements.txt
    .venv/bin/python scripts/run_notebooks.py
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    failed = 0
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        try:
            client.execute()
            print(f"ok      {path.name}")
        except CellExecutionError as e:
            failed += 1
            first = str(e).strip().splitlines()
            print(f"FAILED  {path.name}: {first[-1] if first else e}")
            print(e, file=sys.stderr)
    print(f"{len(notebooks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
