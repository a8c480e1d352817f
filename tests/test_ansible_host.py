"""Project tier (extended): the onprem playbook sets up a fresh Debian 12 server over SSH, and the
project's data goes there and back with `dvc push` and `dvc pull`.

The server is a systemd container (tests/debian_host.py: root, podman, runc and debootstrap; the
test is skipped naming what is missing). The project is rendered with MLflow, its inventory names
the server as the example inventory does, and an ~/.ssh/config (the test's HOME) maps that name
to the container's loopback port, its key and a known_hosts holding the server's host key: host
key checking stays on. Everything runs as a team runs it: `make infra-apply` (a dry run first, on
the fresh host, then two applies and a dry run again), then `uv run dvc ...` with the remote
`.dvc/config` names.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pytest_copie.plugin import Copie

from extensions.clouds import Servers
from extensions.infrastructure import CLOUD_PROVIDERS
from tests.debian_host import MISSING, Host, booted_host
from tests.helpers import TOOLS_BIN, render, run, tool_env, warning_lines
from tests.local_http import free_port, status_of
from tests.tool_venvs import tool_venv

pytestmark = [
    pytest.mark.project,
    pytest.mark.extended,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"needs {', '.join(MISSING)} (.ci/run installs the tools with apt-get when it runs as root)",
    ),
]


def onprem_servers() -> Servers:
    servers = CLOUD_PROVIDERS["onprem"].servers
    assert servers is not None
    return servers


SERVERS = onprem_servers()
DATA = Path("data") / "raw" / "customers.csv"


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    started = time.monotonic()
    with booted_host(tmp_path / "host") as booted:
        print(f"host booted in {time.monotonic() - started:.0f} s (cached root unpacked included)")
        yield booted


@pytest.fixture
def home(tmp_path: Path, host: Host) -> Path:
    """The team member's HOME: an ~/.ssh/config that names the example host."""
    folder = tmp_path / "home"
    (folder / ".ssh").mkdir(parents=True, mode=0o700)
    (folder / ".ssh" / "config").write_text(host.ssh_config(SERVERS.host), encoding="utf-8")
    return folder


def write_inventory(project: Path, host: Host, mlflow_port: int) -> None:
    """The example inventory with the host's address, the test's key as the team's, and MLflow on
    a free port (the server shares this machine's network)."""
    folder = project / "infra" / "ansible"
    inventory = yaml.safe_load((folder / "inventory.example.yml").read_text(encoding="utf-8"))
    inventory["ml_servers"]["hosts"][SERVERS.host].update(host.inventory_vars())
    team_key = host.key.with_suffix(".pub").read_text(encoding="utf-8").strip()
    inventory["ml_servers"]["vars"].update(
        dvc_remote_authorized_keys=[team_key], mlflow_server_port=mlflow_port
    )
    (folder / "inventory.yml").write_text(yaml.safe_dump(inventory), encoding="utf-8")


def infra_apply(project: Path, home: Path, ansible_args: str = "") -> tuple[dict[str, int], str]:
    """`make infra-apply` with Ansible's venv first on PATH; the counts of its PLAY RECAP, and
    its output."""
    path = f"{tool_venv('ansible')}:/usr/bin:/bin"
    env = tool_env({"PATH": path, "HOME": str(home), "ANSIBLE_NOCOLOR": "1"})
    started = time.monotonic()
    output = run(["make", "infra-apply", f"ANSIBLE_ARGS={ansible_args}"], cwd=project, env=env, timeout=1200)
    recap = next(
        line for line in output.splitlines() if line.startswith(f"{SERVERS.host} ") and "ok=" in line
    )
    counts = {key: int(value) for key, value in (field.split("=") for field in recap.split()[2:])}
    print(f"make infra-apply {ansible_args or '(apply)'}: {time.monotonic() - started:.0f} s, {counts}")
    assert counts["failed"] == 0, output
    return counts, output


