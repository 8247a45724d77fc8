"""The program that runs inside the grading sandbox (``sandbox.py`` starts it).

It is copied into the sandbox read-only and run by the sandbox's interpreter with ``-I``:
only the standard library, IPython and what the student's code imports are loaded. It waits
for steps on stdin (a warm sandbox waits there), one JSON line each, runs them in order in
one namespace until an empty line, and reports on the channel (the file descriptor named in
argv):

* ``{"begin": i}`` before step ``i``, so the worker knows which step a timeout or a crash
  hit;
* ``{"end": i, "ok": true, "value": …}`` after a probe (an expression whose value the worker
  compares outside), ``{"end": i, "ok": true}`` after a cell, or ``{"end": i, "ok": false,
  "error": "ZeroDivisionError"}``;
* after a ``show`` step (the answer of an expected-output exercise: a cell whose shown output
  is graded), ``{"end": i, "ok": true, "value": {"outputs": [...], "truncated": false}}`` —
  what it printed to stdout and displayed (text/plain, and text/html holding a table), as
  notebook outputs of plain strings, capped at the step's ``cap`` characters.

Nothing this program says is believed because it said it: the student's code runs in this
interpreter and may rewrite any of it, or write to fd 3 itself. What keeps a grade honest is
outside — the worker decides pass/fail in its own process from plain values, the expected
values never enter the sandbox, and a channel that breaks the protocol ends the run. So this
file aims at convenience (cell syntax, readable errors) and at leaving the student's code
nothing to gain from the runner (values only cross as plain data: no pickles, no objects).
"""

import builtins
import json
import os
import sys

MAX_DEPTH = 32


class NotPlain(Exception):
    pass


