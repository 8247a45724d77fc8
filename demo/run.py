"""Start the Atrium demo: JupyterLab on 127.0.0.1 with every Atrium plugin and demo content.

Run through `make demo`. Everything the demo writes (notebooks, database, Jupyter's config,
data and runtime files, remembered drives, the kernels' IPython history and caches) lives in
.demo/ (git-ignored), so playing with the demo never touches the repository or your own
Jupyter settings. Ctrl-C or SIGTERM stops Jupyter cleanly (its extensions' shutdown, kernels,
runtime files) before the demo exits.

What it sets up:
- a notebook folder with a welcome notebook;
- a gallery seeded with a few real-looking notebooks (demo/gallery/), one of them yours with
  a colleague's change request waiting in the Inbox; two groups (ward-analytics, with you in
  it, and it-security) own and share some of them, one is deprecated, and one is verified
  (IT security reviews technically);
- when Debian's Samba is installed and the demo runs as root, a throwaway SMB share on a
  loopback port, with a CSV in it, and the details to connect it as a network drive.

For tests: ATRIUM_DEMO_DIR puts the state elsewhere than .demo/, ATRIUM_DEMO_SHARE=0 skips
the share; arguments are passed on to `jupyter lab`.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("ATRIUM_DEMO_DIR") or ROOT / ".demo").resolve()
sys.path.insert(0, str(ROOT))
# How long Jupyter may take to shut down (kernels, drives, the service) before it is killed.
STOP_DEADLINE = 60
# The name the connect dialog gives the demo share's drive (its share name).
DRIVE = "data"


def prepare() -> Path:
    notebooks = STATE / "notebooks"
    notebooks.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "demo" / "content").iterdir()):
        target = notebooks / source.name
        if not target.exists():  # never overwrite what the user changed in the demo
            shutil.copy2(source, target)
    return notebooks


def demo_env(state: Path) -> dict[str, str]:
    """The environment of the demo's Jupyter and its kernels: all they write goes to ``state``.

    A private config dir also means no labextension disabled by the user's own settings.
    """
    home = state / "home"
    env = dict(os.environ)
    for name in ("JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "MPLCONFIGDIR"):
        env.pop(name, None)  # their defaults follow the directories below
    env.update(
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_DATA_DIR=str(state / "data"),  # remembered drives, telemetry spool
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),  # server info, broker, kernel files
        IPYTHONDIR=str(state / "ipython"),
        HOME=str(home),  # anything else a kernel or library keeps in ~ (caches, fonts)
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "HOME"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    return env


def kernel_hint(drive: str) -> str:
    """Code that reads the demo CSV from a notebook (tests/test_demo.py runs it in a kernel).

    Python's own open() knows nothing of netdrive://; fsspec and pandas do.
    """
    url = f"netdrive://{drive}/project/raw/measurements.csv"
    return (
        "import pandas as pd\n"
        f"pd.read_csv('{url}')\n"
        "import fsspec\n"
        f"with fsspec.open('{url}', 'r') as f:  # fsspec.open where you would write open\n"
        "    print(f.readline())\n"
    )


def write_sample_data(share: Path) -> None:
    """The CSV the hint reads, at project/raw/measurements.csv in ``share``."""
    raw = share / "project" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    with open(raw / "measurements.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sample", "value"])
        writer.writerows([f"s{i:03d}", round((i * 37 % 101) / 10, 1)] for i in range(200))


def share_port(state: Path) -> int | None:
    """The demo share's port of the last run, if it is free: the share comes back where the
    drive a user connected then (remembered in ``state``) points."""
    try:
        port = int((state / "share-port").read_text())
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
    except (OSError, ValueError):
        return None
    return port


def forget_stale_drives(state: Path, port: int) -> None:
    """Drop remembered drives of earlier demo shares on another port: they point nowhere, and
    would take the drive name the printed code uses. Written like the server does: whole.
    Remembers ``port`` for the next run's :func:`share_port`."""
    (state / "share-port").write_text(str(port))
    path = state / "data" / "atrium" / "netdrives.json"
    try:
        remembered = json.loads(path.read_text(encoding="utf-8"))
        drives = remembered["drives"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    kept = [d for d in drives if d.get("server") != "127.0.0.1" or d.get("port") == port]
    if len(kept) != len(drives):
        tmp = path.with_name(f".{path.name}.demo")
        tmp.write_text(json.dumps({**remembered, "drives": kept}, indent=1), encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)


def start_share(stack: ExitStack) -> str | None:
    """A throwaway Samba share for the network-drive plugin, or None with the reason printed."""
    from tests.samba_server import SambaServer, unavailable_reason

    reason = unavailable_reason()
    if os.environ.get("ATRIUM_DEMO_SHARE") == "0":
        reason = "ATRIUM_DEMO_SHARE=0"
    if reason:
        print(f"Atrium demo: no demo network share ({reason}).", flush=True)
        return None
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="atrium-demo-share-"))
    samba = stack.enter_context(SambaServer(tmp, port=share_port(STATE)))
    forget_stale_drives(STATE, samba.port)
    write_sample_data(samba.share_path(DRIVE))
    samba.own(samba.share_path(DRIVE))
    code = "".join(f"    {line}\n" for line in kernel_hint(DRIVE).splitlines())
    return (
        "Network drives: File > Connect Network Drive…, then\n"
        f"    share     \\\\127.0.0.1:{samba.port}\\{DRIVE}\n"
        f"    user name {samba.user}\n"
        f"    password  {samba.password}   (a throwaway demo account)\n"
        "  (connected in an earlier run? It is remembered: Network Drives panel > Connect)\n"
        f"  and in a notebook (the drive is named '{DRIVE}' unless you name it otherwise):\n"
        f"{code}"
        "  (plain open() does not know netdrive:// URLs: use fsspec.open, or pandas, xarray, …)"
    )


