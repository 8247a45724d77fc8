"""`make demo` tells the truth (issue 12).

- The code the demo prints for its network share, and the network-drive guide's example, run
  in a real kernel against a drive on the real Samba server.
- Everything the demo's notebooks and that code import is installed for the demo.
- Stopped with SIGTERM or Ctrl-C (SIGINT), the demo shuts Jupyter down cleanly (no broker,
  server or kernel file left behind) and has written nothing outside its own folder.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from importlib.metadata import requires
from importlib.util import find_spec
from pathlib import Path

import nbformat
import pytest

from demo.run import DRIVE, forget_stale_drives, kernel_hint, share_port, write_sample_data
from tests.test_netdrive_kernel_access import api, started_kernel

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "netdrive.md"
# Generous budgets for two busy cores; each wait returns as soon as its condition holds.
START_BUDGET = 180
STOP_BUDGET = 120

pytestmark = pytest.mark.timeout(START_BUDGET + STOP_BUDGET + 60)


def guide_example() -> str:
    """The first Python block of the guide's 'Using a drive from code'."""
    section = GUIDE.read_text(encoding="utf-8").split("### Using a drive from code", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def demo_code() -> Iterator[tuple[str, str]]:
    """(where, source) of every code cell the demo ships, and of the code it prints."""
    for notebook in sorted((ROOT / "demo").glob("*/*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code":
                yield notebook.name, cell.source
    yield "demo/run.py kernel_hint", kernel_hint(DRIVE)
    yield "docs/netdrive.md", guide_example()


def imported_modules(source: str) -> set[str]:
    tree = ast.parse(source)
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    return {name.split(".")[0] for name in names}


def requirement_names(lines: list[str]) -> set[str]:
    return {
        re.split(r"[\s<>=!~;\[]", line.strip(), maxsplit=1)[0].lower()
        for line in lines
        if line.strip() and not line.startswith("#")
    }


def test_what_the_demo_imports_is_installed_for_it():
    demo_requirements = requirement_names(
        (ROOT / "demo" / "requirements.txt").read_text().splitlines()
    )
    provided = demo_requirements | requirement_names(requires("jupyterlab-atrium") or [])
    provided |= set(sys.stdlib_module_names) | {"jupyterlab_atrium"}
    for where, source in demo_code():
        for module in imported_modules(source):
            assert module in provided, f"{where} imports {module}: add it to demo/requirements.txt"
            assert find_spec(module) is not None, (
                f"{where} imports {module}: `make demo` installs it"
            )


async def test_the_printed_code_and_the_guide_example_run_in_a_kernel(
    jp_fetch, jp_serverapp, samba, samba_folder
):
    folder = samba.share_path("data") / samba_folder
    write_sample_data(folder)  # the demo share's files: project/raw/measurements.csv
    samba.own(folder)
    share = f"smb://127.0.0.1:{samba.port}/data/{samba_folder}"
    account = {"domain": "", "username": samba.user, "password": samba.password, "readOnly": False}
    # As the connect dialog does: the display name proposed from the share, the name from it.
    await api(
        jp_fetch, "drives", method="POST", body={**account, "share": share, "displayName": DRIVE}
    )
    # The guide's drive `project` holds raw/measurements.csv.
    await api(
        jp_fetch,
        "drives",
        method="POST",
        body={**account, "share": f"{share}/project", "displayName": "project"},
    )
    async with started_kernel(jp_serverapp) as kernel:
        # What the demo used to print, and what its note still warns about.
        plain = await kernel.run(
            "try:\n"
            f"    open('netdrive://{DRIVE}/project/raw/measurements.csv')\n"
            "except Exception as err:\n"
            "    print(f'open|{type(err).__name__}|')\n"
        )
        assert plain["open"] == ("FileNotFoundError", ""), plain
        printed = await kernel.run(kernel_hint(DRIVE) + 'print("hint|ok|")\n')
        assert printed["hint"] == ("ok", ""), printed
        assert "sample,value" in printed, printed
        example = await kernel.run(guide_example() + 'print("guide|ok|")\n')
        assert example["guide"] == ("ok", ""), example
    summary = (folder / "project" / "results" / "summary.csv").read_text()
    assert summary.splitlines()[0] == ",value" and "mean" in summary


def jupyter_free_env(home: Path) -> dict[str, str]:
    """This environment without anything that would point Jupyter or IPython somewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON", "XDG_"))}
    return {**env, "HOME": str(home)}


def wait_for(what: str, check, budget: float):
    deadline = time.monotonic() + budget
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"no {what} within {budget} s"
        time.sleep(0.2)


def rest(info: dict, path: str, method: str = "GET", body: object = None) -> dict:
    request = urllib.request.Request(
        info["url"] + path,
        method=method,
        data=json.dumps({} if body is None else body).encode() if method == "POST" else None,
        headers={"Authorization": f"token {info['token']}"},
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        return json.loads(reply.read())


GRADING_BUDGET = 180  # a cold sandbox and kernel on a loaded two-core machine


def assert_graded_in_the_gradebook(info: dict, assignment: str) -> None:
    """The demo's student copy submitted as it is: the service's own worker grades it in
    the sandbox, and the gradebook lists it with its score."""
    grading = "atrium/api/service/grading"
    notebook = rest(info, f"{grading}/assignments/{assignment}/student")
    receipt = rest(
        info, f"{grading}/assignments/{assignment}/submissions", "POST", {"notebook": notebook}
    )
    graded = wait_for(
        "the official grade",
        lambda: (
            found
            if (found := rest(info, f"{grading}/submissions/{receipt['id']}"))["state"] != "queued"
            else None
        ),
        GRADING_BUDGET,
    )
    assert graded["state"] == "graded", graded
    book = rest(info, f"{grading}/assignments/{assignment}/gradebook")
    row = next(row for row in book["students"] if row["user"] == "demo")
    assert row["submission"] == receipt["id"]
    assert row["score"] is not None and 0 <= row["score"] <= book["assignment"]["points"]


def ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize(
    ("stop", "preexec"),
    [
        (signal.SIGTERM, None),  # `kill`, a container stop
        (signal.SIGINT, None),  # Ctrl-C
        (signal.SIGINT, ignore_sigint),  # Ctrl-C reaching a shell's background job
        (signal.SIGKILL, None),  # kill -9 of the script: Jupyter still stops cleanly
    ],
    ids=["sigterm", "sigint", "sigint-background", "sigkill"],
)
def test_stopping_the_demo_is_clean_and_it_writes_only_its_folder(stop, preexec):
    # Short paths: a kernel's Unix socket path must fit in 107 bytes.
    base = Path(tempfile.mkdtemp(prefix="dm-", dir="/tmp"))
    try:
        state, home, cwd = base / "s", base / "home", base / "cwd"
        home.mkdir()
        cwd.mkdir()
        env = {**jupyter_free_env(home), "ATRIUM_DEMO_DIR": str(state), "ATRIUM_DEMO_SHARE": "0"}
        demo = subprocess.Popen(
            # ipc: a kernel's TCP ports could be taken by another process on a busy machine.
            [
                sys.executable,
                str(ROOT / "demo" / "run.py"),
                "--ServerApp.port=0",
                "--KernelManager.transport=ipc",
            ],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=preexec,  # only a signal disposition, set before exec
        )
        runtime = state / "runtime"
        server_pid = None
        try:
            server_file = wait_for(
                "server info file",
                lambda: next(runtime.glob("jpserver-*.json"), None),
                START_BUDGET,
            )
            info = wait_for("server info", lambda: _read_json(server_file), START_BUDGET)
            server_pid = info["pid"]
            # The info file is written before the server binds its port (once its loop runs).
            wait_for("server answering", lambda: answers(info), START_BUDGET)
            assert (runtime / f"atrium-netdrive-{server_pid}.json").exists()
            # The demo user is an instructor, with the demo assignment released.
            policy = rest(info, "atrium/api/service/grading/policy")
            assert (policy["user"], policy["instructor"]) == ("demo", True)
            assignments = rest(info, "atrium/api/service/grading/assignments")["items"]
            assert [a["title"] for a in assignments] == ["Length of stay"]
            if stop == signal.SIGTERM:
                # ...and, acting as a student, gets an official grade in the gradebook.
                assert_graded_in_the_gradebook(info, assignments[0]["id"])
            # A kernel, so that its shutdown and its IPython files are part of what is checked.
            kernel = rest(info, "api/kernels", "POST")
            # Started: IPython has set up its profile (in the demo's folder, or the test fails).
            profile = state / "ipython" / "profile_default"
            wait_for(f"kernel {kernel['id']} set up", profile.is_dir, START_BUDGET)
            assert list(runtime.glob("kernel-*.json"))
            demo.send_signal(stop)
            assert demo.wait(timeout=STOP_BUDGET) == (-stop if stop == signal.SIGKILL else 0)
            wait_for("Jupyter stopped", lambda: gone(server_pid), STOP_BUDGET)
        finally:  # after a failure half-way too: nothing left running
            if demo.poll() is None:
                demo.kill()
                demo.wait()
            if server_pid and not gone(server_pid):
                os.kill(server_pid, signal.SIGTERM)
                deadline = time.monotonic() + STOP_BUDGET
                while not gone(server_pid) and time.monotonic() < deadline:
                    time.sleep(0.2)
        left = sorted(p.name for p in runtime.iterdir())
        assert not [
            n for n in left if n.startswith(("atrium-netdrive-", "jpserver-", "kernel-"))
        ], left
        # Everything went to the demo's folder: the home and working directory it started
        # with are untouched; the drives' state, IPython and Jupyter's files are in there.
        assert not list(home.rglob("*")), list(home.rglob("*"))
        assert not list(cwd.rglob("*")), list(cwd.rglob("*"))
        assert (state / "atrium.sqlite").exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)


def gone(pid: int) -> bool:
    """Exited (an orphan's zombie counts: the container's init may never reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


def answers(info: dict) -> bool:
    try:
        return bool(rest(info, "api/status"))
    except OSError:  # not listening yet (URLError is an OSError)
        return False


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):  # not written completely yet
        return None


def test_the_demo_share_keeps_its_port_and_forgets_drives_of_earlier_shares(tmp_path):
    assert share_port(tmp_path) is None  # the first run picks any port
    forget_stale_drives(tmp_path, 1)  # nothing remembered yet: only the port is
    assert (tmp_path / "share-port").read_text() == "1"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        state = tmp_path / "data" / "atrium" / "netdrives.json"
        state.parent.mkdir(parents=True)

        def drive(name, server, port):
            return {"name": name, "server": server, "port": port, "shareName": "data"}

        remembered = [
            drive("data", "127.0.0.1", port),
            drive("old", "127.0.0.1", port + 1),
            drive("dept", "files.example", 445),
        ]
        state.write_text(json.dumps({"version": 1, "drives": remembered}))
        forget_stale_drives(tmp_path, port)
        kept = json.loads(state.read_text())
        assert kept == {"version": 1, "drives": [remembered[0], remembered[2]]}
        assert state.stat().st_mode & 0o777 == 0o600
        assert share_port(tmp_path) is None  # in use by someone else: another port
    assert share_port(tmp_path) == port  # free again: the share comes back there


def test_the_demo_assignment_is_released_once_and_hides_its_answers(tmp_path):
    from demo.seed import seed
    from jupyterlab_atrium.service.config import AtriumService
    from jupyterlab_atrium.service.core import Service
    from jupyterlab_atrium.service.grading.assignments import AssignmentStore, GraderUser

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert seed(url)[1] == 1
    assert seed(url) == (0, 0)  # a demo started again adds nothing
    service = Service(
        AtriumService(database_url=url), mode="embedded", log=logging.getLogger("test")
    )
    try:
        store = AssignmentStore(service.database)
        student = GraderUser("someone")
        [summary] = store.list(student)
        assert summary["title"] == "Length of stay"
        assert [e["points"] for e in summary["exercises"]] == [2, 1, 2]
        copy, _ = store.notebook(student, summary["id"], "student")
        full, _ = store.notebook(GraderUser("demo", instructor=True), summary["id"], "instructor")
        # The solutions, the hidden tests and the expected output stay with the service.
        for secret in ("sum(days) / len(days)", "HIDDEN", "3.875", "typical patient", '"expected"'):
            assert secret in full
            assert secret not in copy
    finally:
        service.close()


def test_the_demo_has_two_groups_a_shared_and_a_deprecated_notebook(tmp_path):
    """Issue 17's demo: the groups run.py gives the server are the seed's, group-owned and
    shared notebooks are readable by the demo user through them, and one is deprecated with
    its successor as the alternative."""
    from traitlets.config import Application

    from demo.seed import DEMO_USER, GROUPS, seed
    from jupyterlab_atrium.service.config import AtriumService
    from jupyterlab_atrium.service.core import Service
    from jupyterlab_atrium.service.gallery.config import AtriumGallery
    from jupyterlab_atrium.service.gallery.search import SearchParams

    run = (ROOT / "demo" / "run.py").read_text()
    assert 'f"--AtriumGallery.groups={json.dumps(GROUPS)}"' in run
    app = Application()
    app.classes = [AtriumGallery]
    app.parse_command_line([f"--AtriumGallery.groups={json.dumps(GROUPS)}"])
    config = AtriumGallery(config=app.config)
    assert config.groups == {group: set(users) for group, users in GROUPS.items()}

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert seed(url)[0] >= 6
    service = Service(
        AtriumService(database_url=url), mode="embedded", log=logging.getLogger("t"), gallery=config
    )
    try:
        demo = config.embedded_user(DEMO_USER)
        found = service.gallery.search(demo, SearchParams(deprecated="include", per_page=100))
        items = {item["title"]: item for item in found["items"]}
        owners = {(i["owner"], i["ownerKind"]) for i in items.values() if i["ownerKind"] == "group"}
        assert owners == {("ward-analytics", "group"), ("it-security", "group")}
        shared = items["Log triage: failed logins per host"]
        assert shared["visibility"] == "shared"
        old = items["Monthly admissions from the old extract"]
        successor = items["Monthly admissions by department"]
        assert old["canManage"] and old["deprecation"]["alternatives"] == [
            {"id": successor["id"], "title": successor["title"]}
        ]
        # Left out of a search by default; the search says it was there.
        assert service.gallery.search(demo, SearchParams(q="old extract"))["deprecatedMatches"] == 1
        # Someone in neither group does not see the shared one.
        stranger = service.gallery.search(config.embedded_user("visitor"), SearchParams())
        assert shared["id"] not in {item["id"] for item in stranger["items"]}
    finally:
        service.close()


def test_the_demo_has_a_verified_notebook(tmp_path):
    """Issue 17's demo: the review kinds run.py gives the server are the seed's, and under
    them one notebook (ward analytics', reviewed by IT security) is verified."""
    from traitlets.config import Application

    from demo.seed import DEMO_USER, GROUPS, REVIEW_KINDS, seed
    from jupyterlab_atrium.service.config import AtriumService
    from jupyterlab_atrium.service.core import Service
    from jupyterlab_atrium.service.gallery.config import AtriumGallery
    from jupyterlab_atrium.service.gallery.search import SearchParams

    flag = f"--AtriumGallery.review_kinds={json.dumps(REVIEW_KINDS)}"
    assert (
        'f"--AtriumGallery.review_kinds={json.dumps(REVIEW_KINDS)}"'
        in (ROOT / "demo" / "run.py").read_text()
    )
    app = Application()
    app.classes = [AtriumGallery]
    app.parse_command_line([f"--AtriumGallery.groups={json.dumps(GROUPS)}", flag])
    config = AtriumGallery(config=app.config)

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    seed(url)
    service = Service(
        AtriumService(database_url=url), mode="embedded", log=logging.getLogger("t"), gallery=config
    )
    try:
        demo = config.embedded_user(DEMO_USER)
        found = service.gallery.search(demo, SearchParams(verified=True))
        assert [item["title"] for item in found["items"]] == ["Monthly admissions by department"]
    finally:
        service.close()
