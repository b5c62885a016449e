"""SHA-256 of stored files: recorded at every import, checked by ``verify``, ``status``, every
load of the data and every backup and restore."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from ..cache import LRU

CHUNK = 1 << 20
#: Digests already computed in this process, by path and by what ``stat`` says of the file.
#: Any write changes size, mtime or ctime, so a file changed since is hashed again.
_SEEN = LRU("file_digests")


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The hex SHA-256 of the file at ``path``, read in chunks (files may be gigabytes)."""
    with open(path, "rb") as handle:
        return sha256_stream(handle)


def sha256_stream(handle: BinaryIO) -> str:
    """The hex SHA-256 of what is left to read in ``handle``."""
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_cached(path: Path) -> str:
    """:func:`sha256_file`, reusing a digest of this process while the file's ``stat`` is
    unchanged (size, mtime, ctime, inode): cheap enough for every rerun of the Data page.

    ``verify`` never uses this: it reads every byte again.
    """
    info = path.stat()
    key = (str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return _SEEN.get_or_make(key, lambda: sha256_file(path))
