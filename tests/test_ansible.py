"""Tier 2 (matrix): `cloud_provider: onprem` renders infra/ansible instead of infra/terraform, and
its playbook passes ansible-lint's production profile, a syntax check and a dry run on this
machine that changes nothing outside the test's temporary folder.

The dry run (`ansible-playbook --check --diff`) targets localhost through a `local` connection
with become off, and aims every path of the roles at tmp_path and every user and group at names
that do not exist: check mode then creates no user, folder or file, which the test verifies.
systemd is not PID 1 here, so the service is not managed in the dry run; the health check runs
alone (`--tags health`, which only sends GETs) against a stub `/health` server on a free port.
ansible-core and ansible-lint come from `.venv-ansible` (requirements/ansible.lock), made on first use.
"""

from __future__ import annotations

import http.server
import json
import pwd
import subprocess
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_copie.plugin import Copie

from extensions.infrastructure import CLOUD_PROVIDERS
from tests.helpers import render
from tests.local_http import free_port
from tests.tool_venvs import tool_venv

pytestmark = pytest.mark.matrix

SERVERS = CLOUD_PROVIDERS["onprem"].servers
# A public key of the right shape; nothing signs in with it.
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnlyATestKeyNothingSignsInWithIt0000000 test@example"
# Users and groups the dry run names: absent from this machine, so check mode cannot touch one.
ABSENT = "ansiblecheck"


@pytest.fixture(scope="module")
def onprem(copie_session: Copie) -> Path:
    return render(copie_session, init_git=False, cloud_provider="onprem", organization="acme")


def ansible_bin() -> Path:
    return tool_venv("ansible")


