"""Work in a process that can be stopped: the one place an audit runs under a time and memory limit.

A timeout inside the auditing process cannot stop it: a regular expression or a parser in C holds the
interpreter, so a watchdog thread never runs and an abandoned thread keeps the CPU (and, running OCR at
exit, aborts the process). So every audit the CLI, the batch, the dispute brief and the desk run happens in
a worker process that the parent kills at the limit. Each worker caps its own address space
(`RLIMIT_AS`), ignores Ctrl-C (the parent decides), and on Linux asks to be killed when its parent dies
(`PR_SET_PDEATHSIG`), so no worker outlives the command that started it.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

DEFAULT_TIMEOUT = 120.0  # seconds per contract: a 30-page scan reads in about a minute
DEFAULT_MAX_MEMORY_MB = 4096  # address space per worker; OCR of a dense A4 page peaks near 1.7 GB
KILL_GRACE = 1.0  # seconds a stopped worker has to clean up after SIGTERM (a regex in C never sees it)

T = TypeVar("T")
Task = tuple[Callable[..., Any], tuple[Any, ...]]

_READY = "ready"
_FAILED = "failed"  # the worker could not start: (_FAILED, why) instead of _READY
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: `signum` says which, for the exit code (128 + signum)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def raise_interrupted(signum: int, frame: object) -> None:
    """A signal handler that turns SIGTERM into the same clean stop as Ctrl-C."""
    raise Interrupted(signum)


class StoppedError(Exception):
    """The work did not finish: the time limit passed, or the worker died. One line, without a file name."""


def memory_message(max_memory: int | None) -> str:
    """What to say when a worker ran out of its address space."""
    limit = f"the memory limit of {max_memory} MB" if max_memory else "the machine's memory"
    return f"stopped at {limit} per worker (raise it with --max-memory MB, 0 for none)"


def own_memory_limit() -> int | None:
    """This process's address-space cap in MB, if it has one (a worker's, set by `_confine`)."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft // 2**20


def confined_error(err: BaseException, max_memory: int | None) -> StoppedError | None:
    """The error as the memory limit, when that is what it most likely is: a MemoryError; under a cap, a
    library that could not be mapped (`ImportError: opencc_clib not found…`) or an interpreter call that
    failed for want of memory (`SystemError: … returned NULL`); else None.
    """
    if isinstance(err, MemoryError):
        return StoppedError(memory_message(max_memory))
    if isinstance(err, ImportError | SystemError) and max_memory:
        return StoppedError(f"{memory_message(max_memory)}: {type(err).__name__} while loading the libraries")
    return None


def died_message(exit_code: int | None, max_memory: int | None) -> str:
    """Why a worker is gone: killed by the system (most often for memory), or it stopped by itself."""
    if exit_code is not None and exit_code < 0:
        limit = f"{max_memory} MB per worker" if max_memory else "none"
        return (
            f"the worker process was killed ({signal.Signals(-exit_code).name}), perhaps for memory "
            f"(the limit: {limit}; --max-memory MB sets it)"
        )
    return f"the worker process stopped (exit code {exit_code})"


def timeout_message(timeout: float) -> str:
    """What to say when the work ran past its time limit."""
    return f"stopped after the per-file timeout of {timeout:g} s"


