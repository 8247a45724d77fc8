"""REST API of the network drives, under ``/atrium/api/netdrive/`` (see docs/api.md).

Every verb is ``@tornado.web.authenticated`` + ``@service_authorized`` (resource
``atrium-netdrive``), except ``kernel-credentials``, which only accepts this server's broker
token and refuses browser sessions. SMB work runs on the drive's worker threads.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import tornado.web
from jupyter_client.jsonutil import json_default
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.utils import url_escape, url_path_join
from tornado.ioloop import IOLoop

from ..base import AtriumHandler, service_authorized
from ..errors import AtriumError
from ..urls import API_PREFIX
from . import contents
from .errors import InvalidPath
from .manager import DriveManager, Upload
from .paths import normalize_path
from .share import SLUG_RE, FieldError

PREFIX = f"{API_PREFIX}/netdrive"
DOWNLOAD_CHUNK = 1024 * 1024


def encode_model(model: dict[str, Any]) -> str:
    """``json.dumps(model)``, with base64 content spliced in rather than scanned.

    Base64 text never needs JSON escaping, and scanning 85 MB of it for characters to
    escape holds the GIL (every other request of the server waits) for nothing.
    """
    content = model.get("content")
    if model.get("format") != "base64" or not isinstance(content, str):
        return json.dumps(model, default=json_default)
    head = json.dumps({k: v for k, v in model.items() if k != "content"}, default=json_default)
    return f'{head[:-1]}, "content": "{content}"}}'


class BadRequest(AtriumError):
    status = 400
    reason = "bad-request"


class NetDriveHandler(AtriumHandler):
    """Base: the drive manager, JSON bodies, and errors that name the offending field."""

    auth_resource = "atrium-netdrive"

    @property
    def manager(self) -> DriveManager:
        return self.settings["atrium_netdrive"]

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        try:
            return super().decode_argument(value, name)
        except tornado.web.HTTPError:
            if name is not None:
                raise
            # A path argument (name None): answered like every other path the drive refuses.
            raise InvalidPath("The path is not valid UTF-8.") from None

    def json_body(self) -> dict[str, Any]:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise BadRequest("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        return body

    def write_model(self, model: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(model, default=json_default))

    async def write_large_model(self, model: dict[str, Any], status: int = 200) -> None:
        """``write_model`` for a model with file content: encoded off the event loop."""
        body = await asyncio.to_thread(encode_model, model)
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    async def large_json_body(self) -> dict[str, Any]:
        """``json_body`` for a body that may carry a whole file: parsed off the event loop."""
        return await asyncio.to_thread(self.json_body)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = (kwargs.get("exc_info") or (None, None, None))[1]
        if isinstance(exc, FieldError):
            self.clear_header("Content-Type")
            self.set_status(exc.status)
            self.finish(
                json.dumps({"message": exc.message, "reason": exc.reason, "field": exc.field})
            )
            return
        super().write_error(status_code, **kwargs)


async def stream_file(
    handler: NetDriveHandler,
    name: str,
    path: str,
    size: int,
    model: dict[str, Any] | None = None,
) -> None:
    """Send the share file ``path`` (``size`` bytes, a file: the caller has looked it up)
    raw, 1 MiB at a time, as an attachment.

    With ``model``, its JSON (ASCII only) goes along in ``X-Atrium-Model``, so that a
    contents client gets the file's model and its bytes from one read.
    """
    manager = handler.manager
    handle = await manager.run(name, lambda client: client.open_read(path))
    filename = path.rsplit("/", 1)[-1]
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_")
    # An attachment is never rendered: an HTML file from the share must not run as a page
    # of the Jupyter origin when someone opens this URL.
    handler.set_header(
        "Content-Disposition",
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
    )
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Content-Length", str(size))
    handler.set_header("Content-Type", mimetype)
    if model is not None:
        handler.set_header("X-Atrium-Model", json.dumps(model, default=json_default))
    try:
        while True:
            chunk = await manager.run(name, lambda _client: handle.read(DOWNLOAD_CHUNK))
            if not chunk:
                break
            handler.write(chunk)
            await handler.flush()
    finally:
        await manager.run(name, lambda _client: handle.close())
    handler.finish(set_content_type=mimetype)


def parse_chunk(value: object) -> int | None:
    """The ``chunk`` of a chunked upload: 1, 2, ... or -1 for the last one."""
    if value is None:
        return None
    try:
        chunk = int(value) if isinstance(value, str) else value
    except ValueError:
        chunk = 0
    if not isinstance(chunk, int) or isinstance(chunk, bool) or chunk == 0 or chunk < -1:
        raise BadRequest("'chunk' must be 1, 2, ... or -1 for the last chunk.")
    return chunk


async def finish_upload(
    handler: NetDriveHandler, name: str, path: str, chunk: int | None, upload: Upload
) -> dict[str, Any]:
    """End a chunk and answer with the file's model: looked up on the share after the last
    chunk, when the file has been put in place; until then, what this upload has written
    (its writes may still be in flight, to a temporary file)."""
    manager = handler.manager
    writable = manager.writable(name)
    await manager.end_chunk(name, path, chunk, upload)
    if chunk in (None, -1):
        return await manager.run(
            name, lambda client: contents.get_model(client, path, writable=writable, content=False)
        )
    if upload.model is None:
        upload.model = contents.upload_model(path, upload.written, writable=writable)
    upload.model.update(size=upload.written, last_modified=datetime.now(timezone.utc))
    return dict(upload.model)


class PolicyHandler(NetDriveHandler):
    @tornado.web.authenticated
    @service_authorized
    async def get(self) -> None:
        self.write_json(self.manager.config.policy())


class DrivesHandler(NetDriveHandler):
    @tornado.web.authenticated
    @service_authorized
    async def get(self) -> None:
        self.write_json({"items": self.manager.list()})

    @tornado.web.authenticated
    @service_authorized
    async def post(self) -> None:
        drive = await self.manager.create(self.json_body())
        self.set_header(
            "Location", url_path_join(self.base_url, PREFIX, "drives", url_escape(drive.name))
        )
        self.write_json(drive.info(), status=201)


class ReconnectHandler(NetDriveHandler):
    @tornado.web.authenticated
    @service_authorized
    async def post(self) -> None:
        body = self.json_body()
        drives = await self.manager.reconnect_server(
            body.get("server"), body.get("password"), body.get("port")
        )
        self.write_json({"items": [d.info() for d in drives]})


def _split(rest: str) -> tuple[str, str, str]:
    """'name/action/sub/path' -> (name, action, 'sub/path')."""
    name, _, tail = rest.partition("/")
    action, _, sub = tail.partition("/")
    return name, action, sub


class DriveHandler(NetDriveHandler):
    """``drives/{name}[/connect|/disconnect|/contents/{path}|/copy|/download/{path}]``.

    One route with ``(.*)`` so that URL patterns stay literal (the route audit in
    tests/test_api.py requests every pattern anonymously).
    """

    def _target(self, rest: str, allowed: dict[str, Any]) -> tuple[str, str, str]:
        name, action, sub = _split(rest)
        if action not in allowed:
            raise AtriumError("No such network-drive endpoint.", status=404, reason="not-found")
        if not SLUG_RE.fullmatch(name):
            raise AtriumError(
                "There is no network drive with that name.", status=404, reason="no-such-drive"
            )
        return name, action, sub

    def _path(self, sub: str) -> str:
        return normalize_path(sub)

    def _location(self, name: str, path: str) -> str:
        return url_path_join(self.base_url, PREFIX, "drives", name, "contents", url_escape(path))

    def _finish_contents(self, name: str, model: dict, status: int = 200) -> None:
        self.set_header("Location", self._location(name, model["path"]))
        if model.get("last_modified") is not None:
            self.set_header("Last-Modified", model["last_modified"])
        self.write_model(model, status)

    # -- GET ----------------------------------------------------------------------------------

    @tornado.web.authenticated
    @service_authorized
    async def get(self, rest: str) -> None:
        name, action, sub = self._target(rest, {"": 1, "contents": 1, "download": 1})
        if action == "":
            self.write_json(self.manager.get(name).info())
        elif action == "contents":
            await self._get_contents(name, self._path(sub))
        else:
            await self._download(name, self._path(sub))

    async def _get_contents(self, name: str, path: str) -> None:
        kind = self.get_query_argument("type", None) or None
        if kind not in (None, "directory", "file", "notebook"):
            kind = "file"  # like jupyter_server
        fmt = self.get_query_argument("format", None) or None
        if fmt not in (None, "text", "base64"):
            raise BadRequest(f"Format {fmt!r} is invalid")
        content = self.get_query_argument("content", "1")
        if content not in ("0", "1"):
            raise BadRequest(f"Content {content!r} is invalid")
        want_hash = self.get_query_argument("hash", "0")
        if want_hash not in ("0", "1"):
            raise BadRequest(f"Hash argument {want_hash!r} is invalid. It must be '0' or '1'.")
        writable = self.manager.writable(name)
        cm = self.contents_manager
        allow_hidden = bool(getattr(cm, "allow_hidden", False))

        def listed(entry_name: str) -> bool:
            # The same files the user's home hides: dot files, __pycache__, *.pyc, ...
            return (allow_hidden or not entry_name.startswith(".")) and cm.should_list(entry_name)

        model = await self.manager.run(
            name,
            lambda client: contents.get_model(
                client,
                path,
                writable=writable,
                content=content == "1",
                type=kind,
                format=fmt,
                require_hash=want_hash == "1",
                listed=listed,
            ),
        )
        self.set_header("Last-Modified", model["last_modified"])
        await self.write_large_model(model)

    async def _download(self, name: str, path: str) -> None:
        entry = await self.manager.run(name, lambda client: client.stat(path))
        if entry.is_dir or not path:
            raise AtriumError("Folders cannot be downloaded.", status=400, reason="is-a-directory")
        await stream_file(self, name, path, entry.size)

    # -- POST ---------------------------------------------------------------------------------

    @tornado.web.authenticated
    @service_authorized
    async def post(self, rest: str) -> None:
        name, action, sub = self._target(
            rest, {"connect": 1, "disconnect": 1, "contents": 1, "copy": 1}
        )
        if action == "connect":
            drive = await self.manager.connect(name, self.json_body().get("password"))
            self.write_json(drive.info())
        elif action == "disconnect":
            drive = await self.manager.disconnect(name)
            self.write_json(drive.info())
        elif action == "copy":
            body = self.json_body()
            src = normalize_path(body.get("from"), what="source path")
            dst = normalize_path(body.get("to", ""), what="target path")
            if not src:
                raise BadRequest("Say which file to copy ('from').")
            model = await self.manager.run(
                name,
                lambda client: contents.copy(client, src, dst, writable=True),
                write=True,
            )
            self._finish_contents(name, model, 201)
        else:
            path = self._path(sub)
            body = self.json_body()
            if body.get("copy_from"):
                src = normalize_path(body["copy_from"], what="source path")
                model = await self.manager.run(
                    name,
                    lambda client: contents.copy_into(client, src, path, writable=True),
                    write=True,
                )
            else:
                kind = body.get("type") or ""
                if kind not in ("", "directory", "file", "notebook"):
                    kind = "file"
                ext = body.get("ext") or ""
                model = await self.manager.run(
                    name,
                    lambda client: contents.new_untitled(client, path, kind, ext, writable=True),
                    write=True,
                )
            self._finish_contents(name, model, 201)

    # -- PUT / PATCH / DELETE -----------------------------------------------------------------

    @tornado.web.authenticated
    @service_authorized
    async def put(self, rest: str) -> None:
        name, _action, sub = self._target(rest, {"contents": 1})
        path = self._path(sub)
        if not path:
            raise BadRequest("Cannot save over the drive root.")
        model = await self.large_json_body()
        if not model:
            raise BadRequest("JSON body missing")
        if model.get("copy_from"):
            raise BadRequest("Cannot copy with PUT, only POST")
        if model.get("type", "") not in (None, "", "directory", "file", "notebook"):
            model["type"] = "file"
        chunk = model.get("chunk")
        if chunk is not None:
            await self._save_chunk(name, path, model, chunk)
            return

        def save(client: Any) -> tuple[bool, dict]:
            existed = contents.exists(client, path)
            return existed, contents.save_model(client, model, path, writable=True)

        existed, result = await self.manager.run(name, save, write=True)
        self._finish_contents(name, result, 200 if existed else 201)

    async def _save_chunk(self, name: str, path: str, model: dict, chunk: object) -> None:
        number = parse_chunk(chunk)
        if model.get("type") != "file":
            raise BadRequest(
                f'File type "{model.get("type")}" is not supported for large file transfer'
            )
        if "content" not in model:
            raise BadRequest("No file content provided")
        data = await asyncio.to_thread(
            contents.encode_file, model["content"], model.get("format"), path
        )
        upload = await self.manager.begin_chunk(name, path, number)
        await self.manager.write_chunk(name, path, upload, data)
        result = await finish_upload(self, name, path, number, upload)
        self._finish_contents(name, result, 200 if number != 1 else 201)

    @tornado.web.authenticated
    @service_authorized
    async def patch(self, rest: str) -> None:
        name, _action, sub = self._target(rest, {"contents": 1})
        old = self._path(sub)
        new = normalize_path(self.json_body().get("path"), what="new path")
        if not old or not new:
            raise BadRequest("The drive root cannot be renamed.")
        model = await self.manager.run(
            name, lambda client: contents.rename(client, old, new, writable=True), write=True
        )
        self._finish_contents(name, model)

    @tornado.web.authenticated
    @service_authorized
    async def delete(self, rest: str) -> None:
        name, action, sub = self._target(rest, {"": 1, "contents": 1})
        if action == "":
            await self.manager.remove(name)
        else:
            path = self._path(sub)
            if not path:
                raise BadRequest("The drive root cannot be deleted.")
            await self.manager.run(name, lambda client: client.remove(path), write=True)
        self.set_status(204)
        self.finish()


@tornado.web.stream_request_body
class RawHandler(NetDriveHandler):
    """``raw/{name}/{path}``: a file's bytes without JSON or base64, both ways.

    ``GET`` streams the file with its contents model (no content) in ``X-Atrium-Model``;
    ``PUT [?chunk=N]`` streams the request body, as it arrives, to a temporary file that
    replaces the target once complete (chunks as in the contents API's chunked upload; see
    .atomic) and answers with the model. This is what the
    frontend's drive uses for base64 file contents: the bytes never pass through
    ``json.loads``/``json.dumps`` on the server nor need a third more bytes on the wire.
    """

    # Bytes gathered before one write to the share: enough to keep its pipeline full
    # (4 MiB moved a 64 MiB upload about 1.5x faster than 1 MiB on the bench machine).
    WRITE_BUFFER = 4 * 1024 * 1024

    def initialize(self) -> None:
        # Here rather than in prepare(): tornado calls on_connection_close and data_received
        # also for a request it refused before prepare() (a path that is not UTF-8: 400).
        self._pending = bytearray()
        self._upload: Upload | None = None
        self._failure: BaseException | None = None
        self._target_args: tuple[str, str, int | None] | None = None
        self._created = False

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self.request.method != "PUT":
            return
        # The body is streamed before put() runs: refuse strangers before reading it.
        if not self.current_user:
            raise tornado.web.HTTPError(403)
        if not self.atrium_authorize("write"):
            raise tornado.web.HTTPError(403, "Not allowed to write Atrium resources")
        # Errors from here on are kept until the body has arrived, so that the client
        # reads them instead of a reset connection.
        try:
            name, path = self._name_path(self.path_args[0])
            if not path:
                raise BadRequest("Cannot save over the drive root.")
            chunk = parse_chunk(self.get_query_argument("chunk", None))
            self._target_args = (name, path, chunk)
            if chunk is None:
                existed = await self.manager.run(name, lambda c: contents.exists(c, path))
                self._created = not existed
            else:
                self._created = chunk == 1
            self._upload = await self.manager.begin_chunk(name, path, chunk)
        except Exception as err:
            self._failure = err

    def _name_path(self, rest: str) -> tuple[str, str]:
        name, _, sub = rest.partition("/")
        if not SLUG_RE.fullmatch(name):
            raise AtriumError(
                "There is no network drive with that name.", status=404, reason="no-such-drive"
            )
        return name, normalize_path(sub)

    async def data_received(self, chunk: bytes) -> None:
        if self._upload is None or self._failure is not None:
            return  # refused or failed: drain what is still coming, keep nothing
        self._pending += chunk
        if len(self._pending) >= self.WRITE_BUFFER:
            await self._write_pending()

    async def _write_pending(self) -> None:
        """Hand what has arrived to the share without waiting for it to be written.

        The previous write completes first (bytes stay in order), then tornado reads the
        next part from the client while this one is written.
        """
        if not self._pending or self._upload is None or self._target_args is None:
            return
        # Handed over, not copied: nothing here touches it again.
        data, self._pending = self._pending, bytearray()
        name, path, _chunk = self._target_args
        try:
            await self.manager.write_chunk(name, path, self._upload, data, wait=False)
        except Exception as err:
            self._failure = err
            self._upload = None

    async def _abort(self, name: str, path: str, upload: Upload) -> None:
        await self.manager.abort_upload(name, path, upload)

    def on_connection_close(self) -> None:
        # The client went away mid-body: close the share file instead of leaving it open
        # until the idle timeout.
        upload, target = self._upload, self._target_args
        self._upload = None
        if upload is not None and target is not None and not self._finished:
            IOLoop.current().add_callback(self._abort, target[0], target[1], upload)
        super().on_connection_close()

    @tornado.web.authenticated
    @service_authorized
    async def get(self, rest: str) -> None:
        name, path = self._name_path(rest)
        writable = self.manager.writable(name)
        model = await self.manager.run(
            name,
            lambda client: contents.get_model(
                client, path, writable=writable, content=False, type="file"
            ),
        )
        model.update(format="base64", mimetype=model.get("mimetype") or "application/octet-stream")
        await stream_file(self, name, path, model["size"], model)

    @tornado.web.authenticated
    @service_authorized
    async def put(self, rest: str) -> None:
        await self._write_pending()
        if self._failure is not None:
            raise self._failure
        assert self._upload is not None and self._target_args is not None
        name, path, chunk = self._target_args
        upload, self._upload = self._upload, None
        # The last chunk waits for every write (end_chunk); an intermediate one is answered
        # while its last write may still be under way, and a failure comes with the next.
        model = await finish_upload(self, name, path, chunk, upload)
        self.set_header(
            "Location",
            url_path_join(self.base_url, PREFIX, "drives", name, "contents", url_escape(path)),
        )
        self.write_model(model, 201 if self._created else 200)


class KernelCredentialsHandler(NetDriveHandler):
    """``POST kernel-credentials {name}``: for this server's kernels, with the broker token.

    The browser's session (cookie or Jupyter token) is never enough: only the random token the
    server wrote to its 0600 broker file is accepted, and requests that look like they come
    from a browser are refused outright.
    """

    def check_xsrf_cookie(self) -> None:
        # Cookies are never accepted here (see post), so there is no cross-site request to
        # forge; the broker token in the Authorization header is the only credential.
        return None

    @allow_unauthenticated
    async def post(self) -> None:
        headers = self.request.headers
        browser_headers = ("Cookie", "Origin", "Referer")
        if any(h in headers for h in browser_headers) or any(
            h.lower().startswith("sec-fetch-") for h in headers
        ):
            raise AtriumError(
                "Kernel credentials are not available to browsers.",
                status=403,
                reason="forbidden",
            )
        from .broker import check_broker_token

        if not check_broker_token(
            headers.get("Authorization"), self.settings.get("atrium_broker_token")
        ):
            raise AtriumError("A valid broker token is required.", status=403, reason="forbidden")
        body = self.json_body()
        self.write_json(self.manager.kernel_credentials(body.get("name")))


def netdrive_routes() -> list[tuple[str, type]]:
    base = rf"/{PREFIX}"
    return [
        (rf"{base}/policy", PolicyHandler),
        (rf"{base}/drives", DrivesHandler),
        (rf"{base}/reconnect", ReconnectHandler),
        (rf"{base}/kernel-credentials", KernelCredentialsHandler),
        (rf"{base}/drives/(.*)", DriveHandler),
        (rf"{base}/raw/(.*)", RawHandler),
    ]
