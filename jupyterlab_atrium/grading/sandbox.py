"""Run untrusted code (students' answers) in a bubblewrap sandbox and get plain values back.

The sandbox, per run:

* its own user, PID, IPC, UTS, cgroup and **network** namespaces (loopback only: the service,
  the hub and the internet are unreachable), all capabilities dropped, a new session (no
  terminal to inject into), and it dies with the worker;
* a root file system of its own: the system (``/usr``) and the interpreter's prefixes
  read-only, a private ``/tmp`` and a scratch directory as the working directory, and
  nothing else — no home, no service database, no Jupyter runtime files, no tokens;
* an empty environment but for ``PATH``, ``HOME`` and a few thread counts;
* limits: CPU seconds (``RLIMIT_CPU``), address space, file size, open files, no core
  dumps; processes in a pids cgroup where the worker may make one (root) and
  ``RLIMIT_NPROC`` otherwise; a wall-clock deadline per step and for the run; output
  capped (past the cap the run is stopped, not buffered).

What comes back is checked, not believed: the channel must follow the runner's protocol
(``runner.py``) step by step, every message is bounded JSON of plain values, and a run that
breaks the protocol ends with the remaining steps failed. Pass/fail is decided by the
caller, in its own process, from those values.

Blocking: ``run`` waits for a process; call it on a worker thread, never on the event loop.
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .shown import MAX_SHOWN_CHARS

RUNNER = Path(__file__).with_name("runner.py")
#: Where the runner and the scratch directory appear inside the sandbox.
INSIDE_RUNNER = "/atrium/runner.py"
INSIDE_SCRATCH = "/scratch"
CGROUP_PIDS = Path("/sys/fs/cgroup/pids")
CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")
#: An empty run cgroup older than this was left by a worker that died before removing it
#: (a live run's group holds its processes; a new one is filled within milliseconds).
STALE_CGROUP_SECONDS = 60.0


class SandboxUnavailable(RuntimeError):
    """This machine cannot sandbox (no bubblewrap, or namespaces refused): grading stops,
    it never falls back to running student code unsandboxed."""


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 10
    #: Wall-clock seconds for one step (a cell or a probe), and for the whole run.
    step_seconds: float = 10.0
    run_seconds: float = 60.0
    memory_bytes: int = 1024 * 1024 * 1024
    max_processes: int = 32
    #: The student's stdout and stderr together; past it the run is stopped.
    output_bytes: int = 1024 * 1024
    #: The protocol channel: values of every probe together.
    channel_bytes: int = 4 * 1024 * 1024
    file_bytes: int = 16 * 1024 * 1024
    open_files: int = 256


@dataclass(frozen=True)
class Step:
    """A student's cell to run (through IPython, as in a notebook), the instructor's code to
    run as plain Python (no transformers or hooks the student's code could have added), a
    probe to evaluate (``expression``), or a student's cell whose shown output comes back
    (``show``: an expected-output answer)."""

    kind: str
    text: str

    @staticmethod
    def cell(source: str) -> Step:
        return Step("cell", source)

    @staticmethod
    def code(source: str) -> Step:
        return Step("code", source)

    @staticmethod
    def probe(expression: str) -> Step:
        return Step("probe", expression)

    @staticmethod
    def show(source: str) -> Step:
        return Step("show", source)

    def wire(self) -> dict[str, Any]:
        key = "expression" if self.kind == "probe" else "source"
        wire: dict[str, Any] = {"kind": self.kind, key: self.text}
        if self.kind == "show":
            wire["cap"] = MAX_SHOWN_CHARS
        return wire


@dataclass
class StepResult:
    ok: bool
    #: A probe's value, or what a ``show`` step's cell showed, as plain data (``None`` for
    #: cells and failures).
    value: Any = None
    #: The exception's class name, or what the worker saw: "timeout", "killed", "protocol".
    error: str | None = None


@dataclass
class RunResult:
    #: One per step; ``None`` for steps the run never reached.
    steps: list[StepResult | None]
    #: "ok"; or why the run stopped early: "timeout", "cpu", "memory", "output", "exited",
    #: "protocol".
    status: str
    output: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass
class Started:
    """A runner in its sandbox, waiting for a job."""

    proc: subprocess.Popen[bytes]
    channel: int
    scratch: str
    cgroups: list[Path]
    at: float
    ipython: bool
    closed: bool = False


def _bound(path: str) -> list[str]:
    """bwrap arguments that show ``path`` read-only at the same place (symlinks as links)."""
    p = Path(path)
    if p.is_symlink():
        return ["--symlink", os.readlink(p), path]
    if p.exists():
        return ["--ro-bind", path, path]
    return []


def sweep_stale_cgroups(older_than: float = STALE_CGROUP_SECONDS) -> list[Path]:
    """Remove the empty run cgroups a killed worker left behind; returns what went.

    Each run's cgroup is removed when the run ends, but a worker killed with SIGKILL (an
    OOM kill, a pod deleted) cannot; without a sweep every such death leaves groups in
    /sys/fs/cgroup until the machine restarts.
    """
    removed = []
    now = time.time()
    for root in (CGROUP_PIDS, CGROUP_MEMORY):
        try:
            groups = [g for g in root.glob("atrium-*") if g.is_dir()]
        except OSError:
            continue
        for group in groups:
            try:
                if (group / "cgroup.procs").read_text().strip():
                    continue
                if now - group.stat().st_mtime < older_than:
                    continue
                group.rmdir()
            except OSError:
                continue  # gone already, refilled, or not ours to remove
            removed.append(group)
    return removed


class Sandbox:
    def __init__(
        self,
        limits: Limits | None = None,
        *,
        python: str | None = None,
        read_only: tuple[str, ...] = (),
        bwrap: str | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.python = python or sys.executable
        self.read_only = read_only
        self.bwrap = bwrap or shutil.which("bwrap")
        if not self.bwrap:
            raise SandboxUnavailable(
                "bubblewrap (bwrap) is not installed; official grading needs it "
                "(Debian: apt-get install bubblewrap)."
            )
        sweep_stale_cgroups()

    # -- the namespace ---------------------------------------------------------------------

    def _prefixes(self) -> list[str]:
        """The interpreter's installation, which the sandbox needs read-only."""
        probe = subprocess.run(  # noqa: S603 - the configured interpreter, no shell
            [self.python, "-I", "-c", "import sys; print(sys.prefix); print(sys.base_prefix)"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
            env={"PATH": "/usr/bin:/bin"},
        )
        roots = {line for line in probe.stdout.splitlines() if line}
        return sorted(roots)

    def argv(self, scratch: str, channel: int, ipython: bool) -> list[str]:
        args = [
            self.bwrap,
            "--unshare-all",  # user, pid, ipc, uts, cgroup and net namespaces
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--uid",
            "65534",
            "--gid",
            "65534",
            "--hostname",
            "sandbox",
            "--tmpfs",
            "/",
            # Mounts apply in order: /tmp, /proc and /dev first, so that an interpreter
            # installed under /tmp (a CI checkout's virtualenv) is bound on top, not hidden.
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/tmp",  # noqa: S108 - the sandbox's own, empty /tmp
            "--ro-bind",
            "/usr",
            "/usr",
        ]
        for top in ("/bin", "/lib", "/lib64", "/sbin"):
            args += _bound(top)
        for name in ("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives"):
            args += _bound(name)
        for path in [*self._prefixes(), *self.read_only]:
            if not path.startswith("/usr/"):
                args += ["--ro-bind", path, path]
        args += [
            "--ro-bind",
            str(RUNNER),
            INSIDE_RUNNER,
            "--bind",
            scratch,
            INSIDE_SCRATCH,
            "--chdir",
            INSIDE_SCRATCH,
            "--clearenv",
            "--setenv",
            "PATH",
            "/usr/bin:/bin",
            "--setenv",
            "HOME",
            INSIDE_SCRATCH,
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--setenv",
            "MPLBACKEND",
            "Agg",
        ]
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            args += ["--setenv", name, "1"]
        # Unbuffered: what a step printed is in the pipe when the step's end is reported.
        args += [self.python, "-I", "-B", "-u", INSIDE_RUNNER, str(channel), str(int(ipython))]
        return args

    # -- limits ----------------------------------------------------------------------------

    def _cgroups(self, name: str) -> list[Path]:
        """A pids (and memory) cgroup of this run, where the worker may make one."""
        made = []
        for root, files in (
            (CGROUP_PIDS, {"pids.max": str(self.limits.max_processes)}),
            (CGROUP_MEMORY, {"memory.limit_in_bytes": str(self.limits.memory_bytes)}),
        ):
            if not os.access(root, os.W_OK):
                continue
            path = root / name
            try:
                path.mkdir()
                for file, value in files.items():
                    (path / file).write_text(value)
            except OSError:
                continue
            made.append(path)
        return made

    def _preexec(self, cgroups: list[Path]) -> Any:
        limits = self.limits
        processes = None if any(c.parent == CGROUP_PIDS for c in cgroups) else limits.max_processes

        def apply() -> None:
            # In the child, before bwrap: everything it starts inherits these.
            for group in cgroups:
                (group / "cgroup.procs").write_text(str(os.getpid()))
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
            resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if processes is not None:
                # Counted per real user: without a pids cgroup, the worker's uid's own
                # processes count too (a dedicated worker user is assumed; docs say so).
                resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))

        return apply

    # -- a run -----------------------------------------------------------------------------

    def start(self, *, ipython: bool = True) -> Started:
        """A sandboxed runner, started and waiting for its job (a warm pool keeps some)."""
        scratch = tempfile.mkdtemp(prefix="atrium-sandbox-")
        os.chmod(scratch, 0o777)  # noqa: S103 - the sandbox's user writes here; only it sees it
        cgroups = self._cgroups(f"atrium-{uuid.uuid4().hex}")
        read_end, write_end = os.pipe()
        try:
            proc = subprocess.Popen(  # noqa: S603 - argv built here, no shell
                self.argv(scratch, write_end, ipython),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(write_end,),
                preexec_fn=self._preexec(cgroups),
                start_new_session=True,
            )
        except OSError as err:
            os.close(read_end)
            for group in cgroups:
                self._remove_cgroup(group)
            shutil.rmtree(scratch, ignore_errors=True)
            raise SandboxUnavailable(f"The sandbox could not start: {err}") from None
        finally:
            os.close(write_end)
        return Started(proc, read_end, scratch, cgroups, time.monotonic(), ipython)

    def discard(self, started: Started) -> None:
        """Stop a runner and remove everything of it; a runner is never used twice."""
        if started.closed:
            return
        started.closed = True
        self._stop(started.proc)
        os.close(started.channel)
        for group in started.cgroups:
            self._remove_cgroup(group)
        shutil.rmtree(started.scratch, ignore_errors=True)

    def run(
        self, steps: list[Step], *, ipython: bool = True, started: Started | None = None
    ) -> RunResult:
        """Run ``steps`` in a fresh sandbox (``started``: one from a warm pool)."""
        limits = self.limits
        begun = time.monotonic()
        if started is None or started.closed or started.ipython != ipython:
            if started is not None:
                self.discard(started)
            started = self.start(ipython=ipython)
        results: list[StepResult | None] = [None] * len(steps)
        output = bytearray()
        notes: list[str] = []
        try:
            status = self._talk(started.proc, started.channel, steps, results, output, notes, begun)
        finally:
            self.discard(started)
        return RunResult(
            steps=results,
            status=status,
            output=output[: limits.output_bytes].decode("utf-8", "replace"),
            seconds=time.monotonic() - begun,
            notes=notes,
        )

    def _talk(
        self,
        proc: subprocess.Popen[bytes],
        channel: int,
        steps: list[Step],
        results: list[StepResult | None],
        output: bytearray,
        notes: list[str],
        started: float,
    ) -> str:
        limits = self.limits
        assert proc.stdin is not None and proc.stdout is not None
        stdin = proc.stdin.fileno()
        os.set_blocking(stdin, False)
        # What is still to be written to the runner: the next step only (then "" to end).
        outbox = bytearray(self._wire(steps, 0))
        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ, "output")
        selector.register(channel, selectors.EVENT_READ, "channel")
        selector.register(stdin, selectors.EVENT_WRITE, "steps")
        pending = bytearray()
        received = 0
        current: int | None = None
        # The step that ended last. Its end may be a forgery — the student's code can write
        # a well-formed end to the channel and then keep the runner's own end from being
        # read, by exiting or by the protocol error the real end then is — so a run that
        # goes wrong between steps takes it back.
        ended: int | None = None
        expected = 0  # the next step the runner may begin
        run_deadline = started + limits.run_seconds
        # Until the first step begins, only the run's deadline holds (start-up is not a step).
        step_deadline = run_deadline
        status = "ok"
        done = False
        open_streams = 2
        while open_streams:
            now = time.monotonic()
            deadline = min(run_deadline, step_deadline)
            if now >= deadline:
                status = "timeout"
                break
            for key, _mask in selector.select(timeout=deadline - now):
                if key.data == "steps":
                    try:
                        del outbox[: os.write(stdin, outbox)]
                    except (BrokenPipeError, BlockingIOError):
                        pass
                    if not outbox:
                        selector.unregister(stdin)
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                if key.data == "output":
                    output += chunk
                    if len(output) > limits.output_bytes:
                        status = "output"
                        break
                    continue
                received += len(chunk)
                if received > limits.channel_bytes:
                    status = "protocol"
                    notes.append("the channel carried more than its limit")
                    break
                pending += chunk
                while b"\n" in pending:
                    line, _, rest = pending.partition(b"\n")
                    pending = bytearray(rest)
                    verdict = self._message(line, steps, results, current, expected)
                    if verdict == "protocol":
                        status = "protocol"
                        notes.append("the channel broke the protocol")
                        break
                    if verdict == "done":
                        # Whatever the student's code left running (threads, atexit) is
                        # not waited for.
                        done = True
                        break
                    if verdict[0] == "begin":
                        current = verdict[1]
                    else:
                        current = None
                        ended = verdict[1]
                        expected = verdict[1] + 1
                        if not outbox:
                            selector.register(stdin, selectors.EVENT_WRITE, "steps")
                        outbox += self._wire(steps, expected)
                    step_deadline = time.monotonic() + limits.step_seconds
                if status != "ok" or done:
                    break
            if status != "ok" or done:
                break
        if done:
            self._drain(proc, output)
        self._stop(proc)
        if status == "ok" and not done:
            # The runner died or exited before the end: os._exit, a signal, a limit. bwrap
            # reports a signal that ended the runner as 128 + its number.
            code = proc.returncode or 0
            signum = -code if code < 0 else code - 128 if code > 128 else 0
            status = "cpu" if signum == signal.SIGXCPU else "exited"
            if not received and bytes(output[:6]) == b"bwrap:":
                # bubblewrap itself failed (no user namespaces on this node, say) before the
                # runner said a word, so no student code ran: that is this machine's fault,
                # not a failing answer. The job goes back for another worker.
                reason = bytes(output).decode("utf-8", "replace").splitlines()[0][:300]
                raise SandboxUnavailable(f"bubblewrap could not start the sandbox: {reason}")
        if ended is not None and current is None and not done:
            results[ended] = StepResult(False, error=status if status != "ok" else "exited")
        if current is not None and results[current] is None:
            results[current] = StepResult(False, error=status if status != "ok" else "exited")
        return status

    @staticmethod
    def _wire(steps: list[Step], index: int) -> bytes:
        """Step ``index`` as the runner reads it; past the last, the empty line that ends."""
        if index >= len(steps):
            return b"\n"
        return json.dumps(steps[index].wire()).encode() + b"\n"

    @staticmethod
    def _message(
        line: bytes,
        steps: list[Step],
        results: list[StepResult | None],
        current: int | None,
        expected: int,
    ) -> Any:
        """Check one channel message against the protocol; record a step's end."""
        try:
            message = json.loads(line, parse_constant=lambda _c: None)
        except ValueError:
            return "protocol"
        if not isinstance(message, dict):
            return "protocol"
        if message == {"done": True}:
            return "done" if current is None and expected == len(steps) else "protocol"
        if set(message) == {"begin"}:
            index = message["begin"]
            if current is None and type(index) is int and index == expected:
                return ("begin", index)
            return "protocol"
        index = message.get("end")
        if type(index) is not int or index != current or type(message.get("ok")) is not bool:
            return "protocol"
        if message["ok"]:
            if set(message) - {"end", "ok", "value"}:
                return "protocol"
            value = message.get("value") if steps[index].kind in ("probe", "show") else None
            results[index] = StepResult(True, value=value)
        else:
            error = message.get("error")
            if type(error) is not str or set(message) - {"end", "ok", "error", "detail"}:
                return "protocol"
            results[index] = StepResult(False, error=error[:100])
        return ("end", index)

    def _drain(self, proc: subprocess.Popen[bytes], output: bytearray) -> None:
        """What the runner printed last, briefly: output is for people, not for grades."""
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and len(output) <= self.limits.output_bytes:
            try:
                chunk = os.read(proc.stdout.fileno(), 65536)
            except BlockingIOError:
                if proc.poll() is not None:
                    break
                time.sleep(0.02)
                continue
            if not chunk:
                break
            output += chunk

    @staticmethod
    def _stop(proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            # bwrap leads the session and is PID 1's parent in the namespace: killing the
            # group ends every process of the run (--die-with-parent does the rest).
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()

    @staticmethod
    def _remove_cgroup(group: Path) -> None:
        # Processes left in it (a fork bomb's tail) are killed first; then it can go.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
            except OSError:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                group.rmdir()
                return
            except OSError:
                time.sleep(0.05)
