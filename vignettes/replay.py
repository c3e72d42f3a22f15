"""Replays a vignette -- a Python file of ``# %%`` cells -- as an interactive session would run it.

Why not just ``python file.py``: the booklet's code is written for an interactive session, where
a bare expression (``model``, ``model.params``, ``pred.head()``) shows its value. Each top-level
statement is compiled in ``"single"`` mode, so bare expressions are echoed exactly as at the
``>>>`` prompt, while the code stays exactly as printed in the booklet.

Cells (the "percent" format Jupytext, VS Code and Spyder read):
  ``# %% [markdown]``  comment lines of prose (``# `` stripped)
  ``# %%``             code; the cell's statements run in one shared namespace

Quick mode (``H2OLITE_VIGNETTE_QUICK=1``): a code line ending in ``# quick: name=value; ...``
has those keyword arguments replaced before it runs (``epochs=10,  # quick: epochs=1``), so CI
can run the whole vignette in seconds while the full run keeps the booklet's values.

Usage:
  python vignettes/replay.py VIGNETTE.py                 # echo cells and their output
  python vignettes/replay.py VIGNETTE.py --markdown OUT  # also write the rendered Markdown
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import io
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass

QUICK = os.environ.get("H2OLITE_VIGNETTE_QUICK", "") not in ("", "0")

# Long outputs (a 785-column describe(), every parameter of a model) are cut in the Markdown.
MAX_LINES, HEAD_LINES, TAIL_LINES, MAX_WIDTH = 60, 45, 10, 160


@dataclass
class Cell:
    kind: str          # "markdown" | "code"
    text: str


def read_cells(path: str) -> list[Cell]:
    """The cells of a vignette; anything before the first ``# %%`` (the launcher) is skipped."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    cells: list[Cell] = []
    current: Cell | None = None
    for line in lines:
        if line.startswith("# %%"):
            current = Cell("markdown" if "[markdown]" in line else "code", "")
            cells.append(current)
        elif current is not None:
            current.text += line + "\n"
    for number, cell in enumerate(cells, start=1):
        if cell.kind == "markdown":
            cell.text = "\n".join(re.sub(r"^# ?", "", ln) for ln in cell.text.strip().splitlines())
        else:
            cell.text = cell.text.strip("\n") + "\n"
    return [c for c in cells if c.text.strip()]


_QUICK_NOTE = re.compile(r"\s*#\s*quick:\s*(?P<subs>.+)$")


def quick_line(line: str) -> str:
    """``line`` with its ``# quick:`` keyword replacements applied (the note itself is dropped)."""
    m = _QUICK_NOTE.search(line)
    if not m:
        return line
    code = line[: m.start()]
    for sub in m.group("subs").split(";"):
        name, _, value = sub.strip().partition("=")
        name = name.strip()
        key = re.escape(name)   # an argument or assignment (name=..., R's name <- ...) or a dict entry ("name": ...)
        pattern = re.compile(r"(\b" + key + r"\s*(?:=|<-)\s*|[\"']" + key + r"[\"']\s*:\s*)"
                             r"(\[[^\]]*\]|\w*\([^)]*\)|[^,)}\s]+)")
        if not pattern.search(code):
            raise ValueError(f"quick note names {name!r}, which is not set on the line: {line.strip()}")
        code = pattern.sub(lambda m: m.group(1) + value.strip(), code, count=1)
    return code


def cell_source(cell: Cell) -> str:
    """The code that runs: quick-mode substitutions applied, or the code as written."""
    if not QUICK:
        return cell.text
    return "\n".join(quick_line(ln) for ln in cell.text.splitlines()) + "\n"


class _Tee(io.TextIOBase):
    """Writes to the terminal and keeps a copy (progress bars included) for the Markdown."""

    def __init__(self, echo, keep: io.StringIO):
        self.echo, self.keep = echo, keep

    def write(self, s):
        if self.echo is not None:
            self.echo.write(s)
            self.echo.flush()
        return self.keep.write(s)

    def flush(self):
        if self.echo is not None:
            self.echo.flush()

    def isatty(self):
        return False


def run_code(source: str, namespace: dict, filename: str) -> None:
    """Runs one cell statement by statement; bare expressions are shown as at the prompt."""
    tree = ast.parse(source, filename=filename)
    for node in tree.body:
        mode = "single" if isinstance(node, ast.Expr) else "exec"
        module = ast.Interactive([node]) if mode == "single" else ast.Module([node], type_ignores=[])
        exec(compile(module, filename, mode), namespace)


def clean_output(text: str) -> str:
    """Terminal output as the reader saw it: carriage-return redraws collapsed, long parts cut."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rsplit("\r", 1)[-1] if "\r" in raw.rstrip("\r") else raw.rstrip("\r")
        line = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line)          # ANSI colours/cursor moves
        if len(line) > MAX_WIDTH:
            line = line[:MAX_WIDTH] + " ..."
        lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > MAX_LINES:
        cut = len(lines) - HEAD_LINES - TAIL_LINES
        lines = lines[:HEAD_LINES] + [f"... [{cut} more lines] ..."] + lines[-TAIL_LINES:]
    return "\n".join(lines)


def replay(path: str, markdown: str | None = None, echo=sys.stdout) -> int:
    """Runs every cell of ``path``; writes the Markdown if asked. Returns the exit status."""
    cells = read_cells(path)
    namespace = {"__name__": "__vignette__", "__file__": os.path.abspath(path)}
    parts: list[str] = []
    started = time.time()
    status = 0
    for number, cell in enumerate(cells, start=1):
        if cell.kind == "markdown":
            parts.append(cell.text + "\n")
            if echo is not None:
                echo.write("\n" + "\n".join("## " + ln for ln in cell.text.splitlines()) + "\n")
            continue
        source = cell_source(cell)
        if echo is not None:
            echo.write("\n" + "\n".join(">>> " + ln if ln else ">>>" for ln in source.rstrip().splitlines()) + "\n")
        kept = io.StringIO()
        tee = _Tee(echo, kept)
        failed = False
        with contextlib.redirect_stdout(tee), contextlib.redirect_stderr(tee):
            try:
                run_code(source, namespace, f"<{os.path.basename(path)}, cell {number}>")
            except Exception:               # noqa: BLE001 -- shown in the output, then the run stops
                traceback.print_exc(file=tee)
                failed = True
        parts.append("```python\n" + source.rstrip() + "\n```\n")
        out = clean_output(kept.getvalue())
        if out:
            parts.append("```\n" + out + "\n```\n")
        if failed:
            status = 1
            break
    elapsed = time.time() - started
    summary = f"{'Quick' if QUICK else 'Full'} run of {os.path.basename(path)}: {elapsed:.1f} s" + (
        "" if status == 0 else " -- STOPPED at the error above")
    if echo is not None:
        echo.write("\n" + summary + "\n")
    if markdown:
        with open(markdown, "w", encoding="utf-8") as f:
            f.write("\n".join(parts) + f"\n---\n*{summary}.*\n")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vignette", help="a Python file of # %% cells")
    parser.add_argument("--markdown", help="write the rendered Markdown (code + output) here")
    parser.add_argument("--quiet", action="store_true", help="do not echo cells while running")
    args = parser.parse_args(argv)
    return replay(args.vignette, args.markdown, None if args.quiet else sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
