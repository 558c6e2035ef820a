#!/usr/bin/python3
"""Drives a real tslab kernel cell by cell, as a person at Jupyter would, for test/notebooks/kernel.test.ts.

  /usr/bin/python3 kernel_session.py CELLS.json      (run with JUPYTER_PATH holding the tslab spec, cwd notebooks/)

CELLS.json: [{"code": "...", "interrupt_on": "regex"?, "timeout": s?}, ...]. A cell with interrupt_on is
interrupted ("Interrupt kernel") as soon as its output matches. Prints one JSON line: per cell its
stdout, stderr, rich outputs (mime types, html), error (ename, evalue, traceback) and, when
interrupted, the seconds from the interrupt to the kernel being idle again.
"""
import json
import re
import sys
import time

from jupyter_client.manager import start_new_kernel


def main():
    cells = json.load(open(sys.argv[1]))
    km, kc = start_new_kernel(kernel_name="tslab", startup_timeout=120)
    results = []
    try:
        for cell in cells:
            msg_id = kc.execute(cell["code"])
            out = {"stdout": "", "stderr": "", "rich": [], "error": None, "interrupted_after": None}
            interrupt_on = re.compile(cell["interrupt_on"]) if cell.get("interrupt_on") else None
            interrupted_at = None
            deadline = time.monotonic() + cell.get("timeout", 300)
            while True:
                if time.monotonic() > deadline:
                    out["error"] = {"ename": "Timeout", "evalue": "the cell did not finish", "traceback": []}
                    break
                try:
                    msg = kc.get_iopub_msg(timeout=1)
                except Exception:
                    continue
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out[content["name"]] += content["text"]
                elif kind in ("display_data", "update_display_data", "execute_result"):
                    out["rich"].append({"kind": kind, "mime": sorted(content["data"]), "html": content["data"].get("text/html", "")})
                elif kind == "error":
                    out["error"] = {"ename": content["ename"], "evalue": content["evalue"], "traceback": content["traceback"]}
                elif kind == "status" and content["execution_state"] == "idle":
                    if interrupted_at is not None:
                        out["interrupted_after"] = time.monotonic() - interrupted_at
                    break
                if interrupt_on and interrupted_at is None and interrupt_on.search(out["stdout"] + out["stderr"] + json.dumps(out["rich"])):
                    km.interrupt_kernel()
                    interrupted_at = time.monotonic()
            if interrupted_at is not None:
                time.sleep(1)  # tslab drops what arrives within 200 ms of an interrupted cell

            results.append(out)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
