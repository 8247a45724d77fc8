"""Strip throughput on files from disk: Atrium's service side against nbstripout.

The service checks every notebook it receives, and bulk import strips notebooks from disk.
This benchmark generates notebooks of 1, 10 and 100 MB (outputs dominate; about 100 KB of
source, as in a real analysis notebook), then times, best of 3 each:

  Atrium
    full      parse_notebook + strip_notebook + check_stripped on the file's bytes
              (parse_notebook also strips and serialises once, to measure the stripped size
              against the admin's limit)
    strip     strip_notebook alone, on the parsed notebook
    service   parse_notebook + check_stripped on the *stripped* file: what the service does
              with a notebook the browser has already stripped
  nbstripout (PyPI), with --keep-id so both keep cell ids
    api       nbformat.read + nbstripout.strip_output (the read validates the whole notebook
              against the nbformat schema, as nbstripout always does)
    strip     strip_output alone, on a notebook already read
    cli       `nbstripout -t --keep-id FILE` end to end, in a new process (includes Python's
              start-up and imports; the start-up alone is printed as `cli-startup`)

MB/s is the input file's size (10^6 bytes) over the best time. Run with the venv's Python
after `pip install nbstripout` (it is in the `test` extra):

    .venv/bin/python bench/strip_disk.py              # 1, 10, 100 MB
    .venv/bin/python bench/strip_disk.py 1 10         # only some sizes
"""

from __future__ import annotations

import base64
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import nbformat
import nbstripout

from jupyterlab_atrium.gallery.strip import (
    check_stripped,
    parse_notebook,
    serialize_notebook,
    strip_notebook,
)

REPEATS = 3
CODE_CELLS = 200
MB = 1_000_000

CODE = """\
# Slice {i}: the north region's sales by month and product, as a table and a chart.
df_{i} = load_table("sales_{i}.parquet").query("region == 'north' and total > {i}")
summary_{i} = df_{i}.groupby(["month", "product"]).agg(total=("total", "sum"), n=("id", "count"))
fig, ax = plt.subplots(figsize=(8, 4))
summary_{i}.reset_index().plot(x="month", y="total", ax=ax, title="Sales {i}")
display(summary_{i}.head(20))
"""


