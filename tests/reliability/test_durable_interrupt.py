"""Issue 17 items 6 and 8: Ctrl-C and fork() during a durable-rules evaluation.

On main a ``KeyboardInterrupt`` at the wrong line left a session counted as alive for ever
(``engine_capacity`` on every later call), a rule set registered but not recorded ("already
registered" for that date for ever), or the C heap corrupted (``munmap_chunk(): invalid
pointer``); a ``fork()`` while another thread evaluated deadlocked the child on the backend lock.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from _packs import pack_rules

import luanchuyen.engine.durable as durable_module
from factories import base_cadre, base_move
from luanchuyen.engine.durable import DurableBackend
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.evaluation import prepare

AS_OF = date(2024, 6, 1)
ROOT = Path(__file__).resolve().parents[2]


def _inputs(rules: Any = None) -> tuple[Any, Any]:
    _, _, _, compiled, derived = prepare(base_cadre(), base_move(), as_of=AS_OF, rules=rules)
    return compiled, derived.facts


def _interrupt_at(step: int) -> Any:
    """A tracer raising KeyboardInterrupt at the ``step``-th line run in durable.py."""
    files = {durable_module.__file__}
    seen = [0]

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename not in files:
            return None
        if event == "line":
            seen[0] += 1
            if seen[0] == step:
                raise KeyboardInterrupt
        return tracer

    return tracer


def _sweep(backend: DurableBackend, compiled: Any, facts: Any, *, fresh: bool) -> int:
    """Interrupt at line 1, 2, 3, … of one evaluation until one completes; check each time."""
    expected = ReferenceBackend().states(compiled, facts)
    step = 0
    while True:
        step += 1
        target = dataclasses.replace(compiled, signature=f"s{step}") if fresh else compiled
        interrupted = False
        sys.settrace(_interrupt_at(step))
        try:
            backend.states(target, facts)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            sys.settrace(None)
        assert backend.states(target, facts) == expected, f"wrong after an interrupt at {step}"
        assert backend.live_sessions == 0
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler or not isinstance(
            signal.getsignal(signal.SIGINT), type(None)
        )
        if not interrupted:
            return step
        assert step < 20_000


def test_keyboard_interrupt_at_every_line_of_an_evaluation() -> None:
    backend = DurableBackend()
    compiled, facts = _inputs()
    backend.states(compiled, facts)  # compiled once: sweep the evaluation itself
    steps = _sweep(backend, compiled, facts, fresh=False)
    assert steps > 20


def test_keyboard_interrupt_at_every_line_of_a_first_compilation(tmp_path: Path) -> None:
    backend = DurableBackend()
    compiled, facts = _inputs(pack_rules(tmp_path, 3, 2))
    steps = _sweep(backend, compiled, facts, fresh=True)  # a new version each time (+ eviction)
    assert steps > 50


def test_ctrl_c_is_delivered_after_the_evaluation_not_inside_it() -> None:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # even if ignored here
    backend = DurableBackend()
    compiled, facts = _inputs()
    expected = ReferenceBackend().states(compiled, facts)
    original = backend._run
    calls = [0]

    def run_and_signal(handle: int, text: str) -> list[str]:
        calls[0] += 1
        if calls[0] == 1:
            os.kill(os.getpid(), signal.SIGINT)  # arrives in the middle of the evaluation
        return original(handle, text)

    backend._run = run_and_signal  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        backend.states(compiled, facts)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    backend._run = original  # type: ignore[method-assign]
    assert backend.states(compiled, facts) == expected
    assert backend.live_sessions == 0
    signal.signal(signal.SIGINT, previous)


CHILD = textwrap.dedent(
    """
    import sys, signal
    count = [0]

    def interrupt(signum, frame):  # counts every SIGINT, then acts as Python's default handler
        count[0] += 1
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)  # even if started with SIGINT ignored
    sys.path.insert(0, "tests")
    from datetime import date
    from factories import base_cadre, base_move
    from luanchuyen.engine.durable import DurableBackend
    from luanchuyen.engine.reference import ReferenceBackend
    from luanchuyen.evaluation import prepare
    _, _, _, compiled, derived = prepare(base_cadre(), base_move(), as_of=date(2024, 6, 1))
    expected = ReferenceBackend().states(compiled, derived.facts)
    backend = DurableBackend()
    done = 0

    def evaluations():
        global done
        while count[0] < 10:
            try:
                if done == 0 and count[0] == 0:
                    print("ready", flush=True)  # inside the try: a signal may follow at once
                assert backend.states(compiled, derived.facts) == expected
                done += 1
            except KeyboardInterrupt:
                pass

    while count[0] < 10:  # a signal between two evaluations lands here, not in the library
        try:
            evaluations()
        except KeyboardInterrupt:
            pass
    interrupted = count[0]
    while True:  # the parent goes on signalling until this process exits
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            break
        except KeyboardInterrupt:
            pass
    assert backend.states(compiled, derived.facts) == expected and backend.live_sessions == 0
    print("ok", done, interrupted, flush=True)
    """
)


def test_real_sigint_to_a_process_evaluating_in_a_loop() -> None:
    """10 real SIGINTs to a process evaluating in a loop: it never aborts, it stays correct."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 240
        while proc.poll() is None and time.monotonic() < deadline:
            proc.send_signal(signal.SIGINT)
            time.sleep(0.013)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    assert out.startswith("ok")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_fork_while_another_thread_evaluates_never_deadlocks_the_child() -> None:
    backend = DurableBackend()
    compiled, facts = _inputs()
    expected = ReferenceBackend().states(compiled, facts)
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            backend.states(compiled, facts)

    thread = threading.Thread(target=work)
    thread.start()
    hung = failed = 0
    try:
        for _ in range(40):  # one child in about 60 aborted when the child drained
            time.sleep(0.003)
            pid = os.fork()
            if pid == 0:  # the child: one evaluation, then leave at once
                try:
                    ok = backend.states(compiled, facts) == expected and backend.live_sessions == 0
                finally:
                    os._exit(0 if ok else 3)
            deadline = time.monotonic() + 10
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    failed += os.waitstatus_to_exitcode(status) != 0
                    break
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    hung += 1
                    break
                time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert (hung, failed) == (0, 0)