def assert_a_first_dry_run_changes_only_what_its_modules_need(project: Path, home: Path, host: Host) -> None:
    """On the fresh host, `--check` reports what it would set up, warns only that the owners it
    would create do not exist yet, installs the two packages its modules need and nothing else,
    and does not ask systemd about a unit it has not written."""
    counts, output = infra_apply(project, home, "--check --diff")
    assert counts["changed"] > 0, counts
    owners = {f"{kind} {name}" for kind in ("user", "group") for name in ("mlflow", SERVERS.dvc_user)}
    warned = {
        line.split(".")[0].removeprefix("[WARNING]: failed to look up ") for line in warning_lines(output)
    }
    assert warned == owners, output
    assert host.execute("dpkg-query", "--show", "python3-apt", "python3-packaging").returncode == 0
    for absent in ("/opt/mlflow", "/etc/systemd/system/mlflow.service", "/srv/dvc"):
        assert host.execute("test", "-e", absent).returncode != 0, absent
    assert host.execute("id", "mlflow").returncode != 0
    for header in (
        "TASK [mlflow_server : Enable and start the MLflow service]",
        "HANDLER [mlflow_server : Restart MLflow]",
    ):
        # The line after the header's: its outcome.
        assert output.split(header)[1].splitlines()[1].startswith("skipping:"), output


def dvc(project: Path, home: Path, *args: str) -> str:
    """DVC from the project's own environment, signing in as the docs say (~/.ssh/config)."""
    uv = str(TOOLS_BIN / "uv")
    # uv's cache stays the machine's: another HOME would install the environment from scratch.
    env = tool_env({"HOME": str(home), "UV_CACHE_DIR": run([uv, "cache", "dir"], cwd=project).strip()})
    return run([uv, "run", "dvc", *args], cwd=project, env=env)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_the_data_goes_to_the_host_and_back(project: Path, home: Path, host: Host) -> None:
    """The remote `.dvc/config` names, made the default as the README says: `dvc push`, then
    `dvc pull` with no cache and no data file, brings the same bytes back."""
    dvc(project, home, "remote", "default", "cloud")
    # The line of the URL: uv's own messages share the output.
    printed = dvc(project, home, "config", "remote.cloud.url").splitlines()
    url = urlsplit(next(line for line in printed if line.startswith("ssh://")))
    assert url.hostname == SERVERS.host
    pointer = f"{DATA}.dvc"
    dvc(project, home, "commit", "--force", pointer)
    expected = digest(project / DATA)
    assert "1 file pushed" in dvc(project, home, "push", pointer)
    stored = host.execute("find", url.path, "-type", "f")
    assert len(stored.stdout.split()) == 1, stored.stdout
    shutil.rmtree(project / ".dvc" / "cache")
    (project / DATA).unlink()
    assert "1 file fetched" in dvc(project, home, "pull", pointer)
    assert digest(project / DATA) == expected


def test_the_playbook_sets_up_a_fresh_host_for_mlflow_and_dvc(copie: Copie, host: Host, home: Path) -> None:
    project = render(copie, cloud_provider="onprem", package_manager="uv", python_version="3.11")
    mlflow_port = free_port()
    write_inventory(project, host, mlflow_port)

    assert_a_first_dry_run_changes_only_what_its_modules_need(project, home, host)
    applied, _ = infra_apply(project, home)
    assert applied["changed"] > 0, applied
    again, output = infra_apply(project, home)
    assert again["changed"] == 0, output
    assert warning_lines(output) == [], output
    dry_run, output = infra_apply(project, home, "--check --diff")
    assert dry_run["changed"] == 0, output
    assert warning_lines(output) == [], output

    active = host.execute("systemctl", "is-active", "mlflow")
    assert active.stdout.strip() == "active", active.stdout + active.stderr
    assert status_of(f"http://127.0.0.1:{mlflow_port}/health") == 200
    assert_the_data_goes_to_the_host_and_back(project, home, host)
