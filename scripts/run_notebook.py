#!/usr/bin/python3
"""Executes one notebook headless with nbclient (nbconvert's execution engine) and exports HTML.

Called by `repro notebook run` (src/notebooks/execute.ts) as
  /usr/bin/python3 scripts/run_notebook.py IN.ipynb OUT.ipynb OUT.html KERNEL TIMEOUT_S
with the working directory the kernel must start in (notebooks/, so relative imports resolve).
Why a driver rather than `jupyter nbconvert --execute`: tslab reports a compile error only in its
execute_reply (no `error` output), and nbconvert does not write the executed notebook when a cell
fails. Here the failing cell's index and error are recorded, an `error` output is added so the
HTML shows it, and both files are written either way. Prints one JSON line on stdout.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from lxml.html.clean import clean_html
from nbconvert import HTMLExporter


def keep_svg(markup):
    """nbconvert's lab template passes SVG outputs through lxml's clean_html, which strips every SVG
    element and leaves only the text: the figures would be blank. The SVGs here come from vega
    (figureToSvg), so they pass as they are; anything else is still cleaned."""
    return markup if markup.lstrip().startswith("<svg") else clean_html(markup)


def main():
    src, out_nb, out_html, kernel, timeout = sys.argv[1:6]
    nb = nbformat.read(src, as_version=4)
    failure = {}

    def on_cell_error(cell, cell_index, execute_reply):
        content = execute_reply.get("content", {})
        failure.update(cell=cell_index, ename=content.get("ename", "error"),
                       evalue=content.get("evalue", ""))
        # tslab puts compile errors on stderr only: keep them as the error's text.
        stderr = "".join(o.get("text", "") for o in cell.get("outputs", [])
                         if o.get("output_type") == "stream" and o.get("name") == "stderr")
        if stderr and not failure["evalue"]:
            failure["evalue"] = stderr.strip()
        if not any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            cell.setdefault("outputs", []).append(nbformat.v4.new_output(
                "error", ename=failure["ename"], evalue=failure["evalue"], traceback=[]))

    started = {}

    def on_cell_start(cell, cell_index):
        started["t"] = time.monotonic()

    def on_cell_executed(cell, cell_index, execute_reply):
        # Progress on stderr, one block per finished code cell: its index, time and printed text
        # (the epoch lines of a training run), so a headless run is not silent.
        seconds = time.monotonic() - started.get("t", time.monotonic())
        text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        lines = [f"  | {line}" for line in text.splitlines() if line.strip() and not line.startswith("=====")]
        sys.stderr.write("\n".join([f"[cell {cell_index}] done in {seconds:.1f} s ({cell_index + 1}/{len(nb.cells)} cells)"] + lines) + "\n")
        sys.stderr.flush()

    client = NotebookClient(nb, kernel_name=kernel, timeout=int(timeout), allow_errors=False,
                            resources={"metadata": {"path": os.getcwd()}}, on_cell_error=on_cell_error,
                            on_cell_start=on_cell_start, on_cell_executed=on_cell_executed)
    try:
        client.execute()
    except CellExecutionError as err:
        if "cell" not in failure:
            failure.update(cell=-1, ename=type(err).__name__, evalue=str(err))
    except Exception as err:  # kernel died, timeout: still write what ran
        failure.update(cell=failure.get("cell", -1), ename=type(err).__name__, evalue=str(err))
    # Sign the executed notebook (as Jupyter does for one run interactively): this machine's Jupyter
    # then trusts it, and shows its SVG figures instead of hiding them as untrusted output.
    try:
        from nbformat.sign import NotebookNotary
        NotebookNotary().sign(nb)
    except Exception as err:  # no writable Jupyter data dir: the figures still show once trusted by hand
        sys.stderr.write(f"note: could not sign the executed notebook ({err}); `jupyter trust` it to show its figures\n")
    nbformat.write(nb, out_nb)
    body, _ = HTMLExporter(filters={"clean_html": keep_svg}).from_notebook_node(nb)
    with open(out_html, "w", encoding="utf-8") as f:
        f.write(body)
    print(json.dumps({"error": failure or None}))


if __name__ == "__main__":
    main()
