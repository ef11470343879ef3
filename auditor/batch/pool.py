"""Auditing a folder of contracts: worker processes, a per-file timeout, the result store, or a Dask cluster.

Every route gives the same answer: one entry per file, in path order, each an AuditReport rebuilt from
its JSON dict (`store.from_dict`) or an error entry. In-process results are rebuilt too, on purpose: a
result from a worker, the cluster or the store is then indistinguishable from a fresh one, so the output
does not depend on --workers, --dask or whether the store already knew the file. Even one file (or
--workers 1) is audited in a worker process (`batch.worker`): only a process can be stopped at the timeout.

Why not `concurrent.futures.ProcessPoolExecutor`: it cannot stop one task. Killing the process running a
hung audit breaks the whole pool and fails every queued file. The small pool below gives each worker its
own pipe, hands it one file at a time, and kills and replaces only the worker whose file ran past the
timeout. Workers are forked cold and warm up on their first file: a warm-up first only delayed it (0.5 s).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Collection, Generator, Iterator, Sequence
from dataclasses import astuple, dataclass
from multiprocessing.connection import wait
from pathlib import Path
from types import FrameType
from typing import Any, Generic, TypeVar

from tqdm import tqdm

from auditor.analyse.key_facts import FactError
from auditor.batch import worker
from auditor.batch.store import Store, content_hash, from_dict
from auditor.load import Limits, LoadError
from auditor.model import AuditReport
from auditor.report import render

Entry = dict[str, Any]  # AuditReport.to_dict(), or an error entry {"file", "error"}
T = TypeVar("T")
Result = AuditReport | dict[str, str]


@dataclass(frozen=True, slots=True)
class Options:
    """How to run a batch; the defaults are the CLI's."""

    lang: str = "auto"
    password: str | None = None
    workers: int | None = None  # None: one per available core
    timeout: float = worker.DEFAULT_TIMEOUT  # seconds per file
    max_memory: int | None = worker.DEFAULT_MAX_MEMORY_MB  # address space per worker process; None: no cap
    dask: str | None = None  # scheduler address: run on that cluster instead of local processes
    dask_bytes: bool = False  # send file bytes to the cluster instead of paths on shared storage
    playbook: str | None = None  # a bundled playbook's name, "auto", or an absolute .yaml path
    perspective: str = "client"  # "client" (甲方) or "provider" (乙方)
    facts: tuple[tuple[str, str], ...] = ()  # the user's corrections of the key facts (--fact value=90000)
    limits: Limits = Limits()  # the loader's, raised by the --max-… flags

    @property
    def store_key(self) -> str:
        """The store's `lang` column: the language alone by default; with a playbook or the provider side,
        those too (a file playbook by its content), so a stored result is never reused for other rules.
        """
        corrections = "".join(f"|{key}={value}" for key, value in self.facts)
        if self.limits != Limits():  # a raised render limit reads a large scan at a higher resolution
            corrections += "|" + ",".join(map(str, astuple(self.limits)))
        if self.playbook is None and self.perspective == "client":
            return self.lang + corrections
        rules = self.playbook or "-"
        if rules.endswith((".yaml", ".yml")):
            rules = content_hash(Path(rules)) or rules
        return f"{self.lang}|{rules}|{self.perspective}{corrections}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The results in path order, and how many of them the store already had.

    After Ctrl-C or SIGTERM, `results` holds only the files finished by then (each already stored),
    `interrupted` the signal, and `total` how many files there were.
    """

    results: list[Result]
    from_store: int
    total: int
    interrupted: int | None = None


def default_workers() -> int:
    """The cores this process may use (a container's CPU limit, not the host's core count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_batch(
    paths: Sequence[Path],
    options: Options,
    *,
    store: Store | None = None,
    progress: bool = False,
    unstored: Collection[Path] = (),
) -> Outcome:
    """Audit every file (`Batch`) and keep every result: for callers that want the list at the end."""
    batch = Batch(paths, options, store=store, progress=progress, unstored=unstored)
    results = list(batch)
    return Outcome(results, batch.from_store, batch.total, batch.interrupted)


class InOrder(Generic[T]):
    """A reorder buffer: entries by index, released in index order once every earlier one is in.

    Engines finish files in any order, the output is in path order. Only the entries that finished ahead
    of a slower earlier file wait here, so it holds about as many as the engine has files in flight, not
    the batch.
    """

    def __init__(self) -> None:
        self._waiting: dict[int, T] = {}
        self._next = 0

    def add(self, index: int, entry: T) -> None:
        """Keep one finished entry until its turn."""
        self._waiting[index] = entry

    def due(self) -> Iterator[T]:
        """The entries whose every predecessor is out, in order, each dropped from the buffer as it goes."""
        while self._next in self._waiting:
            entry = self._waiting.pop(self._next)
            self._next += 1
            yield entry

    def rest(self) -> Iterator[T]:
        """After an interrupt: every entry still waiting, in order (the files between them never finished)."""
        while self._waiting:
            self._next = min(self._waiting)
            yield from self.due()


class Batch:
    """Audit every file, stored results reused and fresh ones stored; one bad file never stops it.

    Iterate it for the results in path order, each as soon as every earlier file is done, so a caller
    can write each one and keep none: the batch itself holds only what finished out of order. After Ctrl-C
    or SIGTERM (`interrupted` says which) it releases what finished by then, in order, and ends; `done`
    counts the results released. A result the store already has is read from it when its turn comes, so
    a re-run of a large folder holds no more than a fresh one. `unstored` files are neither looked up nor
    kept: what was piped in sits in a temporary file, and the store would list its report under a path
    that is gone once the command ends.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        options: Options,
        *,
        store: Store | None = None,
        progress: bool = False,
        unstored: Collection[Path] = (),
    ) -> None:
        self.paths = sorted(paths, key=lambda p: p.as_posix())
        self.options = options
        self.store = store
        self.total = len(self.paths)
        self.interrupted: int | None = None
        self.done = 0
        self._order: InOrder[Entry | int] = InOrder()  # an index for a result the store has
        self._digests: dict[int, str] = {}
        todo = []
        for i, path in enumerate(self.paths):
            digest = content_hash(path, options.limits.file_bytes) if store and path not in unstored else None
            if digest:
                self._digests[i] = digest
            if store and digest and store.has(path, digest, options.store_key):
                self._order.add(i, i)
            else:
                todo.append(i)
        self.from_store = self.total - len(todo)
        self._results = self._stream(_run(self.paths, todo, options), progress)  # a cluster is reached now

    def __iter__(self) -> Iterator[Result]:
        """The results in path order; while the caller handles one, Ctrl-C and SIGTERM wait for it
        (`_signals_held`), so a result is written whole or not at all.
        """
        return self._results

    def _stream(
        self, engine: Generator[tuple[int, Entry], None, None], progress: bool
    ) -> Generator[Result, None, None]:
        paths, options, store = self.paths, self.options, self.store
        with (
            tqdm(total=self.total, initial=self.from_store, unit="file", disable=not progress, leave=False) as bar,
            contextlib.closing(engine) as finished,  # closing it stops the workers
        ):
            try:
                yield from self._release(self._order.due())
                for i, entry in finished:
                    self._order.add(i, entry)
                    if store and i in self._digests and "error" not in entry:
                        store.put(paths[i], self._digests[i], options.store_key, entry)
                    bar.update()
                    yield from self._release(self._order.due())
            except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM through worker.raise_interrupted
                self.interrupted = getattr(err, "signum", signal.SIGINT)
        yield from self._release(self._order.rest())  # the workers are stopped by now

    def _release(self, entries: Iterator[Entry | int]) -> Iterator[Result]:
        """Each entry as a result: a report rebuilt from its dict (`from_dict`), or the error entry; a
        stored one read from the store now.
        """
        for waiting in entries:
            entry = self._stored(waiting) if isinstance(waiting, int) else waiting
            self.done += 1
            result = entry if "error" in entry else from_dict(entry)
            with _signals_held():
                yield result

    def _stored(self, i: int) -> Entry:
        """The store's result for file `i`, found there when the batch began; should it be gone since
        (another process pruned or replaced it), an error entry that says to run the batch again.
        """
        assert self.store is not None
        path = self.paths[i]
        found = self.store.get(path, self._digests[i], self.options.store_key)
        if found is None:
            return _stopped_entry(path, "its stored result changed during the batch; run the batch again")
        return found


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the caller handles a result, and deliver them after it, in the batch
    (where they stop the engine and release what finished): an interrupt mid-write would leave half a
    result in the output. A second signal while one is held is not held, so a write that blocks (a full
    pipe nobody reads) can still be broken off. Only the main thread can set handlers; elsewhere nothing
    is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        handler = previous[signum]
        if held and callable(handler):
            handler(signum, frame)
        held.append(signum)

    previous: dict[int, Any] = {signum: signal.signal(signum, hold) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if held:
            signal.raise_signal(held[0])  # to the handler now back in place


def _run(paths: Sequence[Path], todo: list[int], options: Options) -> Generator[tuple[int, Entry], None, None]:
    """The chosen engine; yields (index, entry) as files finish, in any order. A cluster is connected to
    at once, so an address that leads nowhere is refused (`ClusterError`) before any result is out.
    """
    if options.dask:
        from distributed import Client

        return _run_dask(_connect(Client, options.dask), paths, todo, options)
    workers = max(1, min(options.workers or default_workers(), len(todo)))
    return _run_pool(paths, todo, options, workers)


# --- the per-file task, the same in every engine ------------------------------------------------------


def audit_entry(
    path: str,
    data: bytes | None,
    lang: str,
    password: str | None,
    playbook: str | None = None,
    perspective: str = "client",
    facts: tuple[tuple[str, str], ...] = (),
    limits: Limits | None = None,
) -> Entry:
    """Audit one file (by path, or its bytes when given) into a JSON dict; never raises."""
    from auditor.pipeline import audit

    name = Path(path).name
    source = Path(path) if data is None else data
    try:
        return audit(
            source,
            filename=name,
            lang=None if lang == "auto" else lang,  # type: ignore[arg-type]
            password=password,
            playbook=playbook,
            perspective=perspective,  # type: ignore[arg-type]
            facts=dict(facts),
            limits=limits,
        ).to_dict()
    except (LoadError, FactError) as err:
        return render.error_entry(path, str(err))
    except Exception as err:  # noqa: BLE001 - one bad file must never stop a batch
        if stopped := worker.confined_error(err, worker.own_memory_limit()):
            return render.error_entry(path, f"{name}: {stopped}")
        return render.error_entry(path, f"internal error while auditing: {type(err).__name__}: {err}")


def _stopped_entry(path: Path, why: str) -> Entry:
    return render.error_entry(str(path), f"{path.name}: {why}")


def _stoppable_entry(path: str, data: bytes | None, options: Options) -> Entry:
    """`audit_entry` as a Dask task: in a child process of the Dask worker (`worker.call_anywhere`: forked,
    or a kept interpreter), killed at the timeout and capped in memory, so a hung audit stops there as it
    does locally.
    """
    try:
        return worker.call_anywhere(
            _entry, path, data, options, timeout=options.timeout, max_memory=options.max_memory, warm=_warm
        )
    except worker.StoppedError as err:
        return _stopped_entry(Path(path), str(err))


# --- local worker processes ---------------------------------------------------------------------------


# One line per language that reaches every stage, so the first real file is not charged for start-up.
_WARM_TEXTS = {
    "zh": "第一条 甲方应于2024年1月1日前支付服务费人民币壹万元（10,000元）。",
    "en": "1. The Client shall pay a fee of USD 10,000 by 1 January 2024.",
}


def _warm() -> None:
    """Once per Dask worker, while the first tasks are on their way: jieba's dictionary and the English
    tokenizer rules (`nlp.warm`), and one line of each language through the pipeline to compile the
    lexicons and import the rest. Local workers are forked cold instead: there nothing else is on its way,
    and warming first only delayed the first file.
    """
    from auditor.analyse.nlp import warm
    from auditor.pipeline import audit_text

    warm()
    for lang, text in _WARM_TEXTS.items():
        audit_text(text, lang=lang)  # type: ignore[arg-type]


def _entry(path: str, data: bytes | None, options: Options) -> Entry:
    """`audit_entry` with the batch's options."""
    return audit_entry(
        path, data, options.lang, options.password, options.playbook, options.perspective, options.facts, options.limits
    )


def _run_pool(
    paths: Sequence[Path], todo: list[int], options: Options, size: int
) -> Generator[tuple[int, Entry], None, None]:
    """Feed files to `size` workers one at a time; a worker past the timeout, or dead, is replaced.

    No worker is warmed up before its first file: the first file imports and compiles what it needs (and
    only that), so the first result comes as soon as one audit can, and the workers warm up side by side.
    A memory cap too low for the libraries then fails each file in its worker, where `audit_entry` says so
    in one line (`worker.confined_error`). A worker that cannot start (the system refuses the process, or
    the cap is below what even its first message needs) costs the next file in the queue, which gets the
    reason as its error entry: the batch always ends, with an entry per file, however often starting fails.
    """
    ctx = worker.context()
    queue = deque(todo)
    pool: list[worker.Worker] = []
    try:
        while queue or any(w.task is not None for w in pool):
            while queue and len(pool) < size:  # at the start, and to replace a worker that is gone
                try:
                    pool.append(worker.Worker(ctx, options.max_memory))
                except worker.StoppedError as err:
                    i = queue.popleft()
                    yield i, _stopped_entry(paths[i], str(err))
            if not pool:  # the last files went to workers that could not start
                continue
            for w in pool:
                if w.ready and w.task is None and queue:
                    i = queue.popleft()
                    w.give(i, (_entry, (str(paths[i]), None, options)))
            busy = [w.since + options.timeout for w in pool if w.task is not None]
            wait(
                [x for w in pool for x in w.handles()],
                max(0.0, min(busy) - time.monotonic()) if busy else None,
            )
            alive = []
            for w in pool:
                index = w.task
                try:
                    done = w.poll(options.timeout)
                except worker.StoppedError as err:
                    w.stop(kill=True)
                    if index is None:  # it failed to start
                        index = queue.popleft() if queue else None
                    if index is not None:
                        yield index, _stopped_entry(paths[index], str(err))
                    continue
                if done:
                    i, (kind, value) = done
                    yield i, value if kind == "ok" else _stopped_entry(paths[i], str(value))
                if w.proc.is_alive():
                    alive.append(w)
            pool = alive  # the loop's head replaces the workers that are gone, while files are left
    finally:
        for w in pool:
            w.stop(kill=w.task is not None)  # still busy only when interrupted (Ctrl-C, an error)


# --- a Dask cluster -----------------------------------------------------------------------------------


def _run_dask(
    client: Any, paths: Sequence[Path], todo: list[int], options: Options
) -> Generator[tuple[int, Entry], None, None]:
    """Run on the cluster `client` is connected to (and close it), keeping a bounded number of files in flight.

    Workers need the same `auditor` installed. They read each file by path (shared storage), or get
    its bytes with `dask_bytes`. The window (two files per worker thread) bounds memory when bytes are
    sent. Each task audits in a child process of its Dask worker, killed at the timeout
    (`_stoppable_entry`); a nanny's worker keeps one warm interpreter per thread for it.
    """
    from distributed import as_completed

    with client:
        client.run(_start_kept, options.max_memory)
        window = 2 * max(1, sum(client.nthreads().values()))
        queue = deque(todo)
        index: dict[Any, int] = {}
        running = as_completed()  # type: ignore[no-untyped-call]

        def submit() -> None:
            i = queue.popleft()
            data = _read(paths[i], options.limits.file_bytes) if options.dask_bytes else None
            # absolute: a worker resolves a relative path from its own folder, not the client's
            fut = client.submit(_stoppable_entry, str(paths[i].absolute()), data, options, pure=False)
            index[fut] = i
            running.add(fut)  # type: ignore[no-untyped-call]

        while queue and len(index) < window:
            submit()
        for fut in running:
            i = index.pop(fut)
            try:
                entry = fut.result()
                if "error" in entry:  # named as the user named it, as the local pool names it
                    entry = {**entry, "file": str(paths[i])}
            except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: the file failed, the batch goes on
                entry = render.error_entry(str(paths[i]), f"{paths[i].name}: the cluster failed on it: {err}")
            yield i, entry
            if queue:
                submit()


def _start_kept(max_memory: int | None, dask_worker: Any) -> None:
    """On a Dask worker (`client.run` passes it), before the tasks: a warm child for each of its threads,
    kept for later batches too (`worker.start_kept`).
    """
    worker.start_kept(dask_worker.state.nthreads, max_memory, _warm)


class ClusterError(Exception):
    """The --dask address does not lead to a scheduler; one line for the user."""


_DASK_ADDRESS = re.compile(r"(?:(?:tcp|tls|ws|wss|ucx)://)?[^\s/]+:\d+|inproc://\S+")  # host:port, or in-process
CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler before the batch is refused


def _connect(client: Any, address: str) -> Any:
    """A client of the scheduler at `address`, or ClusterError saying why not.

    Whatever answers there is read as Dask's protocol: an HTTP server's bytes become a frame length of
    exabytes (numpy refuses it), a closed port a timeout; each becomes one line, before any file is sent.
    """
    if not _DASK_ADDRESS.fullmatch(address):
        raise ClusterError(f"--dask {address}: not a scheduler address; write it as tcp://HOST:PORT")
    try:
        return client(address, timeout=CONNECT_TIMEOUT)
    except Exception as err:  # noqa: BLE001 - OSError, TimeoutError, ValueError or MemoryError from a foreign server
        detail = " ".join(str(err).split())[:160] or type(err).__name__
        raise ClusterError(f"--dask {address}: no Dask scheduler answered there ({detail})") from err


def _read(path: Path, limit: int) -> bytes | None:
    """The file's bytes to send, or None to let the worker's loader say why it cannot be read."""
    try:
        return path.read_bytes() if path.stat().st_size <= limit else None
    except OSError:
        return None
