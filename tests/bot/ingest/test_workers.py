"""The worker pool: jobs run in other processes, workers are reused, a job past its time limit
kills its worker (which is replaced) and the event loop keeps running meanwhile."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator

import pytest

from bot.ingest.workers import InlineWork, WorkerLost, WorkerPool, WorkTimeout
from tests.bot.ingest import workjobs

# Generous: a spawned worker on a loaded 2-core machine may take a while to import.
TIMEOUT = 5.0


@pytest.fixture
async def pool() -> AsyncIterator[WorkerPool]:
    work = WorkerPool(1, TIMEOUT)
    try:
        yield work
    finally:
        await work.aclose()


async def test_a_job_runs_in_another_process_and_the_worker_is_reused(pool: WorkerPool) -> None:
    first = await pool.run(workjobs.pid_of_worker)
    second = await pool.run(workjobs.pid_of_worker)
    assert first == second != os.getpid()
    assert pool.started == 1


async def test_an_exception_comes_back_and_the_worker_lives_on(pool: WorkerPool) -> None:
    before = await pool.run(workjobs.pid_of_worker)
    with pytest.raises(ValueError, match="rusak"):
        await pool.run(workjobs.fail, "rusak")
    assert await pool.run(workjobs.pid_of_worker) == before


async def test_a_job_past_its_limit_is_killed_and_its_worker_replaced() -> None:
    pool = WorkerPool(1, 0.5)
    try:
        first = await pool.run(workjobs.pid_of_worker)
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        ticker = asyncio.create_task(tick())
        with pytest.raises(WorkTimeout, match=r"longer than 0\.5 s"):
            await pool.run(workjobs.spin_forever)
        ticker.cancel()
        # The loop kept running while the worker spun (a thread would have held the GIL).
        assert ticks > 1
        replacement = await pool.run(workjobs.pid_of_worker)
        assert replacement != first and pool.started == 2
    finally:
        await pool.aclose()


async def test_a_dead_worker_is_reported_and_replaced(pool: WorkerPool) -> None:
    first = await pool.run(workjobs.pid_of_worker)
    with pytest.raises(WorkerLost):
        await pool.run(workjobs.die)
    assert await pool.run(workjobs.pid_of_worker) != first


async def test_closing_stops_every_worker() -> None:
    pool = WorkerPool(2, TIMEOUT)
    pids = set(await asyncio.gather(*(pool.run(workjobs.pid_of_worker) for _ in range(4))))
    assert 1 <= len(pids) <= 2
    await pool.aclose()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(RuntimeError, match="closed"):
        await pool.run(workjobs.pid_of_worker)


async def test_inline_work_runs_here() -> None:
    assert await InlineWork().run(workjobs.pid_of_worker) == os.getpid()


async def test_what_a_worker_logs_is_logged_by_the_parent(pool: WorkerPool, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), pytest.raises(ValueError, match="rusak"):
        await pool.run(workjobs.log_and_fail, "rusak")
    said, caught = [r for r in caplog.records if r.name == workjobs.__name__]
    assert said.getMessage() == "job says rusak" and said.process != os.getpid()
    assert caught.getMessage() == f"job caught pid={said.process}" and "KeyError: 'rusak'" in (caught.exc_text or "")