def _confine(max_memory: int | None) -> None:
    """The worker's own limits: its address space, Ctrl-C left to the parent, death with the parent, and
    SIGTERM as an exit that unwinds (temporary folders removed, a LibreOffice conversion killed).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # replaces the parent's handler, inherited through fork
    if max_memory:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = max_memory * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard < 0 else min(wanted, hard), hard))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """Stopped by the parent: leave through `finally` and `with` blocks, which SIGKILL would skip."""
    raise SystemExit(128 + signum)


def _worker_main(conn: Connection, max_memory: int | None) -> None:
    """A worker: set its limits, run the warm-up the parent sends first (or None), say so, then run each
    task received until told to stop (None).

    The warm-up and the tasks are unpickled here, under the memory cap: in a fresh interpreter that is
    where their modules are imported, and a cap too low for them is then said as for any other. Each
    answer is ("ok", value) or ("error", exception); an exception that would not survive the pipe (one
    whose constructor takes other arguments) travels as a ValueError with its message. A warm-up that
    fails (a memory cap too low for the libraries) is sent as (_FAILED, why) instead of _READY.
    """
    try:
        _confine(max_memory)
        warm = conn.recv()
        if warm is not None:
            warm()
        conn.send(_READY)
    except Exception as err:  # noqa: BLE001 - said to the parent in one line, not as a traceback here
        stopped = confined_error(err, max_memory)
        with contextlib.suppress(Exception):  # under a cap below what the process holds, even this fails
            conn.send((_FAILED, str(stopped) if stopped else f"{type(err).__name__}: {err}"))
        raise SystemExit(1) from None
    while True:
        message = conn.recv_bytes()
        try:
            task = pickle.loads(message)  # in a fresh interpreter this imports the function's module
            if task is None:
                break
            function, args = task
            answer: tuple[str, Any] = ("ok", function(*args))
        except Exception as err:  # noqa: BLE001 - the caller decides what an error means
            answer = ("error", confined_error(err, max_memory) or _picklable(err))
        conn.send(answer)


def _picklable(err: Exception) -> Exception:
    """The exception, or a ValueError with its message if it would not survive the pipe."""
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:  # noqa: BLE001 - any pickling failure
        return ValueError(str(err))
    return err


def context() -> Any:
    """Fork on Linux: the worker starts with everything the parent imported (no start-up cost, and what a
    test patched is patched there too). Forking a process with threads (the desk's server) is safe enough
    here: Python resets its own locks in the child (imports, logging), the child runs only the audit, and
    a rare deadlock on a third-party lock ends at the timeout like any other hung audit. Elsewhere (macOS
    frameworks break in a forked child) a forkserver that has imported the engine once starts them.
    """
    if sys.platform.startswith("linux"):
        return mp.get_context("fork")
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["auditor.pipeline", "jieba"])
        return ctx
    return mp.get_context("spawn")


def _start_refused(err: OSError) -> StoppedError:
    return StoppedError(f"a worker process could not be started ({err.strerror or err})")


class _Interpreter:
    """A fresh interpreter running `_worker_main` (`python -m auditor.batch.worker MB FD`), as a
    multiprocessing process would: where multiprocessing may not start one (a daemonic process).
    """

    def __init__(self, child: socket.socket, max_memory: int | None) -> None:
        fd = child.fileno()
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "auditor.batch.worker", str(max_memory or 0), str(fd)],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # nothing but the socket speaks to the parent
            stderr=subprocess.DEVNULL,
        )

    sentinel = None  # no handle to wait on: its death shows as the end of its socket

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def terminate(self) -> None:
        self.popen.terminate()

    def kill(self) -> None:
        self.popen.kill()

    def join(self, timeout: float | None = None) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)


class Worker:
    """One worker process, its pipe, and the task it is running (if any) since when."""

    def __init__(self, ctx: Any, max_memory: int | None, warm: Callable[[], None] | None = None) -> None:
        """Start the process (forked or spawned by `ctx`, or with `ctx` None a fresh interpreter) and send it
        its warm-up; raises StoppedError when the system cannot (no memory, processes or file descriptors
        left).
        """
        try:
            if ctx is None:
                ours, theirs = socket.socketpair()
                self.conn, child = Connection(ours.detach()), theirs
            else:
                self.conn, child = ctx.Pipe()
        except OSError as err:
            raise _start_refused(err) from err
        try:
            if ctx is None:
                self.proc: Any = _Interpreter(child, max_memory)
            else:
                self.proc = ctx.Process(target=_worker_main, args=(child, max_memory), daemon=True)
                self.proc.start()
        except OSError as err:
            self.conn.close()
            raise _start_refused(err) from err
        finally:
            child.close()
        with contextlib.suppress(OSError):  # it has just died: `poll` says so
            self.conn.send(warm)
        self.max_memory = max_memory
        self.ready = False
        self.task: int | None = None
        self.since = 0.0

    def give(self, index: int, task: Task) -> None:
        """Start a task; `index` is the caller's name for it."""
        self.task, self.since = index, time.monotonic()
        with contextlib.suppress(OSError):  # it has just died: `poll` reports the task
            self.conn.send(task)

    def poll(self, timeout: float) -> tuple[int, tuple[str, Any]] | None:
        """The task just finished and its answer, if one has come; raises StoppedError for the running task
        when the worker died or ran past `timeout` (the caller then kills and replaces it), and for a
        worker that failed to start (then `task` is None).
        """
        if self.conn.poll():
            try:
                msg = self.conn.recv()
            except EOFError:
                pass  # it died: reported below
            else:
                if msg == _READY:
                    self.ready = True
                    return None
                if not self.ready:  # (_FAILED, why)
                    raise StoppedError(f"a worker process failed to start: {msg[1]}")
                index, self.task = self.task, None
                assert index is not None
                return index, msg
        if not self.proc.is_alive():
            if not self.ready:
                raise StoppedError(self.start_failed_message())
            if self.task is not None:
                raise StoppedError(self.died_message())
        elif self.task is not None and time.monotonic() - self.since >= timeout:
            raise StoppedError(timeout_message(timeout))
        return None

    def died_message(self) -> str:
        """Why a worker is gone: killed by the system (most often for memory), or it stopped by itself."""
        return died_message(self.proc.exitcode, self.max_memory)

    def start_failed_message(self) -> str:
        """Why a worker died before it was ready, without word from it: most often a memory cap so low
        that not even its first message could be sent.
        """
        code = self.proc.exitcode
        if code is not None and code < 0:  # killed: died_message says by what, and the memory limit
            return f"a worker process failed to start: {self.died_message()}"
        why = f"a worker process failed to start (exit code {code})"
        return f"{why}; perhaps for memory: {memory_message(self.max_memory)}" if self.max_memory else why

    def handles(self) -> list[Any]:
        """What `multiprocessing.connection.wait` watches for this worker: its answers and its death."""
        return [self.conn] if self.proc.sentinel is None else [self.conn, self.proc.sentinel]

    def stop(self, *, kill: bool = False) -> None:
        """Tell it to stop (or stop it: SIGTERM, then SIGKILL after `KILL_GRACE`), and wait for it."""
        if kill:
            self.proc.terminate()
            self.proc.join(KILL_GRACE)
            self.proc.kill()
        else:
            with contextlib.suppress(OSError):  # already gone
                self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def call(function: Callable[..., T], *args: Any, timeout: float, max_memory: int | None) -> T:
    """`function(*args)` in a worker process of its own, killed after `timeout` seconds. A fresh fork each
    time: it costs little, and sees the parent as it is now (a kept worker would see it as it was).

    Returns what it returns and raises what it raises (MemoryError as StoppedError); raises StoppedError
    when the time ran out or the worker died. The function and its arguments and result must pickle.
    """
    worker = Worker(context(), max_memory)
    try:
        answer = _run_on(worker, (function, args), timeout)
    except BaseException:
        worker.stop(kill=True)
        raise
    worker.stop()
    return _value(answer)  # type: ignore[no-any-return]


def _run_on(worker: Worker, task: Task, timeout: float) -> tuple[str, Any]:
    """The task's answer from `worker`, once it is ready (its start is not timed: a fork is instant, a
    fresh interpreter's imports are not the task's); raises StoppedError as `Worker.poll` does.
    """
    while not worker.ready:
        wait(worker.handles())
        worker.poll(timeout)
    worker.give(0, task)
    while True:
        wait(worker.handles(), max(0.0, worker.since + timeout - time.monotonic()))
        done = worker.poll(timeout)
        if done:
            return done[1]


def _value(answer: tuple[str, Any]) -> Any:
    """What the function returned; what it raised is raised here, in the caller."""
    kind, value = answer
    if kind == "error":
        raise value
    return value


# Fresh interpreters kept for the next task, by memory cap: a daemonic process's children (`call_anywhere`).
_kept: dict[int | None, list[Worker]] = {}
_kept_lock = threading.Lock()


def call_anywhere(
    function: Callable[..., T],
    *args: Any,
    timeout: float,
    max_memory: int | None,
    warm: Callable[[], None] | None = None,
) -> T:
    """`call`, also where multiprocessing may not start children: a daemonic process, as a Dask worker
    under a nanny is by default. There the function runs in a fresh interpreter (`_Interpreter`) with the
    same limits, killed at the timeout (or when it dies) and then replaced, else kept for the next call,
    as long as this process lives (it dies with it): it pays for its imports once, not per task (a second
    or two each), and a new one runs `warm` before its task, so that its imports are not timed as the
    task. One interpreter per thread calling at the same time; `start_kept` starts them ahead.
    """
    if not mp.current_process().daemon:
        return call(function, *args, timeout=timeout, max_memory=max_memory)
    with _kept_lock:
        idle = _kept.setdefault(max_memory, [])
        worker = idle.pop() if idle else None
    if worker is None or not worker.proc.is_alive():
        if worker is not None:
            worker.stop(kill=True)  # reaped: it died idle (with the thread that started it)
        worker = Worker(None, max_memory, warm)
    try:
        answer = _run_on(worker, (function, args), timeout)
    except BaseException:
        worker.stop(kill=True)
        raise
    with _kept_lock:
        _kept[max_memory].append(worker)
    return _value(answer)  # type: ignore[no-any-return]


def start_kept(count: int, max_memory: int | None, warm: Callable[[], None] | None) -> None:
    """In a daemonic process, start `count` interpreters for `call_anywhere` now (they warm up while the
    tasks are on their way); elsewhere, run `warm` here, so that the children forked from here start warm.
    One the system refuses is left to `call_anywhere`, which says so for its task.
    """
    if not mp.current_process().daemon:
        if warm is not None:
            warm()
        return
    with _kept_lock, contextlib.suppress(StoppedError):
        idle = _kept.setdefault(max_memory, [])
        while len(idle) < count:
            idle.append(Worker(None, max_memory, warm))


def _child_main(max_memory: int | None, fd: int) -> None:
    """`python -m auditor.batch.worker MB FD`: `_worker_main` on the socket its parent passed as FD."""
    _worker_main(Connection(fd), max_memory)


if __name__ == "__main__":
    _child_main(int(sys.argv[1]) or None, int(sys.argv[2]))
