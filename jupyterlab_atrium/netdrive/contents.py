"""Jupyter contents models for files on an SMB share.

The models have the shape ``/api/contents`` returns (jupyter_server's FileContentsManager), so
the frontend's ``Contents.IDrive`` maps them one to one. Every function here is blocking and
runs on the drive's worker threads, never on the event loop.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import mimetypes
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, BinaryIO, Protocol

import nbformat

from ..errors import AtriumError
from .atomic import is_temporary
from .errors import AlreadyExists as Exists
from .errors import folder_not_found
from .smb import Entry

HASH_ALGORITHM = "sha256"
UNTITLED_NOTEBOOK = "Untitled"
UNTITLED_FILE = "untitled"
UNTITLED_DIRECTORY = "Untitled Folder"
_COPY_PAT = re.compile(r"\-Copy\d*\.")


class BadRequest(AtriumError):
    status = 400
    reason = "bad-request"


class EntryLike(Protocol):
    name: str
    path: str
    is_dir: bool
    size: int
    modified: datetime
    created: datetime


class ClientLike(Protocol):
    def list(self, path: str) -> list[Any]: ...
    def stat(self, path: str) -> Any: ...
    def read_bytes(self, path: str) -> bytes: ...
    def write_bytes(self, path: str, data: bytes, replace: bool = True) -> None: ...
    def open_write(self, path: str, replace: bool = True) -> BinaryIO: ...
    def mkdir(self, path: str) -> None: ...
    def remove(self, path: str) -> None: ...
    def rename(self, src: str, dst: str) -> None: ...
    def copy(self, src: str, dst: str, replace: bool = False) -> None: ...
    def sweep_temporaries(self, folder: str, entries: list[Any] | None = None) -> None: ...


def _utc(value: datetime | None) -> datetime:
    if value is None:
        return datetime(1970, 1, 1, tzinfo=timezone.utc)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


def split(path: str) -> tuple[str, str]:
    parent, _, name = path.rpartition("/")
    return parent, name


def entry_type(entry: EntryLike) -> str:
    if entry.is_dir:
        return "directory"
    return "notebook" if entry.name.endswith(".ipynb") else "file"


def base_model(entry: EntryLike, path: str, *, writable: bool, kind: str | None = None) -> dict:
    """The common fields, exactly as FileContentsManager._base_model sets them."""
    kind = kind or entry_type(entry)
    return {
        "name": path.rsplit("/", 1)[-1] if path else "",
        "path": path,
        "type": kind,
        "created": _utc(entry.created),
        "last_modified": _utc(entry.modified),
        "content": None,
        "format": None,
        "mimetype": mimetypes.guess_type(entry.name)[0] if kind == "file" else None,
        "size": None if kind == "directory" else entry.size,
        "writable": writable,
        "hash": None,
        "hash_algorithm": None,
    }


def _hash(data: bytes) -> dict[str, str]:
    return {"hash": hashlib.sha256(data).hexdigest(), "hash_algorithm": HASH_ALGORITHM}


def decode_file(data: bytes, fmt: str | None, path: str) -> tuple[str, str]:
    """Text if it decodes as UTF-8 (unless base64 was asked for), else base64: like Jupyter."""
    if fmt in (None, "text"):
        try:
            return data.decode("utf-8"), "text"
        except UnicodeError:
            if fmt == "text":
                raise BadRequest(f"{path} is not UTF-8 encoded", reason="bad-format") from None
    # Without line breaks (unlike jupyter_server's encodebytes): a third of the time, and no
    # newline escapes in the JSON reply; browsers' atob() reads both forms.
    return base64.b64encode(data).decode("ascii"), "base64"


def read_notebook(data: bytes, path: str) -> tuple[Any, str | None]:
    """Parse a notebook; return it with the validation message (None when valid)."""
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as err:
        raise BadRequest(
            f"Unreadable Notebook: {path} ({type(err).__name__})", reason="bad-notebook"
        ) from None
    message = None
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        message = f"Notebook validation failed: {str(err).splitlines()[0]}"
    # Like an unsigned notebook in Jupyter: anybody with access to the share may have written
    # the outputs, so they are shown sanitised until the user re-runs or trusts them.
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell.setdefault("metadata", {})["trusted"] = False
    return nb, message


def get_model(
    client: ClientLike,
    path: str,
    *,
    writable: bool,
    content: bool = True,
    type: str | None = None,
    format: str | None = None,
    require_hash: bool = False,
    listed: Callable[[str], bool] | None = None,
) -> dict:
    """``GET /api/contents/<path>`` for a drive path ('' = the drive root).

    ``listed(name)`` filters directory listings like the server's own contents manager
    (hidden files, ``hide_globs``). The temporary files of writes under way are never listed;
    those that writers which died left behind are removed on the way (writable drives).
    """
    entry = client.stat(path)
    if entry.is_dir:
        if type not in (None, "directory"):
            raise BadRequest(f"{path or '/'} is a directory, not a {type}", reason="bad-type")
        model = base_model(entry, path, writable=writable, kind="directory")
        if content:
            children = client.list(path)
            model["content"] = [
                base_model(child, join(path, child.name), writable=writable)
                for child in children
                if child.name not in (".", "..")
                and not is_temporary(child.name)
                and (listed is None or listed(child.name))
            ]
            model["format"] = "json"
            if writable and any(is_temporary(child.name) for child in children):
                client.sweep_temporaries(path, children)
        return model
    if type == "directory":
        raise BadRequest(f"{path} is not a directory", reason="bad-type")
    as_notebook = type == "notebook" or (type is None and path.endswith(".ipynb"))
    model = base_model(entry, path, writable=writable, kind="notebook" if as_notebook else "file")
    data: bytes | None = None
    if content:
        data = client.read_bytes(path)
        if as_notebook:
            nb, message = read_notebook(data, path)
            model.update(content=nb, format="json")
            if message:
                model["message"] = message
        else:
            text, fmt = decode_file(data, format, path)
            if model["mimetype"] is None:
                model["mimetype"] = "text/plain" if fmt == "text" else "application/octet-stream"
            model.update(content=text, format=fmt)
        model["size"] = len(data)
    if require_hash:
        model.update(_hash(data if data is not None else client.read_bytes(path)))
    return model


def upload_model(path: str, size: int, *, writable: bool) -> dict:
    """The model of a file whose upload is under way: it is not on the share under its name
    until the last chunk has arrived (see atomic), so nothing there to look up."""
    now = datetime.now(timezone.utc)
    entry = Entry(split(path)[1], path, is_dir=False, size=size, modified=now, created=now)
    return base_model(entry, path, writable=writable)


def exists(client: ClientLike, path: str) -> bool:
    try:
        client.stat(path)
    except AtriumError as err:
        if err.status == 404:
            return False
        raise
    return True


def encode_file(content: Any, fmt: str | None, path: str) -> bytes:
    if fmt not in ("text", "base64"):
        raise BadRequest(
            "Must specify format of file contents as 'text' or 'base64'", reason="bad-format"
        )
    if not isinstance(content, str):
        raise BadRequest(f"The content of {path} must be a string", reason="bad-format")
    try:
        if fmt == "text":
            return content.encode("utf-8")
        return base64.b64decode(content.encode("ascii"), validate=False)
    except (UnicodeError, binascii.Error, ValueError):
        raise BadRequest(f"Encoding error saving {path}", reason="bad-format") from None


def encode_notebook(content: Any) -> tuple[bytes, str | None]:
    if not isinstance(content, dict):
        raise BadRequest("A notebook's content must be a JSON object", reason="bad-notebook")
    try:
        nb = nbformat.from_dict(content)
        text = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    except Exception as err:
        raise BadRequest(
            f"Not a valid notebook ({type(err).__name__})", reason="bad-notebook"
        ) from None
    message = None
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        message = f"Notebook validation failed: {str(err).splitlines()[0]}"
    if not text.endswith("\n"):
        text += "\n"  # like nbformat.write: byte-identical to a notebook saved in the home
    return text.encode("utf-8"), message


def save_model(client: ClientLike, model: dict, path: str, *, writable: bool) -> dict:
    """``PUT /api/contents/<path>`` without ``chunk``: write a whole file, notebook or folder."""
    kind = model.get("type")
    if kind not in ("file", "notebook", "directory"):
        raise BadRequest(
            "No file type provided" if not kind else f"Unhandled contents type: {kind}"
        )
    if "content" not in model and kind != "directory":
        raise BadRequest("No file content provided")
    message = None
    if kind == "directory":
        if exists(client, path):
            if not client.stat(path).is_dir:
                raise Exists(f"{path} exists and is not a directory")
        else:
            client.mkdir(path)
    elif kind == "notebook":
        data, message = encode_notebook(model["content"])
        client.write_bytes(path, data)
    else:
        client.write_bytes(path, encode_file(model["content"], model.get("format"), path))
    result = get_model(client, path, writable=writable, content=False)
    if message:
        result["message"] = message
    return result


def increment_filename(client: ClientLike, filename: str, path: str, insert: str = "") -> str:
    """``Untitled.ipynb``, ``Untitled1.ipynb``, ... exactly like ContentsManager."""
    basename, dot, ext = filename.rpartition(".")
    if ext != "ipynb":
        basename, dot, ext = filename.partition(".")
    suffix = dot + ext
    existing = {child.name for child in client.list(path)}
    for i in itertools.count():
        name = f"{basename}{f'{insert}{i}' if i else ''}{suffix}"
        if name not in existing:
            return name
    raise AssertionError("unreachable")  # pragma: no cover


def post_folder(client: ClientLike, path: str) -> None:
    """Check the folder a ``POST /api/contents/<dir>`` creates in: 404 naming it when it is
    missing (at any depth: jupyter_server saves a copy *as* a missing folder of its root), 400
    for a file, as jupyter_server answers."""
    try:
        entry = client.stat(path)
    except AtriumError as err:
        if err.status == 404 and path:
            raise folder_not_found(path) from None
        raise
    if not entry.is_dir:
        raise BadRequest("Cannot POST to files, use PUT instead.")


def new_untitled(client: ClientLike, path: str, kind: str, ext: str, *, writable: bool) -> dict:
    """``POST /api/contents/<dir>`` ``{type, ext}``: the server picks the name."""
    post_folder(client, path)
    if ext and (not isinstance(ext, str) or not re.fullmatch(r"\.[\w.+-]{1,16}", ext)):
        raise BadRequest(f"Invalid extension: {ext!r}")
    if not kind:
        kind = "notebook" if ext == ".ipynb" else "file"
    insert = ""
    if kind == "directory":
        untitled, ext = UNTITLED_DIRECTORY, ""
        insert = " "
    elif kind == "notebook":
        untitled, ext = UNTITLED_NOTEBOOK, ".ipynb"
    elif kind == "file":
        untitled = UNTITLED_FILE
    else:
        raise BadRequest(f"Unexpected model type: {kind!r}")
    target = join(path, increment_filename(client, untitled + ext, path, insert=insert))
    if kind == "directory":
        client.mkdir(target)
    elif kind == "notebook":
        client.write_bytes(target, encode_notebook(nbformat.v4.new_notebook())[0], replace=False)
    else:
        client.write_bytes(target, b"", replace=False)
    return get_model(client, target, writable=writable, content=False)


def rename(client: ClientLike, old: str, new: str, *, writable: bool) -> dict:
    if old == new:
        return get_model(client, new, writable=writable, content=False)
    if exists(client, new):
        raise Exists(f"File already exists: {new}")
    client.rename(old, new)  # 404 naming ``old`` when it is missing
    return get_model(client, new, writable=writable, content=False)


def _copy_name(client: ClientLike, src: str, folder: str) -> str:
    """``name.ext`` in ``folder``, or ``name-Copy1.ext``, ... when taken (as ContentsManager)."""
    name = _COPY_PAT.sub(".", split(src)[1])
    return join(folder, increment_filename(client, name, folder, insert="-Copy"))


def _copy_source(client: ClientLike, src: str) -> None:
    if client.stat(src).is_dir:
        raise BadRequest("Can't copy directories")


def copy_into(client: ClientLike, src: str, folder: str, *, writable: bool) -> dict:
    """``POST /api/contents/<dir>`` ``{copy_from}``: copy a file into an existing folder."""
    _copy_source(client, src)
    post_folder(client, folder)
    target = _copy_name(client, src, folder)
    client.copy(src, target)
    return get_model(client, target, writable=writable, content=False)


def copy(client: ClientLike, src: str, dst: str, *, writable: bool) -> dict:
    """``POST …/copy``: copy a file to ``dst``, or into it when it is a folder."""
    _copy_source(client, src)
    target = dst
    try:
        dst_entry = client.stat(dst)
    except AtriumError as err:
        if err.status != 404:
            raise
        dst_entry = None
    if dst_entry is not None and dst_entry.is_dir:
        target = _copy_name(client, src, dst)
    elif dst_entry is not None:
        raise Exists(f"File already exists: {dst}")
    else:
        parent = split(dst)[0]
        if parent and not exists(client, parent):
            raise folder_not_found(parent)
    client.copy(src, target)
    return get_model(client, target, writable=writable, content=False)
