"""Stopping a run on Ctrl-C (SIGINT) or SIGTERM: pending work cancelled, kernels shut down, nothing left running.

How a run stays stoppable:

* nbclient executes each notebook in a helper thread (:func:`call_in_thread`): in the main thread it would
  take SIGINT and SIGTERM over (it shuts the kernel down and lets the run carry on with the next notebook);
* every kernel a process starts is kept in that process's registry (:func:`track`, from the runner's kernel
  manager, :func:`rotation.runner.execution.ipc_kernel_manager`) until it is shut down;
* while a run executes, the main process turns SIGINT and SIGTERM into ``KeyboardInterrupt``
  (:func:`stopping_on_signals`); where it waits, the runner then kills its kernels (:func:`kill_kernels`: the
  kernel's process group, its connection and socket files removed), stops the pool's worker processes
  (:func:`stop_workers`) and records what did not finish as interrupted;
* pool workers ignore SIGINT (a Ctrl-C reaches the whole foreground process group; the main process decides)
  and on SIGTERM kill their own kernels and exit (:func:`worker_init`); the signals are blocked while the pool
  starts its workers (:func:`signals_blocked`), so none arrives before a worker's handlers are in place.

Kernels run in sessions of their own (jupyter_client), so a Ctrl-C never reaches them directly, and each
exits by itself when the process that started it is gone (ipykernel's parent poller).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["track", "untrack", "kill_kernels", "live_kernels", "call_in_thread", "stopping_on_signals",
           "signals_blocked", "worker_init", "stop_workers", "received", "signal_name", "INTERRUPTED", "STOP_SIGNALS"]

INTERRUPTED = "interrupted"
"""The status of a notebook or grid combination a signal stopped (or kept from starting)."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""The signals that stop a run."""
_JOIN_SECONDS = 10.0
"""How long an interrupted run waits for nbclient's thread to notice its kernel is gone."""


@dataclass
class _Kernel:
    process: Any
    files: tuple[str, ...]


_KERNELS: dict[int, _Kernel] = {}
_RECEIVED: list[int] = []


def track(km: Any) -> None:
    """Remember the kernel ``km`` (a jupyter_client kernel manager) has just started, with its files."""
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is None:
        return
    files = [str(km.connection_file)] if getattr(km, "connection_file", "") else []
    if getattr(km, "transport", "") == "ipc":
        files += [f"{km.ip}-{port}" for port in km.ports]
    _KERNELS[id(km)] = _Kernel(process, tuple(files))


def untrack(km: Any) -> None:
    """Forget ``km``'s kernel (it was shut down the normal way)."""
    _KERNELS.pop(id(km), None)


def live_kernels() -> list[int]:
    """Process ids of the kernels this process started and has not shut down."""
    return [k.process.pid for k in list(_KERNELS.values()) if k.process.poll() is None]


def kill_kernels() -> None:
    """Kill every kernel this process started (its whole process group) and remove its connection and socket files."""
    for key, kernel in list(_KERNELS.items()):
        pid = kernel.process.pid
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg") and os.getpgid(pid) == pid:  # a session of its own: the kernel and its children
                os.killpg(pid, signal.SIGKILL)
            else:
                kernel.process.kill()
        with contextlib.suppress(Exception):
            kernel.process.wait(timeout=5)
        for path in kernel.files:
            with contextlib.suppress(OSError):
                os.remove(path)
        _KERNELS.pop(key, None)


def call_in_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a helper thread, so that nbclient does not take the process's signals.

    A ``KeyboardInterrupt`` while waiting kills this process's kernels, gives the thread a few seconds to
    notice, and is raised again.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    thread = threading.Thread(target=target, name="rotation-notebook", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.25)
    except KeyboardInterrupt:
        kill_kernels()
        thread.join(_JOIN_SECONDS)
        kill_kernels()  # one that was still starting
        raise
    if "error" in box:
        raise box["error"]
    return box.get("result")


def received() -> int | None:
    """The signal that stopped the latest run of this process (SIGINT or SIGTERM), or None."""
    return _RECEIVED[-1] if _RECEIVED else None


def signal_name(sig: int) -> str:
    """``"SIGINT (Ctrl-C)"``, ``"SIGTERM"``: how messages name a signal."""
    name = signal.Signals(sig).name
    return f"{name} (Ctrl-C)" if sig == signal.SIGINT else name


def _raise_interrupt(signum: int, frame: Any) -> None:
    _RECEIVED.append(signum)
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise ``KeyboardInterrupt`` in the main thread.

    Only where Python's defaults are in place (the main thread of a process whose signals nobody else
    handles): a pool worker ignores SIGINT, and an enclosing block already raises.
    """
    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    _RECEIVED.clear()
    saved = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    signal.signal(signal.SIGINT, _raise_interrupt)
    if saved[signal.SIGTERM] == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM in the block (children started in it inherit the mask; a signal that arrives
    meanwhile is delivered when the block ends). Does nothing where the platform cannot block signals."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _worker_stop(signum: int, frame: Any) -> None:
    kill_kernels()
    os._exit(128 + signum)


def worker_init() -> None:
    """Initializer of a pool's worker process: ignore SIGINT, on SIGTERM kill this worker's kernels and exit.

    The worker's (silent) progress bars share a thread lock: tqdm's default, a multiprocessing lock, would be
    left to the resource tracker (a "leaked semaphore" warning) by a worker that exits on SIGTERM.
    """
    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def stop_workers(before: set[Any], timeout: float = 10.0) -> None:
    """Stop the worker processes started since ``before`` (``multiprocessing.active_children()`` then): SIGTERM
    (each kills its kernels and exits), then SIGKILL for one still running after ``timeout`` seconds."""
    workers = [p for p in multiprocessing.active_children() if p not in before]
    for p in workers:
        with contextlib.suppress(OSError):
            p.terminate()
    for p in workers:
        p.join(timeout)
        if p.is_alive():
            p.kill()
            p.join(5)