def plain(value, depth=0):
    """The value as JSON-ready data, or NotPlain. Exact types only: a subclass of int or
    list could carry an ``__eq__`` that says yes to anything."""
    if depth > MAX_DEPTH:
        raise NotPlain("nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return {"__float__": repr(value)}
        return value
    if kind in (list, tuple):
        return [plain(item, depth + 1) for item in value]
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise NotPlain("a dict key that is not a string")
            out[key] = plain(item, depth + 1)
        return out
    module = getattr(kind, "__module__", "")
    name = getattr(kind, "__name__", "")
    if module == "numpy" and name == "ndarray":
        return {
            "__ndarray__": plain(value.tolist(), depth + 1),
            "dtype": str(value.dtype),
        }
    if module == "numpy" and hasattr(value, "item"):  # numpy scalars
        return plain(value.item(), depth + 1)
    if module.startswith("pandas") and name == "DataFrame":
        split = value.to_dict(orient="split")
        return {
            "__table__": {
                "columns": plain([str(c) for c in split["columns"]], depth + 1),
                "index": plain([str(i) for i in split["index"]], depth + 1),
                "data": plain(split["data"], depth + 1),
            }
        }
    if module.startswith("pandas") and name == "Series":
        return {
            "__series__": {
                "index": plain([str(i) for i in value.index], depth + 1),
                "data": plain(value.tolist(), depth + 1),
            }
        }
    raise NotPlain(f"a {name or 'value'} is not plain data")


class Shown:
    """What a ``show`` step's cell showed, as notebook outputs of exact strings, capped."""

    def __init__(self, cap):
        self.outputs = []
        self.left = cap
        self.truncated = False

    def _take(self, text):
        # An exact str: a subclass could lie about its length or its contents.
        text = str.__str__(text)
        if len(text) > self.left:
            self.truncated = True
            text = text[: self.left]
        self.left -= len(text)
        return text

    def stream(self, text):
        text = self._take(text)
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last["output_type"] == "stream":
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": "stdout", "text": text})

    def data(self, kind, bundle):
        if not isinstance(bundle, dict):
            return
        kept = {}
        for mime in ("text/plain", "text/html"):
            value = dict.get(bundle, mime)
            if not isinstance(value, str):
                continue
            if mime == "text/html" and "<table" not in str.lower(value):
                continue  # only tables are compared; other HTML is not kept
            kept[mime] = self._take(value)
        if kept:
            self.outputs.append({"output_type": kind, "data": kept})

    def clear(self):
        self.outputs = []

    def report(self):
        return {"outputs": self.outputs, "truncated": self.truncated}


class Tee:
    """``sys.stdout`` during a ``show`` step: what is printed is shown (captured) and still
    reaches the real stdout, where the worker's output limit holds."""

    def __init__(self, real, shown):
        self._real = real
        self._shown = shown

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._shown.stream(text)
        return self._real.write(text)

    def flush(self):
        self._real.flush()

    def __getattr__(self, name):
        return getattr(self._real, name)


def capture_display(shell, showing):
    """Route the shell's displays and results to ``showing[0]`` while a ``show`` step runs
    (other cells' displays print their text as before)."""
    from IPython.core.displaypub import DisplayPublisher

    class Publisher(DisplayPublisher):
        def publish(self, data, *args, **kwargs):
            if showing[0] is not None:
                showing[0].data("display_data", data)
            else:
                super().publish(data, *args, **kwargs)

        def clear_output(self, wait=False):
            if showing[0] is not None:
                showing[0].clear()

    shell.display_pub = Publisher(shell=shell)
    hook = shell.displayhook
    plain_prompt, plain_write = hook.write_output_prompt, hook.write_format_data

    def write_output_prompt():
        if showing[0] is None:
            plain_prompt()

    def write_format_data(format_dict, md_dict=None):
        if showing[0] is not None:
            showing[0].data("execute_result", format_dict)
        else:
            plain_write(format_dict, md_dict)

    hook.write_output_prompt = write_output_prompt
    hook.write_format_data = write_format_data


def main():
    # argv: the channel's descriptor, and 1 to run cells through IPython. The interpreter
    # and IPython load before the job arrives, so a warm sandbox waits with them loaded.
    channel = os.fdopen(int(sys.argv[1]), "w", buffering=1, encoding="utf-8")
    shell = None
    if sys.argv[2] == "1":
        try:
            from IPython.core.interactiveshell import InteractiveShell

            shell = InteractiveShell.instance()
        except Exception:
            shell = None
    # The Shown of the ``show`` step running, if one is.
    showing = [None]
    if shell is not None:
        capture_display(shell, showing)

    def say(message):
        channel.write(json.dumps(message, allow_nan=False) + "\n")
        channel.flush()

    # Steps arrive one line at a time, each after the previous one ended: while a step
    # runs, the steps after it are not in this process. The student's input() gets EOF.
    steps = os.fdopen(os.dup(0), "r", encoding="utf-8")
    os.close(0)
    sys.stdin = open(os.devnull)  # takes descriptor 0 again
    namespace = shell.user_ns if shell is not None else {"__name__": "__main__"}
    # The builtins as they are before any student code runs. The instructor's code and
    # probes see these, not a student's `builtins.len = ...` or a global named `len`.
    pristine = dict(vars(builtins))

    def instructor_view():
        view = {k: v for k, v in namespace.items() if k.startswith("__") or k not in pristine}
        view["__builtins__"] = pristine
        return view

    for index, line in enumerate(steps):
        if not line.strip():
            break
        step = json.loads(line)
        say({"begin": index})
        try:
            if step["kind"] == "show":
                real = sys.stdout
                showing[0] = shown = Shown(int(step["cap"]))
                sys.stdout = Tee(real, shown)
                try:
                    if shell is not None:
                        # A trailing ';' hides the result, as in a notebook (IPython reads
                        # the cell from its history, which these runs do not keep).
                        source = step["source"]
                        hook = shell.displayhook
                        hook.quiet = lambda h=hook, s=source: h.semicolon_at_end_of_expression(s)
                        result = shell.run_cell(source, store_history=False)
                        error = result.error_before_exec or result.error_in_exec
                    else:
                        exec(compile(step["source"], f"<cell {index}>", "exec"), namespace)  # noqa: S102
                        error = None
                finally:
                    showing[0] = None
                    sys.stdout = real
                    vars(builtins).update(pristine)
                if error is not None:
                    raise error
                say({"end": index, "ok": True, "value": shown.report()})
            elif step["kind"] == "cell" and shell is not None:
                try:
                    result = shell.run_cell(step["source"], store_history=False, silent=True)
                finally:
                    # A student's `builtins.len = ...` would break this program too.
                    vars(builtins).update(pristine)
                if result.error_before_exec is not None:
                    raise result.error_before_exec
                if result.error_in_exec is not None:
                    raise result.error_in_exec
                say({"end": index, "ok": True})
            elif step["kind"] == "cell":
                try:
                    # Running the student's code is this program's purpose (in the sandbox).
                    exec(compile(step["source"], f"<cell {index}>", "exec"), namespace)  # noqa: S102
                finally:
                    vars(builtins).update(pristine)
                say({"end": index, "ok": True})
            elif step["kind"] == "code":
                view = instructor_view()
                try:
                    exec(compile(step["source"], f"<code {index}>", "exec"), view)  # noqa: S102
                finally:
                    view.pop("__builtins__")
                    namespace.update(view)
                say({"end": index, "ok": True})
            else:
                probe = compile(step["expression"], f"<probe {index}>", "eval")
                value = eval(probe, instructor_view())  # noqa: S307 - in the sandbox, on purpose
                say({"end": index, "ok": True, "value": plain(value)})
        except SystemExit:
            say({"end": index, "ok": False, "error": "SystemExit"})
        except NotPlain as err:
            say({"end": index, "ok": False, "error": "NotPlain", "detail": str(err)[:200]})
        except BaseException as err:  # the student's exception, whatever it is
            say({"end": index, "ok": False, "error": type(err).__name__[:100]})
    say({"done": True})


if __name__ == "__main__":
    main()
