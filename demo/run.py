"""Start the Atrium demo: JupyterLab on 127.0.0.1 with every Atrium plugin and demo content.

Run through `make demo`. The demo's files and database live in .demo/ (git-ignored), so
playing with the demo never touches the repository or your own Jupyter settings.

What it sets up:
- a notebook folder with a welcome notebook;
- a gallery seeded with a few real-looking notebooks (demo/gallery/), one of them yours with
  a colleague's change request waiting in the Inbox;
- when Debian's Samba is installed and the demo runs as root, a throwaway SMB share on a
  loopback port, with a CSV in it, and the details to connect it as a network drive.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".demo"
sys.path.insert(0, str(ROOT))


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


def start_share(stack: ExitStack) -> str | None:
    """A throwaway Samba share for the network-drive plugin, or None with the reason printed."""
    from tests.samba_server import SambaServer, unavailable_reason

    reason = unavailable_reason()
    if reason:
        print(f"Atrium demo: no demo network share ({reason}).", flush=True)
        return None
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="atrium-demo-share-"))
    samba = stack.enter_context(SambaServer(tmp))
    raw = samba.share_path("data") / "project" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    with open(raw / "measurements.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sample", "value"])
        writer.writerows([f"s{i:03d}", round((i * 37 % 101) / 10, 1)] for i in range(200))
    samba.own(samba.share_path("data"))
    return (
        "Network drives: File > Connect Network Drive…, then\n"
        f"    share     \\\\127.0.0.1:{samba.port}\\data\n"
        f"    user name {samba.user}\n"
        f"    password  {samba.password}   (a throwaway demo account)\n"
        "  and in a notebook: open('netdrive://<drive name>/project/raw/measurements.csv')"
    )


def main() -> None:
    notebooks = prepare()
    database = STATE / "atrium.sqlite"
    from demo.seed import seed

    added = seed(f"sqlite:///{database}")
    if added:
        print(f"Atrium demo: seeded the gallery with {added} notebooks.", flush=True)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(STATE / "config"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    args = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={notebooks}",
        "--ServerApp.open_browser=False",
        "--ServerApp.identity_provider_class=demo.identity.DemoIdentityProvider",
        f"--AtriumService.database_url=sqlite:///{database}",
        # The sample brand of an invented institution; pass --AtriumBranding.spec_path= to
        # see the stock look.
        f"--AtriumBranding.spec_path={ROOT / 'demo' / 'brand' / 'brand.json'}",
        # Execution health: runs of gallery notebooks are reported unless a user opts out
        # (Help > What Atrium Reports); the gallery's health badges follow within seconds.
        "--AtriumTelemetry.policy=opt_out",
        *sys.argv[1:],
    ]
    if os.geteuid() == 0:
        args.append("--ServerApp.allow_root=True")
    # `kill` or a container stop ends the demo like Ctrl-C does, so the throwaway share's
    # Samba processes and files are cleaned up too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with ExitStack() as stack:
        share = start_share(stack)
        print("Atrium demo: open the URL below; the gallery is in the left sidebar.", flush=True)
        if share:
            print(f"Atrium demo: {share}", flush=True)
        try:
            subprocess.run(args, env=env, check=False)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
