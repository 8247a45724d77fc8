"""The strip contract, service side. The fixtures in tests/fixtures/strip are shared with the
jest tests (src/gallery/__tests__/strip.spec.ts): both languages must turn every
``<case>.in.ipynb`` into ``<case>.out.ipynb`` with the same report, problems and secrets."""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from jupyterlab_atrium.errors import AtriumError
from jupyterlab_atrium.gallery import rules as rules_module
from jupyterlab_atrium.gallery.rules import (
    MAX_DEPTH,
    SECRET_PATTERNS_FILE,
    STRIP_KINDS,
    STRIP_RULES_FILE,
    RulesError,
    compile_rules,
    compile_secret_rules,
)
from jupyterlab_atrium.gallery.secret_scan import (
    entropy,
    find_likely_secrets,
    mask_secret,
    scan_source,
)
from jupyterlab_atrium.gallery.strip import (
    DEFAULT_MAX_BYTES,
    MiB,
    NotebookRejected,
    check_stripped,
    copy_json,
    ensure_stripped,
    parse_notebook,
    serialize_notebook,
    strip_notebook,
)

from .conftest import GALLERY_USER_HEADER

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "strip"
INVALID = FIXTURES / "invalid"
CASES = sorted(path.name[: -len(".in.ipynb")] for path in FIXTURES.glob("*.in.ipynb"))


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def case_options(case: str) -> dict[str, Any]:
    path = FIXTURES / f"{case}.options.json"
    return load(path) if path.exists() else {}


def allow(case: str) -> bool:
    return bool(case_options(case).get("allowAttachments", False))


def notebook(cells: list[dict[str, Any]], **metadata: Any) -> dict[str, Any]:
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def code_cell(source: str = "x", **extra: Any) -> dict[str, Any]:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "c",
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    cell.update(extra)
    return cell


def test_the_fixture_set_covers_the_contract():
    assert len(CASES) >= 12
    for required in (
        "outputs-and-widgets",
        "timing-metadata",
        "attachments",
        "attachments-allowed",
        "view-state",
        "gallery-link",
        "raw-cells",
        "nbformat-4.0-no-ids",
        "unicode",
        "huge-output",
        "secrets",
        "classic-signed",
        "hidden-cells",
        "nbgallery",
    ):
        assert required in CASES
    for case in CASES:
        assert (FIXTURES / f"{case}.out.ipynb").exists(), case
        assert (FIXTURES / f"{case}.report.json").exists(), case
        assert (FIXTURES / f"{case}.problems.json").exists(), case


# --- the shared fixtures ----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_strip_turns_the_input_into_the_expected_output(case):
    nb = load(FIXTURES / f"{case}.in.ipynb")
    before = copy.deepcopy(nb)
    stripped, report = strip_notebook(nb, allow_attachments=allow(case))
    assert stripped == load(FIXTURES / f"{case}.out.ipynb")
    assert report == load(FIXTURES / f"{case}.report.json")
    assert list(report) == list(STRIP_KINDS)
    assert nb == before, "the input must not be changed"


@pytest.mark.parametrize("case", CASES)
def test_stripped_output_is_byte_for_byte_the_fixture(case):
    # The fixtures are written as nbformat writes notebooks; the jest test makes the same
    # comparison with the same serialisation.
    nb = load(FIXTURES / f"{case}.in.ipynb")
    stripped, _ = strip_notebook(nb, allow_attachments=allow(case))
    assert serialize_notebook(stripped) == (FIXTURES / f"{case}.out.ipynb").read_bytes()


@pytest.mark.parametrize("case", CASES)
def test_check_finds_exactly_the_expected_problems(case):
    nb = load(FIXTURES / f"{case}.in.ipynb")
    expected = load(FIXTURES / f"{case}.problems.json")
    problems = check_stripped(nb, allow_attachments=allow(case))
    assert [{"path": p.path, "kind": p.kind} for p in problems] == expected
    if case != "already-stripped":
        assert problems, "every input but the stripped one must fail the check"
    for problem in problems:
        assert problem.message.endswith(".")
        assert problem.message[0].isupper()


@pytest.mark.parametrize("case", CASES)
def test_stripped_output_passes_the_check_and_strips_to_itself(case):
    out = load(FIXTURES / f"{case}.out.ipynb")
    assert check_stripped(out, allow_attachments=allow(case)) == []
    again, report = strip_notebook(out, allow_attachments=allow(case))
    assert again == out
    assert set(report.values()) == {0}