def stop_with_parent() -> None:
    """In the child, before exec: on Linux, SIGTERM to it when this script dies unannounced
    (``kill -9``), so Jupyter still shuts down cleanly instead of running on orphaned."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


def run_jupyter(args: list[str], env: dict[str, str]) -> int:
    """Run Jupyter until it exits or the demo is stopped (Ctrl-C, SIGTERM); its exit status.

    Jupyter runs in its own session, so a Ctrl-C in the terminal reaches only this script, which
    stops Jupyter with SIGTERM: a clean shutdown (extensions, kernels, runtime files), instead
    of Jupyter's "Shutdown this Jupyter server (y/[n])?" prompt, or the kill that
    subprocess.run gives a child still running a quarter second after a Ctrl-C.
    """
    proc = subprocess.Popen(
        args,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=stop_with_parent,  # async-signal-safe: one prctl call
    )
    try:
        return proc.wait()
    except KeyboardInterrupt:
        pass
    print("\nAtrium demo: stopping Jupyter (Ctrl-C again to kill it)…", flush=True)
    proc.terminate()
    try:
        return proc.wait(timeout=STOP_DEADLINE)
    except subprocess.TimeoutExpired:
        print(f"Atrium demo: Jupyter did not stop in {STOP_DEADLINE} s; killing it.", flush=True)
    except KeyboardInterrupt:
        pass
    os.killpg(proc.pid, signal.SIGKILL)
    return proc.wait()


def main() -> None:
    notebooks = prepare()
    database = STATE / "atrium.sqlite"
    from demo.seed import DEMO_USER, GROUPS, REVIEW_KINDS, seed

    notebooks_added, assignments_added = seed(f"sqlite:///{database}")
    if notebooks_added:
        print(f"Atrium demo: seeded the gallery with {notebooks_added} notebooks.", flush=True)
    if assignments_added:
        print("Atrium demo: released the graded assignment 'Length of stay'.", flush=True)
    env = demo_env(STATE)
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
        # The demo user is an instructor (author, release, gradebook) who can also open the
        # released assignment as a student would.
        f"--AtriumGrader.instructors={DEMO_USER}",
        # The groups the seeded notebooks are owned by and shared with (the demo user is in
        # ward-analytics); a Python literal, as traitlets reads a dict on the command line.
        f"--AtriumGallery.groups={json.dumps(GROUPS)}",
        # The review kinds: the seed made one notebook verified under them.
        f"--AtriumGallery.review_kinds={json.dumps(REVIEW_KINDS)}",
        *sys.argv[1:],
    ]
    if os.geteuid() == 0:
        args.append("--ServerApp.allow_root=True")
    with ExitStack() as stack:
        share = start_share(stack)
        print("Atrium demo: open the URL below; the gallery is in the left sidebar.", flush=True)
        if share:
            print(f"Atrium demo: {share}", flush=True)
        status = run_jupyter(args, env)
    # Stopped by Ctrl-C or SIGTERM: Jupyter's status after its clean shutdown is the demo's.
    sys.exit(status)


if __name__ == "__main__":
    # `kill` or a container stop ends the demo like Ctrl-C does, so Jupyter shuts down cleanly
    # and the throwaway share's Samba processes and files are cleaned up too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # Also when started with SIGINT ignored (a background job of a non-interactive shell).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        main()
    except KeyboardInterrupt:  # stopped while still setting up
        sys.exit(130)
