"""An encrypted SMB2 WRITE sent without copying its payload.

smbprotocol builds every message as one ``bytes``: the payload is concatenated into the
WRITE request, again into the SMB2 header, sliced out of the cipher text, concatenated
into the transform header and into the TCP frame, and re-sliced after each partial send:
several copies of every byte written, which cost as much CPU as the encryption itself
(bench/RESULTS.md). Here the few header bytes are packed by smbprotocol as usual, the
payload is encrypted straight from the caller's buffer (AES-GCM, streamed), and header,
cipher text and tag go out with one ``sendmsg``.

Everything else is smbprotocol's: the message id and credits come from the connection's
sequence window under its lock, the request is registered with the connection so that its
receive thread matches and decrypts the response, and ``Open._write_response`` reads it.
Only the common case takes this path (SMB 3.1.1, AES-GCM, an encrypted session or share,
an smbprotocol release this was tested with): ``can_send_lean`` says whether an open
qualifies, and for any other the caller sends through smbprotocol as usual.

Those internals are private and may change in any release: pyproject.toml pins smbprotocol
to ``TESTED`` (a test holds the two together), the write tests run through both paths
against Samba and compare the bytes on the share, and an smbprotocol outside the range
(installed against the pin) never takes this path.
"""

from __future__ import annotations

import functools
import os
import re
import struct
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from smbprotocol.connection import Ciphers, Dialects, Request, SMB2TransformHeader
from smbprotocol.exceptions import SMBException
from smbprotocol.header import Commands, Smb2Flags, SMB2HeaderRequest
from smbprotocol.open import SMB2WriteRequest

_TRANSFORM_PROTOCOL_ID = b"\xfdSMB"
_GCM = (Ciphers.AES_128_GCM, Ciphers.AES_256_GCM)

#: The smbprotocol releases this module was tested with: at least the first, below the second.
TESTED = ((1, 16), (1, 18))


@functools.cache
def tested_release() -> bool:
    """Whether the installed smbprotocol is one of the ``TESTED`` releases."""
    try:
        found = re.match(r"(\d+)\.(\d+)", version("smbprotocol"))
    except PackageNotFoundError:
        return False
    if found is None:
        return False
    release = (int(found[1]), int(found[2]))
    return TESTED[0] <= release < TESTED[1]


def can_send_lean(open_: Any) -> bool:
    """Whether writes on ``open_`` can take the copy-free path."""
    if not tested_release():
        return False
    try:
        connection = open_.connection
        tree = open_.tree_connect
        session = tree.session
        transport = connection.transport
        return bool(
            (session.encrypt_data or tree.encrypt_data)
            and session.encryption_key
            and connection.dialect >= Dialects.SMB_3_1_1
            and connection.cipher_id in _GCM
            and hasattr(transport, "_sock")
            and hasattr(transport, "_sock_lock")
            and hasattr(connection, "sequence_lock")
            and isinstance(getattr(connection, "outstanding_requests", None), dict)
        )
    except AttributeError:
        return False


def send_write(open_: Any, payload: memoryview, offset: int, credit_request: int) -> Request:
    """Send one WRITE of ``payload`` at ``offset``; the caller receives its response with
    ``open_._write_response(request)``. Only for opens where ``can_send_lean`` holds."""
    connection = open_.connection
    tree = open_.tree_connect
    session = tree.session
    size = len(payload)
    if size > connection.max_write_size:
        raise SMBException(f"A write of {size} bytes exceeds the negotiated maximum.")

    write = SMB2WriteRequest()
    write["offset"] = offset
    write["file_id"] = open_.file_id
    # Packed without its buffer, then given the payload's length (bytes 4-8 of the fixed
    # part), which is also what the credit charge is computed from.
    body = bytearray(write.pack())
    body[4:8] = struct.pack("<I", size)
    write["length"] = size

    with connection.sequence_lock:
        window = connection.sequence_window
        charge = connection._calculate_credit_charge(write)
        if charge > window["high"] - window["low"]:
            raise SMBException(
                f"Request requires {charge} credits but only "
                f"{window['high'] - window['low']} credits are available"
            )
        message_id = window["low"]
        window["low"] += charge if charge > 0 else 1

    header = SMB2HeaderRequest()
    header["tree_id"] = tree.tree_connect_id
    header["credit_charge"] = charge
    header["command"] = Commands.SMB2_WRITE
    header["credit_request"] = credit_request or charge
    header["message_id"] = message_id
    header["session_id"] = session.session_id
    header["data"] = bytes(body)
    if tree.is_dfs_share:
        header["flags"].set_flag(Smb2Flags.SMB2_FLAGS_DFS_OPERATIONS)
    plain_head = header.pack()
    request = Request(header, SMB2WriteRequest, connection, session_id=session.session_id)
    connection.outstanding_requests[message_id] = request

    transform = SMB2TransformHeader()
    transform["original_message_size"] = len(plain_head) + size
    transform["session_id"] = session.session_id
    nonce = os.urandom(12)
    transform["nonce"] = nonce + b"\x00" * 4
    # The authenticated data: the transform header after its protocol id and signature.
    aad = transform.pack()[20:]
    encryptor = Cipher(algorithms.AES(session.encryption_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    head = encryptor.update(plain_head)
    body_cipher = encryptor.update(payload)
    encryptor.finalize()
    transform_head = _TRANSFORM_PROTOCOL_ID + encryptor.tag + aad

    length = len(transform_head) + len(head) + len(body_cipher)
    connection._check_worker_running()
    transport = connection.transport
    with transport._sock_lock:
        _sendall(transport._sock, [struct.pack(">I", length), transform_head, head, body_cipher])
    return request


def _sendall(sock: Any, pieces: list[bytes]) -> None:
    views = [memoryview(piece) for piece in pieces if piece]
    while views:
        sent = sock.sendmsg(views)
        while sent:
            if sent >= len(views[0]):
                sent -= len(views.pop(0))
            else:
                views[0] = views[0][sent:]
                sent = 0