@pytest.mark.parametrize("case", CASES)
def test_every_fixture_input_is_a_notebook_the_service_reads(case):
    raw = (FIXTURES / f"{case}.in.ipynb").read_bytes()
    assert parse_notebook(raw, allow_attachments=allow(case)) == json.loads(raw)


@pytest.mark.parametrize(
    "case", [c for c in CASES if (FIXTURES / f"{c}.secrets.json").exists()] or ["none"]
)
def test_secret_findings_match_the_fixture(case):
    expected = load(FIXTURES / f"{case}.secrets.json")
    nb = load(FIXTURES / f"{case}.in.ipynb")
    assert [f.to_json() for f in find_likely_secrets(nb)] == expected
    stripped, _ = strip_notebook(nb)
    assert [f.to_json() for f in find_likely_secrets(stripped)] == expected


# --- nbstripout's defaults ---------------------------------------------------------------


def nbstripout_cli(path: Path, tmp_path: Path, monkeypatch) -> dict[str, Any]:
    """The notebook as ``nbstripout --keep-id`` (the installed version's own defaults) leaves
    it: its CLI run in this process, reading a copy (it opens its files for writing)."""
    from nbstripout import _nbstripout

    class Output(io.BytesIO):
        def close(self) -> None:  # the CLI's text wrapper closes it when it goes
            pass

    copy_path = tmp_path / path.name
    copy_path.write_bytes(path.read_bytes())
    out = SimpleNamespace(buffer=Output())
    monkeypatch.setattr(sys, "argv", ["nbstripout", "--keep-id", "--textconv", str(copy_path)])
    monkeypatch.setattr(sys, "stdin", None)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.chdir(tmp_path)  # no repository's filter.nbstripout.extrakeys applies
    _nbstripout.main()
    return json.loads(out.buffer.getvalue())


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every object key as a dotted path; lists are values, sources joined (nbformat writes
    them as lists of lines, which is the same text)."""
    if not isinstance(value, dict):
        return {prefix: value}
    found: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}.{key}" if prefix else key
        if key in ("source", "text") and isinstance(item, list):
            found[path] = "".join(item)
        elif key == "cells" and isinstance(item, list):
            for index, cell in enumerate(item):
                found.update(leaves(cell, f"{path}[{index}]"))
        else:
            found.update(leaves(item, path))
    return found


@pytest.mark.parametrize("case", CASES)
def test_atrium_removes_everything_nbstripout_removes_by_default(case, tmp_path, monkeypatch):
    # Where nbstripout (with nbformat, which drops its transient keys) removes or blanks a
    # value, Atrium removes it or blanks it the same way. Cell ids are the one default of
    # nbstripout's Atrium does not follow (it renumbers them; Atrium keeps them, which
    # --keep-id turns on), and a kept output never leaves (nbstripout's keep_output).
    source = FIXTURES / f"{case}.in.ipynb"
    before = leaves(load(source))
    theirs = leaves(nbstripout_cli(source, tmp_path, monkeypatch))
    ours = leaves(strip_notebook(load(source), allow_attachments=allow(case))[0])
    for path, value in before.items():
        if theirs.get(path, KeyError) == value:
            continue
        assert path not in ours or ours[path] == theirs.get(path), (
            f"nbstripout changes {path} ({value!r} -> {theirs.get(path, 'removed')!r}); "
            f"Atrium keeps {ours[path]!r}"
        )


def test_the_nbstripout_comparison_sees_every_key_nbstripout_removes(tmp_path, monkeypatch):
    # Each of nbstripout's default keys (and nbformat's transient ones), in one notebook:
    # the comparison above must see them all removed, or it would prove nothing.
    cell_keys = ("collapsed", "ExecuteTime", "execution", "heading_collapsed", "hidden")
    cell_keys += ("scrolled", "trusted")
    metadata = {key: True for key in cell_keys}
    nb = notebook(
        [code_cell(metadata=metadata, execution_count=1)],
        signature="sha256:00",
        widgets={"state": {"w": 1}},
        orig_nbformat=3,
        orig_nbformat_minor=0,
    )
    path = tmp_path / "src" / "every-key.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb))
    theirs = leaves(nbstripout_cli(path, tmp_path, monkeypatch))
    removed = set(leaves(nb)) - set(theirs)
    assert {f"cells[0].metadata.{key}" for key in cell_keys} <= removed
    assert {"metadata.signature", "metadata.widgets.state.w"} <= removed
    assert {"metadata.orig_nbformat", "metadata.orig_nbformat_minor"} <= removed
    ours = leaves(strip_notebook(nb)[0])
    assert not removed & set(ours)


# --- notebooks the strip refuses --------------------------------------------------------

REFUSED = {
    name: entry["strip"]
    for name, entry in load(INVALID / "expected.json").items()
    if "strip" in entry
}


def test_the_refused_fixtures_cover_old_formats():
    assert REFUSED["nbformat-2.ipynb"] == "old-nbformat"
    assert REFUSED["nbformat-3.ipynb"] == "old-nbformat"
    assert REFUSED["nbformat-3-signed.ipynb"] == "old-nbformat"
    assert load(STRIP_RULES_FILE)["nbformat"] == 4


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_strip_and_check_refuse_what_they_cannot_read(name):
    # An nbformat 2 or 3 notebook keeps its cells in worksheets: a strip that read it as
    # nbformat 4 would return no cells at all, every source lost. Both strip and check
    # refuse it with the parser's reason (the browser refuses it with the same reason).
    nb = json.loads((INVALID / name).read_bytes())
    before = copy.deepcopy(nb)
    for call in (strip_notebook, check_stripped, ensure_stripped):
        with pytest.raises(NotebookRejected) as info:
            call(nb)
        assert (info.value.status, info.value.reason) == (400, REFUSED[name]), call
        assert info.value.message.endswith(".")
    assert nb == before


def test_an_old_notebook_is_refused_with_what_to_do():
    nb = json.loads((INVALID / "nbformat-2.ipynb").read_bytes())
    with pytest.raises(NotebookRejected) as info:
        strip_notebook(nb)
    assert "nbformat 2" in info.value.message
    assert "JupyterLab" in info.value.message
    with pytest.raises(NotebookRejected) as parsed:
        parse_notebook((INVALID / "nbformat-2.ipynb").read_bytes())
    assert parsed.value.message == info.value.message


# --- the strip itself -------------------------------------------------------------------


class PoisonList(list):
    """An output list that fails if anything looks inside it; only its length is allowed."""

    def __iter__(self):
        raise AssertionError("the strip iterated over outputs")

    def __getitem__(self, index):
        raise AssertionError("the strip read an output")

    def __reduce_ex__(self, protocol):
        raise AssertionError("the strip copied outputs")


class PoisonDict(dict):
    """Widget state that fails if anything reads it."""

    def __iter__(self):
        raise AssertionError("the strip iterated over widget state")

    def items(self):
        raise AssertionError("the strip read widget state")

    def keys(self):
        raise AssertionError("the strip read widget state")

    def values(self):
        raise AssertionError("the strip read widget state")


def test_strip_never_reads_outputs_or_widget_state():
    outputs = PoisonList([{"output_type": "stream", "name": "stdout", "text": "x"}] * 3)
    nb = notebook(
        [code_cell(outputs=outputs, execution_count=3)],
        widgets=PoisonDict({"application/vnd.jupyter.widget-state+json": {}}),
    )
    stripped, report = strip_notebook(nb)
    assert stripped["cells"][0]["outputs"] == []
    assert report["outputs"] == 3
    assert report["widgetState"] == 1
    assert "widgets" not in stripped["metadata"]


def test_the_result_shares_nothing_with_the_input():
    nb = notebook([code_cell(metadata={"tags": ["a"]})], kernelspec={"name": "python3"})
    stripped, _ = strip_notebook(nb)
    stripped["cells"][0]["metadata"]["tags"].append("b")
    stripped["metadata"]["kernelspec"]["name"] = "changed"
    assert nb["cells"][0]["metadata"]["tags"] == ["a"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_kept_metadata_deeper_than_the_limit_is_refused():
    deep: dict[str, Any] = {}
    level = deep
    for _ in range(MAX_DEPTH + 1):
        level["a"] = {}
        level = level["a"]
    with pytest.raises(NotebookRejected) as info:
        strip_notebook(notebook([], deep=deep))
    assert (info.value.status, info.value.reason) == (400, "too-deep")
    shallow: dict[str, Any] = {}
    level = shallow
    for _ in range(MAX_DEPTH - 3):
        level["a"] = {}
        level = level["a"]
    assert copy_json(shallow) == shallow


def test_a_policy_rule_in_the_data_removes_more():
    # A future admin policy only adds data: here, grader metadata marked as not public.
    data = load(STRIP_RULES_FILE)
    data["cellMetadata"].append({"path": ["nbgrader"], "kind": "policyMetadata"})
    policy = compile_rules(data)
    nb = notebook([code_cell(metadata={"nbgrader": {"grade": True}, "tags": ["t"]})])
    stripped, report = strip_notebook(nb, rules=policy)
    assert stripped["cells"][0]["metadata"] == {"tags": ["t"]}
    assert report["policyMetadata"] == 1
    problems = check_stripped(nb, rules=policy)
    assert [(p.path, p.kind) for p in problems] == [
        ("cells[0].metadata.nbgrader", "policyMetadata")
    ]
    assert "policy" in problems[0].message
    # The shipped rules keep grader metadata.
    assert strip_notebook(nb)[0] == nb


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["cellMetadata"].append({"path": ["x"], "kind": "outputs"}),
        lambda d: d["cellMetadata"].append({"path": [], "kind": "viewState"}),
        lambda d: d["notebookMetadata"].append({"path": "widgets", "kind": "widgetState"}),
        lambda d: d["cellFields"].pop("*"),
        lambda d: d.pop("notebookFields"),
        lambda d: d.pop("nbformat"),
        lambda d: d.update(nbformat="4"),
    ],
)
def test_malformed_rule_data_is_refused(mutate):
    data = load(STRIP_RULES_FILE)
    mutate(data)
    with pytest.raises(RulesError):
        compile_rules(data)


def test_removing_a_parent_key_wins_over_rules_inside_it():
    data = load(STRIP_RULES_FILE)
    data["cellMetadata"].append({"path": ["jupyter"], "kind": "policyMetadata"})
    tree = compile_rules(data).cell_tree
    assert tree["jupyter"].remove == "policyMetadata"
    assert tree["jupyter"].children == {}


# --- one copy of the rule data, shared with the browser ---------------------------------


def test_the_browser_imports_the_same_rule_files():
    # tsc keeps JSON imports from outside src/ as they are (lib/ mirrors src/, so the
    # relative path still holds) and webpack inlines them: there is no second copy.
    rules_ts = (ROOT / "src" / "gallery" / "rules.ts").read_text()
    secrets_ts = (ROOT / "src" / "gallery" / "secrets.ts").read_text()
    assert "'../../jupyterlab_atrium/gallery/strip-rules.json'" in rules_ts
    assert "'../../jupyterlab_atrium/gallery/secret-patterns.json'" in secrets_ts
    copies = list((ROOT / "src" / "gallery").rglob("*.json"))
    assert not copies, "rule data must not be copied into src/gallery"
    assert STRIP_RULES_FILE.parent == Path(rules_module.__file__).parent


def test_secret_patterns_use_only_syntax_both_languages_read_alike():
    data = load(SECRET_PATTERNS_FILE)
    sources = [data["placeholder"]] + [p["regex"] for p in data["patterns"]]
    for source in sources:
        # \w \d \s \b mean Unicode classes in Python and ASCII ones in JavaScript.
        assert not re.search(r"(?<!\\)(?:\\\\)*\\[wWdDsSbB]", source), source
        # No named groups ((?P<n> is Python only, (?<n> was not Python until 3.12 ...).
        assert not re.search(r"\(\?P|\(\?<[A-Za-z]", source), source
        # ... and no inline flags, which JavaScript does not have.
        assert not re.search(r"\(\?[aiLmsux]+[):]", source), source
    compile_secret_rules(data)


# --- secrets ----------------------------------------------------------------------------


def test_masks_never_show_more_than_a_quarter():
    assert mask_secret("ghp_" + "a" * 36, 4) == "ghp_****"
    assert mask_secret("abcdefgh", 4) == "ab****"
    assert mask_secret("abc", 4) == "****"
    assert mask_secret("hunter22", 0) == "****"


def test_entropy_separates_tokens_from_words():
    assert entropy("aaaaaaaa") == 0
    assert entropy("0123456789abcdef") == 4
    assert entropy("password") < 3.5 < entropy("Zr7Kp2Xw9Qm4Lt6Vb1Nd8Hy3")


@pytest.mark.parametrize(
    "line",
    [
        'password = os.environ["DB_PASSWORD"]',
        'password = getpass("Password: ")',
        'password = "<your password>"',
        'password = "${DB_PASSWORD}"',
        'token = "your-token-here"',
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',
        'tokenizer = "bert-base-multilingual-cased"',
        'if password == "hunter22":',
        'secret_name = "projects/p/secrets/db"',
        "url = 'https://user@example.org/path'",
        # Long, varied, but no digit: names and paths, not tokens.
        'token_file = "/home/ada/.config/gh/hosts.yml"',
        'secret_manager = "projects/analytics/secrets/warehouse"',
    ],
)
def test_no_warning_for_placeholders_and_lookalikes(line):
    assert scan_source(line) == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ('pwd = "correct horse battery"', "password"),
        ('"password": "s3cr3t!!"', "password"),
        ("-----BEGIN RSA PRIVATE KEY-----", "private-key"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", "private-key"),
        ("key = 'github_pat_" + "A1b2C3d4E5" * 8 + "'", "github-token"),
        ("curl -H 'Authorization: Bearer Zr7Kp2Xw9Qm4Lt6Vb1Nd8Hy3'", "bearer-token"),
        ("hook = 'https://hooks.slack.com/services/T0001/B0002/Xy7Zq9Wv3Lk'", "slack-webhook"),
        ("API_KEY='Zr7Kp2Xw9Qm4Lt6Vb1Nd8Hy3'", "generic-secret"),
    ],
)
def test_warnings_for_likely_secrets(line, kind):
    found = scan_source(line)
    assert [f["kind"] for f in found] == [kind]
    excerpt = found[0]["excerpt"]
    for token in re.findall(r"[A-Za-z0-9/+_\-]{8,}", line):
        if re.search(r"[0-9]", token) and "PRIVATE" not in token:
            assert token not in excerpt


# --- the service's parser ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(load(INVALID / "expected.json")))
def test_hostile_and_invalid_uploads_are_refused_with_a_message(name):
    expected = load(INVALID / "expected.json")[name]
    with pytest.raises(NotebookRejected) as info:
        parse_notebook((INVALID / name).read_bytes())
    assert (info.value.status, info.value.reason) == (expected["status"], expected["reason"])
    assert info.value.message.endswith(".")
    assert "Traceback" not in info.value.message


def test_rejections_are_atrium_errors_the_handlers_turn_into_json():
    error = NotebookRejected(413, "too-large", "Too big.")
    assert isinstance(error, AtriumError)
    assert (error.status, error.reason, error.message) == (413, "too-large", "Too big.")


def test_a_notebook_over_the_limit_after_stripping_gets_413():
    source = "x" * (17 * MiB)
    raw = json.dumps(notebook([{"cell_type": "markdown", "metadata": {}, "source": source}]))
    with pytest.raises(NotebookRejected) as info:
        parse_notebook(raw.encode())
    assert (info.value.status, info.value.reason) == (413, "too-large")
    assert "17.0 MiB" in info.value.message and "16.0 MiB" in info.value.message


def test_the_limit_counts_the_stripped_size_not_the_upload():
    outputs = [{"name": "stdout", "output_type": "stream", "text": "y" * (2 * MiB)}]
    raw = json.dumps(notebook([code_cell(outputs=outputs, execution_count=1)])).encode()
    assert len(raw) > 2 * MiB
    assert parse_notebook(raw)["cells"][0]["outputs"] == outputs
    # Even with a limit below the upload's size: only what is kept counts.
    assert parse_notebook(raw, max_bytes=1 * MiB, max_raw_bytes=4 * MiB)


def test_attachments_count_towards_the_limit_only_when_allowed():
    attachments = {"big.png": {"image/png": "A" * (2 * MiB)}}
    cell = {"cell_type": "markdown", "metadata": {}, "source": "", "attachments": attachments}
    raw = json.dumps(notebook([cell])).encode()
    assert parse_notebook(raw, max_bytes=MiB)
    with pytest.raises(NotebookRejected) as info:
        parse_notebook(raw, max_bytes=MiB, allow_attachments=True)
    assert info.value.status == 413


def test_uploads_over_the_raw_ceiling_are_refused_unread():
    # Not even JSON: a parser that read it would answer 400.
    raw = b"{" * (4 * MiB + 1)
    with pytest.raises(NotebookRejected) as info:
        parse_notebook(raw, max_bytes=MiB)
    assert (info.value.status, info.value.reason) == (413, "too-large")
    assert "4.0 MiB" in info.value.message
    assert DEFAULT_MAX_BYTES == 16 * MiB


def test_a_byte_order_mark_is_accepted():
    raw = "\ufeff" + json.dumps(notebook([code_cell()]))
    assert parse_notebook(raw.encode("utf-8"))["nbformat"] == 4


def test_ensure_stripped_answers_422_with_the_problems():
    cells = [code_cell(outputs=[{"output_type": "stream"}], execution_count=n) for n in range(4)]
    nb = notebook(cells, widgets={})
    with pytest.raises(NotebookRejected) as info:
        ensure_stripped(nb)
    error = info.value
    assert (error.status, error.reason) == (422, "not-stripped")
    assert "The notebook still has widget state (metadata.widgets)." in error.message
    assert "Cell 1 still has 1 output." in error.message
    # widget state, 4 outputs, 4 execution counts (0 is a count): 5 listed, 4 more
    assert "And 4 more." in error.message
    stripped, _ = strip_notebook(nb)
    ensure_stripped(stripped)


def test_attachments_pass_the_check_only_when_the_admin_allows_them():
    cell = {"cell_type": "markdown", "metadata": {}, "source": "", "attachments": {"a.png": {}}}
    nb = notebook([cell])
    assert [p.kind for p in check_stripped(nb)] == ["attachments"]
    assert check_stripped(nb, allow_attachments=True) == []


# --- the service's re-check, through the real upload endpoint ---------------------------


@pytest.fixture
def publish(jp_fetch, gallery_users):
    async def call(nb: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = json.dumps({"title": "Strip fixture", "notebook": nb})
        response = await jp_fetch(
            "atrium",
            "api",
            "service",
            "gallery",
            "notebooks",
            method="POST",
            body=body,
            headers={GALLERY_USER_HEADER: "alice"},
            raise_error=False,
        )
        return response.code, json.loads(response.body or b"{}")

    return call


@pytest.mark.parametrize("case", [c for c in CASES if not case_options(c)])
async def test_the_upload_endpoint_refuses_exactly_what_the_strip_removes(case, publish):
    code, body = await publish(load(FIXTURES / f"{case}.in.ipynb"))
    if case == "already-stripped":
        assert code == 201, body
    else:
        assert (code, body.get("reason")) == (422, "not-stripped"), body
        problems = [{"path": p["path"], "kind": p["kind"]} for p in body["problems"]]
        assert problems == load(FIXTURES / f"{case}.problems.json")
    code, body = await publish(load(FIXTURES / f"{case}.out.ipynb"))
    assert code == 201, body


@pytest.mark.parametrize("name", sorted(REFUSED))
async def test_the_upload_endpoint_refuses_old_formats_with_the_strips_reason(name, publish):
    code, body = await publish(json.loads((INVALID / name).read_bytes()))
    assert (code, body.get("reason")) == (400, REFUSED[name]), body


async def test_an_old_notebook_opened_in_jupyterlab_strips_whole(jp_fetch, jp_root_dir):
    # What JupyterLab publishes from: jupyter_server converts the nbformat 3 file to
    # nbformat 4 when it is opened (the strip refuses only the unconverted JSON).
    (jp_root_dir / "old.ipynb").write_bytes((INVALID / "nbformat-3-signed.ipynb").read_bytes())
    response = await jp_fetch("api", "contents", "old.ipynb", params={"content": "1"})
    opened = json.loads(response.body)["content"]
    assert opened["nbformat"] == 4
    stripped, report = strip_notebook(opened)
    assert check_stripped(stripped) == []
    sources = [cell["source"] for cell in stripped["cells"]]
    assert sources == [
        "# Sales by region",
        "Quarterly sales, read from the shared drive.",
        "import pandas as pd\ndf = pd.read_csv('sales.csv')\ndf.head(2)",
        "df.groupby('region').sales.sum()",
    ]
    assert report["outputs"] == 1
    for key in ("signature", "orig_nbformat", "orig_nbformat_minor"):
        assert key not in stripped["metadata"]
