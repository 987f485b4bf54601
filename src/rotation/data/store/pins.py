"""Pinning one version of the store for the length of a run, across the run's processes.

A notebook run reads many datasets, one ``load`` at a time, from kernels that are separate processes;
an import that publishes a new manifest in between would give the run two store versions. A *pin*
fixes the version: :func:`run_pin` (used by ``rotation run`` and the robustness grids) copies the
current manifest into ``.pins/<generation>-<pid>-<random>.json`` in the store and sets
:data:`PIN_ENV` to that file's path, which every kernel of the run inherits. While it is set,
:meth:`rotation.data.store.Store.manifest` (and so :func:`rotation.data.load`) reads that copy of the
manifest -- one parse per process, checksum and paths checked -- instead of ``manifest.json``: the run
reads one version however often the store changes. The *generation* is the manifest's checksum; the
run manifest names it.

A writer's clean-up keeps every file a *live* pin names. A pin is live while the process that made
it holds an exclusive lock on its ``.lock`` file (``flock``; ``msvcrt.locking`` on Windows): the lock
goes when the run ends or is killed, so a dead run's pin counts as released and the next writer
removes it. On a store this process cannot write (read-only), the copy is kept in a private
temporary folder instead: nothing can change such a store under the run, and a store changed by
someone else all the same makes a read fail with ``pin-gone`` rather than mix versions.

A process without :data:`PIN_ENV` (plain papermill, JupyterLab, a notebook run by hand) reads the
current store, as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rotation.data.store.files import atomic_write_bytes
from rotation.data.store.manifest import check_manifest, manifest_checksum, read_manifest
from rotation.data.store.problems import Problem, StoreProblemError
from rotation.errors import StoreError

__all__ = ["PIN_ENV", "PINS_DIR", "Pin", "create_pin", "release_pin", "run_pin", "pinned_manifest", "pin_record",
           "live_pin_manifests"]

#: The environment variable naming the pin file a run's processes read the store through.
PIN_ENV = "ROTATION_STORE_PIN"
#: The folder of the store's pins.
PINS_DIR = ".pins"
#: A ``.lock`` without its pin, older than this (seconds), is a pin whose owner died while making it.
ORPHAN_LOCK_AGE = 600.0

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; True when taken."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _lock(fd: int) -> None:
    """Take an exclusive lock on ``fd``, waiting (briefly: only a clean-up's probe can hold it)."""
    for _ in range(1000):
        if _try_lock(fd):
            return
        time.sleep(0.01)
    raise OSError(f"could not lock the pin's lock file (descriptor {fd})")


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


@dataclass
class Pin:
    """One pinned store version: the pin file (``path``), the store's ``root`` and the ``generation``.

    ``registered`` pins live in the store's ``.pins/`` (writers keep their files); a private pin
    (read-only store) lives in ``private``, a temporary folder of its own.
    """

    path: Path
    root: Path
    generation: str
    registered: bool
    fd: int | None = None
    private: Path | None = None


def _body(root: Path, manifest: Mapping[str, Any], generation: str) -> bytes:
    doc = {"root": str(root), "generation": generation, "pid": os.getpid(), "host": socket.gethostname(),
           "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
           "manifest": manifest}
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _register(root: Path, manifest: Mapping[str, Any], generation: str) -> Pin:
    """A pin in the store's ``.pins/``, its lock held by this process (OSError when the store is not writable)."""
    folder = root / PINS_DIR
    if folder.is_symlink():  # the writers' clean-up would not look there
        raise NotADirectoryError(f"{folder} is a symbolic link")
    folder.mkdir(exist_ok=True)
    stem = f"{generation[:16]}-{os.getpid()}-{secrets.token_hex(4)}"
    fd = os.open(folder / f"{stem}.lock", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _lock(fd)
        path = folder / f"{stem}.json"
        atomic_write_bytes(path, _body(root, manifest, generation))
    except BaseException:
        _unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            (folder / f"{stem}.lock").unlink()
        raise
    return Pin(path, root, generation, True, fd=fd)


def _private(root: Path, manifest: Mapping[str, Any], generation: str) -> Pin:
    """A pin outside the store (which this process cannot write): no writer sees it, none can change the store."""
    folder = Path(tempfile.mkdtemp(prefix="rotation-pin-"))
    path = folder / f"{generation[:16]}.json"
    atomic_write_bytes(path, _body(root, manifest, generation))
    return Pin(path, root, generation, False, private=folder)


def create_pin(root: Path) -> Pin | None:
    """Pin the store at ``root`` as it is now; None when it holds no dataset (nothing to pin).

    The pin is made, then the manifest read again: when a writer published in between, the pin is
    released and made again, so a pin is never of a version whose files a writer already removed.

    Raises
    ------
    StoreProblemError
        The manifest cannot be read or is damaged (as for any read).
    """
    manifest_path = root / "manifest.json"
    for _ in range(50):
        manifest = read_manifest(manifest_path, root)
        if not manifest["datasets"]:
            return None
        generation = manifest_checksum(manifest)
        try:
            pin = _register(root, manifest, generation)
        except OSError:
            return _private(root, manifest, generation)
        if manifest_checksum(read_manifest(manifest_path, root)) == generation:
            return pin
        release_pin(pin)
    what = f"the store {root} changed 50 times while a run tried to pin it; run it again when the imports are done"
    raise StoreProblemError(Problem("locked", "manifest.json", what, root))


def release_pin(pin: Pin) -> None:
    """Release ``pin``: its files are removed and its lock let go (its store files are then the next writer's)."""
    with contextlib.suppress(OSError):
        pin.path.unlink()
    if pin.fd is not None:
        _unlock(pin.fd)
        with contextlib.suppress(OSError):
            os.close(pin.fd)
        with contextlib.suppress(OSError):
            pin.path.with_suffix(".lock").unlink()
        pin.fd = None
    if pin.private is not None:
        shutil.rmtree(pin.private, ignore_errors=True)


@contextlib.contextmanager
def run_pin(root: Path) -> Iterator[str | None]:
    """Pin the store at ``root`` for the block and set :data:`PIN_ENV` (processes started inside inherit it).

    Yields the pin file's path, or None when there is nothing to pin (an empty store) or the manifest
    cannot be read (the notebooks then report the store's problem as they would have). When
    :data:`PIN_ENV` is already set -- a grid's pin, inherited by each combination's run -- that pin is
    used and left to its owner.
    """
    inherited = os.environ.get(PIN_ENV)
    if inherited:
        yield inherited
        return
    try:
        pin = create_pin(root)
    except StoreError:
        pin = None
    if pin is None:
        yield None
        return
    os.environ[PIN_ENV] = str(pin.path)
    try:
        yield str(pin.path)
    finally:
        if os.environ.get(PIN_ENV) == str(pin.path):
            del os.environ[PIN_ENV]
        release_pin(pin)


# --------------------------------------------------------------------------- the reading side
@dataclass(frozen=True)
class _Pinned:
    root: str
    generation: str
    manifest: dict[str, Any]
    registered: bool


_PINNED: dict[str, _Pinned] = {}


@functools.lru_cache(maxsize=64)
def _real(root: str) -> str:
    return os.path.realpath(root)


def _gone(value: str, why: str) -> StoreProblemError:
    path = Path(value)
    what = (f"this process reads the store version pinned by `rotation run` ({PIN_ENV}={value}), and {why}: the "
            "run that pinned it has ended or was stopped")
    return StoreProblemError(Problem("pin-gone", path.name, what, path.parent.parent))


def _read_pin(value: str) -> _Pinned:
    """The pin file ``value``, its manifest checked (cached: a pin file never changes)."""
    hit = _PINNED.get(value)
    if hit is not None:
        return hit
    path = Path(value)
    try:
        doc = json.loads(path.read_bytes())
        root = Path(doc["root"])
        manifest = check_manifest(doc["manifest"], path, root)
    except FileNotFoundError:
        raise _gone(value, "that pin is released") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _gone(value, f"that pin cannot be read ({type(exc).__name__}: {exc})") from exc
    if manifest_checksum(manifest) != doc.get("generation"):
        raise _gone(value, "that pin does not match its generation (edited)")
    hit = _Pinned(_real(str(root)), doc["generation"], manifest, path.parent.name == PINS_DIR)
    _PINNED[value] = hit
    return hit


def pinned_manifest(root: Path) -> dict[str, Any] | None:
    """The manifest pinned for this process (:data:`PIN_ENV`) when it is a pin of the store at ``root``, else None.

    The dict is shared by every read of the process: do not change it.

    Raises
    ------
    StoreProblemError
        ``pin-gone``: :data:`PIN_ENV` names a pin that is released or cannot be read.
    """
    value = os.environ.get(PIN_ENV)
    if not value:
        return None
    hit = _read_pin(value)
    return hit.manifest if hit.root == _real(str(root)) else None


def pin_record(value: str | None) -> dict[str, Any] | None:
    """What a run manifest says about the store version its notebooks read: root and generation (None: not pinned)."""
    if not value:
        return None
    try:
        hit = _read_pin(value)
    except StoreError as exc:
        return {"pin": value, "generation": None, "error": str(exc)}
    return {"root": hit.root, "generation": hit.generation, "pinned": True, "registered": hit.registered}


# --------------------------------------------------------------------------- the writers' side
def live_pin_manifests(root: Path, *, remove_dead: bool) -> list[dict[str, Any]]:
    """The manifests of the store's live pins; with ``remove_dead`` (a writer, lock held), dead pins are removed."""
    folder = root / PINS_DIR
    if folder.is_symlink() or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        lock = path.with_suffix(".lock")
        if _alive(lock):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError, StoreError):
                doc = json.loads(path.read_bytes())
                out.append(check_manifest(doc["manifest"], path, root))
        elif remove_dead:
            for p in (path, lock):
                with contextlib.suppress(OSError):
                    p.unlink()
    if remove_dead:
        now = time.time()
        for lock in folder.glob("*.lock"):
            with contextlib.suppress(OSError):
                if not lock.with_suffix(".json").exists() and now - lock.stat().st_mtime > ORPHAN_LOCK_AGE \
                        and not _alive(lock):
                    lock.unlink()
    return out


def _alive(lock: Path) -> bool:
    """The pin's owner still holds its lock (a lock file that is gone: dead)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell (permissions): keep its files
    try:
        if _try_lock(fd):
            _unlock(fd)
            return False
        return True
    finally:
        os.close(fd)