def ansible(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """An Ansible command of .venv-ansible, its bin first on PATH (ansible-lint calls
    ansible-playbook), with no user configuration read."""
    env = {
        "PATH": f"{ansible_bin()}:/usr/bin:/bin",
        "HOME": str(cwd),
        "ANSIBLE_CONFIG": str(cwd / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": str(cwd / ".ansible-tmp"),
        "ANSIBLE_HOME": str(cwd / ".ansible-home"),
    }
    return subprocess.run(
        [str(ansible_bin() / args[0]), *args[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def lint_findings(folder: Path) -> list[dict[str, Any]]:
    """ansible-lint's findings on a folder, production profile, as codeclimate JSON."""
    result = ansible(["ansible-lint", "--profile", "production", "--offline", "-f", "json", "."], folder)
    findings: list[dict[str, Any]] = json.loads(result.stdout or "[]")
    assert result.returncode == (2 if findings else 0), result.stdout + result.stderr
    return findings


@pytest.fixture
def playbook(onprem: Path, tmp_path: Path) -> Path:
    """A copy of infra/ansible in tmp_path, with an inventory of localhost over a local
    connection and the roles' paths and names aimed at tmp_path and absent users."""
    folder = tmp_path / "ansible"
    subprocess.run(["cp", "-r", str(onprem / "infra" / "ansible"), str(folder)], check=True)
    target = tmp_path / "target"
    inventory = {
        "ml_servers": {
            "hosts": {
                "localhost": {
                    "ansible_connection": "local",
                    "ansible_python_interpreter": str(ansible_bin() / "python"),
                }
            }
        }
    }
    (folder / "inventory.yml").write_text(yaml.safe_dump(inventory), encoding="utf-8")
    variables = {
        "ansible_become": False,
        "mlflow_server_user": f"{ABSENT}-mlflow",
        "mlflow_server_group": f"{ABSENT}-mlflow",
        "mlflow_server_home": str(target / "opt" / "mlflow"),
        "mlflow_server_data_dir": str(target / "var" / "lib" / "mlflow"),
        "mlflow_server_config_dir": str(target / "etc" / "mlflow"),
        "mlflow_server_unit_dir": str(target / "etc" / "systemd" / "system"),
        "mlflow_server_service": f"{ABSENT}-mlflow",
        # No systemd as PID 1 on this machine (a container): the service is left alone.
        "mlflow_server_manage_service": False,
        # The one task a dry run runs for real installs these: not on this machine.
        "mlflow_server_module_packages": [],
        "dvc_remote_user": f"{ABSENT}-dvc",
        "dvc_remote_group": f"{ABSENT}-dvc",
        "dvc_remote_home": str(target / "var" / "lib" / "dvc"),
        "dvc_remote_path": str(target / "srv" / "dvc"),
        "dvc_remote_authorized_keys": [KEY],
    }
    (folder / "test-vars.yml").write_text(yaml.safe_dump(variables), encoding="utf-8")
    return folder


def test_onprem_renders_ansible_and_no_terraform(onprem: Path) -> None:
    assert SERVERS is not None
    assert not (onprem / "infra" / "terraform").exists()
    assert not list(onprem.rglob("*.tf"))
    assert (onprem / "infra" / "ansible" / "site.yml").is_file()
    assert (onprem / "infra" / "ansible" / "roles" / "mlflow_server" / "tasks" / "main.yml").is_file()
    config = (onprem / ".dvc" / "config").read_text()
    assert "remote = local" in config
    assert f"url = ssh://{SERVERS.dvc_user}@{SERVERS.host}/srv/dvc/my-ml-project" in config
    dev = " ".join(tomllib.loads((onprem / "pyproject.toml").read_text())["dependency-groups"]["dev"])
    assert "dvc-ssh>=" in dev
    assert "dvc-s3" not in dev
    makefile = (onprem / "Makefile").read_text()
    assert "infra-apply:" in makefile
    assert "ansible-lint --profile production" in makefile
    assert "terraform" not in makefile
    # The server runs the project's own MLflow range (the full package: the server is in it).
    defaults = yaml.safe_load(
        (onprem / "infra" / "ansible" / "roles" / "mlflow_server" / "defaults" / "main.yml").read_text()
    )
    runtime = tomllib.loads((onprem / "pyproject.toml").read_text())["project"]["dependencies"]
    skinny = next(dep for dep in runtime if dep.startswith("mlflow-skinny"))
    assert defaults["mlflow_server_package"] == skinny.replace("mlflow-skinny", "mlflow")
    # CI signs in to no cloud and plans no Terraform.
    workflows = "\n".join(path.read_text() for path in (onprem / ".github" / "workflows").glob("*.yml"))
    assert "terraform" not in workflows
    for record in CLOUD_PROVIDERS.values():
        for step in (*record.github_login, *record.github_registry_login):
            assert step.name not in workflows


def test_without_mlflow_no_tracking_server_is_set_up(copie: Copie) -> None:
    project = render(copie, init_git=False, cloud_provider="onprem", experiment_tracking="none")
    assert not (project / "infra" / "ansible" / "roles" / "mlflow_server").exists()
    assert "mlflow_server" not in (project / "infra" / "ansible" / "site.yml").read_text()
    assert (project / "infra" / "ansible" / "roles" / "dvc_remote").is_dir()


def test_ansible_lint_production_profile_finds_nothing(onprem: Path, tmp_path: Path) -> None:
    assert lint_findings(onprem / "infra" / "ansible") == []
    # The failing half: a task with a short module name, no name and a bare command is found.
    folder = tmp_path / "ansible"
    subprocess.run(["cp", "-r", str(onprem / "infra" / "ansible"), str(folder)], check=True)
    tasks = folder / "roles" / "dvc_remote" / "tasks" / "main.yml"
    tasks.write_text(tasks.read_text() + "\n- command: echo hello\n", encoding="utf-8")
    rules = {finding["check_name"].split("[")[0] for finding in lint_findings(folder)}
    assert {"fqcn", "name", "no-changed-when"} <= rules


def test_the_playbook_passes_the_syntax_check(onprem: Path) -> None:
    folder = onprem / "infra" / "ansible"
    args = ["ansible-playbook", "--syntax-check", "-i", "inventory.example.yml", "site.yml"]
    result = ansible(args, folder)
    assert result.returncode == 0, result.stdout + result.stderr


def recap(output: str) -> dict[str, int]:
    """The counts of the PLAY RECAP line of localhost."""
    line = next(line for line in output.splitlines() if line.startswith("localhost") and "ok=" in line)
    return {key: int(value) for key, value in (field.split("=") for field in line.split()[2:])}


def test_check_mode_on_localhost_changes_nothing(playbook: Path, tmp_path: Path) -> None:
    args = ["ansible-playbook", "-e", "@test-vars.yml", "--check", "--diff", "site.yml"]
    result = ansible(args, playbook)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    counts = recap(output)
    # Every task that would set something up says so; nothing failed.
    assert counts["failed"] == 0
    assert counts["changed"] >= 12, counts
    # The diff shows what a real run would write: the hardened unit and the restricted keys.
    hardening = ("NoNewPrivileges=true", "ProtectSystem=strict", "ProtectHome=true", "CapabilityBoundingSet=")
    for line in hardening:
        assert f"+{line}" in output, line
    assert f"+restrict {KEY}" in output
    assert "--serve-artifacts" in output
    # Check mode wrote nothing: no folder under the target, no user or group on this machine.
    assert not (tmp_path / "target").exists()
    for name in (f"{ABSENT}-mlflow", f"{ABSENT}-dvc"):
        with pytest.raises(KeyError):
            pwd.getpwnam(name)


def test_the_play_stops_without_the_teams_keys(playbook: Path) -> None:
    args = ["ansible-playbook", "-e", "@test-vars.yml", "-e", '{"dvc_remote_authorized_keys": []}', "--check"]
    result = ansible([*args, "site.yml"], playbook)
    assert result.returncode != 0
    assert "Set dvc_remote_authorized_keys" in result.stdout


class Health(http.server.BaseHTTPRequestHandler):
    """MLflow's /health: "OK" once the server is up."""

    def do_GET(self) -> None:
        status = 200 if self.path == "/health" else 404
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads Ansible's output, not the server's."""
        pass


@pytest.fixture
def health_server() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def health_run(playbook: Path, port: int) -> subprocess.CompletedProcess[str]:
    """The health check alone, for real (it only sends GETs), against 127.0.0.1:port."""
    extra = {"mlflow_server_port": port, "mlflow_server_health_retries": 2, "mlflow_server_health_delay": 1}
    args = ["ansible-playbook", "-e", "@test-vars.yml", "-e", json.dumps(extra), "--tags", "health"]
    return ansible([*args, "site.yml"], playbook)


def test_the_health_check_asks_the_server_and_fails_without_one(playbook: Path, health_server: int) -> None:
    up = health_run(playbook, health_server)
    assert up.returncode == 0, up.stdout + up.stderr
    assert recap(up.stdout)["ok"] >= 2
    assert "Wait until the MLflow server answers /health" in up.stdout
    # Only the health check ran: tagged alone, nothing else of the play was attempted.
    assert "Create the MLflow system user" not in up.stdout
    down = health_run(playbook, free_port())
    assert down.returncode != 0
    assert "FAILED - RETRYING" in down.stdout


def test_make_infra_check_runs_ansible_lint_or_says_it_skipped(onprem: Path, tmp_path: Path) -> None:
    make = subprocess.run(["sh", "-c", "command -v make"], capture_output=True, text=True, check=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").symlink_to(make.stdout.strip())
    env = {"HOME": str(tmp_path), "ANSIBLE_HOME": str(tmp_path / ".ansible"), "ANSIBLE_NOCOLOR": "1"}

    def infra_check(path: str) -> subprocess.CompletedProcess[str]:
        args = [str(bin_dir / "make"), "infra-check"]
        environment = {**env, "PATH": path}
        return subprocess.run(args, cwd=onprem, env=environment, capture_output=True, text=True, check=False)

    skipped = infra_check(f"{bin_dir}:/bin")
    assert skipped.returncode == 0, skipped.stderr
    assert "infra-check skipped: no ansible-lint or ansible-playbook on PATH" in skipped.stdout
    checked = infra_check(f"{ansible_bin()}:{bin_dir}:/usr/bin:/bin")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Profile 'production' was required, and it passed" in checked.stdout + checked.stderr
    assert "playbook: site.yml" in checked.stdout