def make_notebook(total_bytes: int, seed: int = 1) -> dict[str, Any]:
    """A notebook of about ``total_bytes`` on disk: ~100 KB of source, the rest outputs."""
    base = len(serialize_notebook(_notebook(0, seed)))
    return _notebook(max(0, (total_bytes - base) // CODE_CELLS), seed)


def source_bytes(nb: dict[str, Any]) -> int:
    return sum(len(cell["source"].encode()) for cell in nb["cells"])


def _notebook(per_cell: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    cells: list[dict[str, Any]] = []
    code_size = 0
    for i in range(CODE_CELLS):
        source = CODE.format(i=i)
        code_size += len(source)
        image = base64.encodebytes(rng.randbytes(per_cell * 6 // 10 * 3 // 4)).decode()
        text = "".join(
            f"{rng.random():.6f} {rng.random():.6f}\n" for _ in range(per_cell // 5 // 19)
        )
        html = "<table>" + "<tr><td>north</td><td>12</td></tr>" * (per_cell // 5 // 34) + "</table>"
        cells.append(
            {
                "cell_type": "markdown",
                "id": f"md-{i}",
                "metadata": {},
                "source": f"## Step {i}\n\nSales for slice {i}, north region, by month.",
            }
        )
        cells.append(
            {
                "cell_type": "code",
                "execution_count": i + 1,
                "id": f"code-{i}",
                "metadata": {
                    "execution": {
                        "iopub.execute_input": "2026-11-21T09:00:00.000Z",
                        "shell.execute_reply": "2026-11-21T09:00:01.000Z",
                    },
                    "tags": ["analysis"],
                },
                "outputs": [
                    {"name": "stdout", "output_type": "stream", "text": text},
                    {
                        "data": {"image/png": image, "text/plain": ["<Figure size 800x400>"]},
                        "metadata": {},
                        "output_type": "display_data",
                    },
                    {
                        "data": {"text/html": html, "text/plain": ["<DataFrame>"]},
                        "execution_count": i + 1,
                        "metadata": {},
                        "output_type": "execute_result",
                    },
                ],
                "source": source,
            }
        )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def best(fn: Callable[[], Any], setup: Callable[[], Any] | None = None) -> float:
    """Best wall time of REPEATS runs; ``setup`` (untimed) prepares each run's argument."""
    times = []
    for _ in range(REPEATS):
        arg = setup() if setup else None
        start = time.perf_counter()
        fn() if setup is None else fn(arg)  # type: ignore[call-arg]
        times.append(time.perf_counter() - start)
    return min(times)


def atrium_full(raw: bytes) -> None:
    nb = parse_notebook(raw, max_bytes=1 << 30)
    stripped, _ = strip_notebook(nb)
    assert check_stripped(stripped) == []


def atrium_service(raw: bytes) -> None:
    nb = parse_notebook(raw, max_bytes=1 << 30)
    assert check_stripped(nb) == []


def nbstripout_read(path: Path) -> Any:
    return nbformat.read(str(path), as_version=nbformat.NO_CONVERT)


def nbstripout_strip(nb: Any) -> Any:
    return nbstripout.strip_output(nb, keep_output=False, keep_count=False, keep_id=True)


def nbstripout_cli(path: Path) -> None:
    subprocess.run(
        [NBSTRIPOUT, "-t", "--keep-id", str(path)],
        check=True,
        # A pipe, as when git reads a textconv filter (nbstripout cannot write to /dev/null,
        # which looks seekable to it).
        stdout=subprocess.PIPE,
    )


NBSTRIPOUT = shutil.which("nbstripout", path=os.path.dirname(sys.executable)) or "nbstripout"


def measure(path: Path) -> dict[str, tuple[int, float]]:
    """Per variant: the bytes it works on (the file, or the stripped file) and its best time."""
    raw = path.read_bytes()
    parsed = json.loads(raw)
    stripped_raw = serialize_notebook(strip_notebook(parsed)[0])
    stripped_nb = json.loads(stripped_raw)
    size, small = len(raw), len(stripped_raw)
    return {
        "atrium full": (size, best(lambda: atrium_full(raw))),
        "atrium strip": (size, best(lambda: strip_notebook(parsed))),
        "atrium service": (small, best(lambda: atrium_service(stripped_raw))),
        "atrium check": (small, best(lambda: check_stripped(stripped_nb))),
        "nbstripout api": (size, best(lambda: nbstripout_strip(nbstripout_read(path)))),
        "nbstripout strip": (
            size,
            best(nbstripout_strip, setup=lambda: nbstripout_read(path)),
        ),
        "nbstripout cli": (size, best(lambda: nbstripout_cli(path))),
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1, 10, 100]
    print(
        f"python {platform.python_version()}, nbstripout {version('nbstripout')}, "
        f"nbformat {nbformat.__version__}, nproc {os.cpu_count()}, best of {REPEATS}"
    )
    with tempfile.TemporaryDirectory(prefix="atrium-strip-bench-") as folder:
        tiny = Path(folder) / "tiny.ipynb"
        tiny.write_bytes(serialize_notebook(make_notebook(0)))
        startup = best(lambda: nbstripout_cli(tiny))
        kb = tiny.stat().st_size // 1000
        print(f"cli-startup (nbstripout -t on a {kb} KB file): {startup:.3f} s")
        header = ("variant", "input MB", "best s", "MB/s", "time vs nbstripout api")
        print(f"{header[0]:<17} {header[1]:>9} {header[2]:>9} {header[3]:>9} {header[4]:>23}")
        results = {}
        for size in sizes:
            path = Path(folder) / f"nb-{size}mb.ipynb"
            nb = make_notebook(size * MB)
            path.write_bytes(serialize_notebook(nb))
            print(
                f"-- {path.stat().st_size / MB:.1f} MB file, "
                f"{source_bytes(nb) / 1000:.0f} KB of source in {len(nb['cells'])} cells"
            )
            del nb
            times = measure(path)
            results[size] = {name: {"bytes": b, "seconds": t} for name, (b, t) in times.items()}
            reference = times["nbstripout api"][1]
            for variant, (nbytes, seconds) in times.items():
                print(
                    f"{variant:<17} {nbytes / MB:9.2f} {seconds:9.4f} {nbytes / MB / seconds:9.1f} "
                    f"{reference / seconds:22.2f}x"
                )
            path.unlink()
        print("RESULT " + json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
