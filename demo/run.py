"""Start the Atrium demo: JupyterLab on 127.0.0.1 with every Atrium plugin and demo content.

Run through `make demo`. The demo's files and database live in .demo/ (git-ignored), so
playing with the demo never touches the repository or your own Jupyter settings.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".demo"


def prepare() -> Path:
    notebooks = STATE / "notebooks"
    notebooks.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "demo" / "content").iterdir()):
        target = notebooks / source.name
        if not target.exists():  # never overwrite what the user changed in the demo
            shutil.copy2(source, target)
    # A private config dir: no labextension disabled by the user's own settings.
    (STATE / "config").mkdir(exist_ok=True)
    return notebooks


def main() -> None:
    notebooks = prepare()
    os.environ["JUPYTER_CONFIG_DIR"] = str(STATE / "config")
    args = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={notebooks}",
        "--ServerApp.open_browser=False",
        f"--AtriumService.database_url=sqlite:///{STATE / 'atrium.sqlite'}",
        # The sample brand of an invented institution; pass --AtriumBranding.spec_path= to
        # see the stock look.
        f"--AtriumBranding.spec_path={ROOT / 'demo' / 'brand' / 'brand.json'}",
        *sys.argv[1:],
    ]
    if os.geteuid() == 0:
        args.append("--ServerApp.allow_root=True")
    print("Atrium demo: open the URL below, then Help > About Atrium.", flush=True)
    os.execv(sys.executable, args)


if __name__ == "__main__":
    main()
