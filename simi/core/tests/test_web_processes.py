"""Issue 13 F6: a gunicorn master killed with SIGKILL left its workers
serving and holding the port, so that the restarted master could not bind it.

Real gunicorn masters with deploy/gunicorn.conf.py; each process is stopped
by its own pid (and its session's group, which the test started).
"""

from __future__ import annotations

import configparser
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from simi.core.tests.processes import (
    ROOT,
    Child,
    child_env,
    free_port,
    http_get,
    start_web,
    suite_database_url,
    wait_for,
    wait_until_serving,
)

pytestmark = pytest.mark.processes

DEPLOY = ROOT / "deploy"


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if not path.exists():
        pytest.skip("needs Linux /proc/<pid>/task/<pid>/children")
    return [int(child) for child in path.read_text().split()]


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _serves(port: int) -> bool:
    try:
        http_get(port, "/healthz")
    except OSError:
        return False
    return True


@pytest.fixture
def web_env(transactional_db: None) -> dict[str, str]:
    return child_env(suite_database_url())


def _web(env: dict[str, str], log: Path, port: int, config: Path | None = None) -> Child:
    return start_web(env, log, port=port, workers=2, config=config)


@pytest.fixture
def started() -> Iterator[list[Child]]:
    children: list[Child] = []
    yield children
    for child in children:
        child.stop()


def _orphaned_workers(web: Child, port: int) -> list[int]:
    """Kill the master outright; return its workers' pids."""
    wait_until_serving(web, port)
    workers = wait_for(lambda: len(_children(web.pid)) == 2 and _children(web.pid), timeout=30,
                       what="two workers")  # fmt: skip
    web.signal(signal.SIGKILL)
    web.wait(timeout=10)
    return workers


def test_killing_the_master_takes_its_workers_with_it(web_env, tmp_path, started):
    # given SIMI served by a gunicorn master and two workers
    port = free_port()
    web = _web(web_env, tmp_path / "web.log", port)
    started.append(web)
    workers = _orphaned_workers(web, port)
    # when the master was killed with SIGKILL (above)
    killed_at = time.monotonic()
    # then its workers stop too, within seconds, and nothing serves the port
    wait_for(lambda: not any(_running(pid) for pid in workers), timeout=20,
             what="the workers to exit")  # fmt: skip
    gone_in = time.monotonic() - killed_at
    assert not _serves(port)
    # and a new master (the service manager's restart) binds the port and serves
    restarted = _web(web_env, tmp_path / "restarted.log", port)
    started.append(restarted)
    wait_until_serving(restarted, port)
    assert http_get(port, "/healthz")[0] in (200, 503)  # 503: no worker heartbeat here
    assert "Address already in use" not in restarted.output()
    print(f"workers gone {gone_in:.1f} s after the master was killed")
    assert gone_in < 10, gone_in


def test_without_the_post_fork_hook_the_workers_outlive_their_master(web_env, tmp_path, started):
    # given the same settings but for the post_fork hook (as before the fix)
    config = tmp_path / "gunicorn_without_hook.py"
    config.write_text(
        "import runpy\n"
        f"globals().update(runpy.run_path({str(DEPLOY / 'gunicorn.conf.py')!r}))\n"
        "del post_fork\n"
    )
    port = free_port()
    web = _web(web_env, tmp_path / "web.log", port, config)
    started.append(web)
    # when the master is killed with SIGKILL
    workers = _orphaned_workers(web, port)
    time.sleep(3)
    # then the orphaned workers still serve the port (the finding reproduced)
    assert any(_running(pid) for pid in workers)
    assert _serves(port)


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / name)
    return unit


@pytest.mark.parametrize("name", ["simi-web.service", "simi-worker.service"])
def test_the_service_units_restart_and_stop_the_whole_group(name, tmp_path):
    # given the systemd unit
    service = _unit(name)["Service"]
    # then a process that dies is started again, and a stop (or the main
    # process dying) ends every process of the unit, the main one first
    assert service["Restart"] in ("on-failure", "always")
    assert int(service["RestartSec"]) <= 5
    assert service["KillMode"] == "mixed"
    assert service["KillSignal"] == "SIGTERM"
    assert service["ExecStart"].split()[0].startswith("/")
    # and systemd itself accepts the unit (where it is installed)
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return
    copy = tmp_path / name
    text = (DEPLOY / name).read_text()
    copy.write_text(text.replace(service["ExecStart"], "/bin/true"))  # paths of the target
    done = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
