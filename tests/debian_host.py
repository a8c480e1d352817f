"""A fresh Debian 12 server to aim the onprem playbook at: a debootstrapped root with systemd,
sshd, sudo and python3 (what a minimal cloud image has), booted as a systemd container by podman
on the host's network, its sshd on a loopback port.

The root is built once and cached as a tarball (~/.cache/ml-template/), then unpacked afresh for
every boot, so each test meets a host nothing has touched. Each boot gets a new SSH host key and
the test's own key for the `admin` account (passwordless sudo, as cloud images set it up).
podman's default runtime (crun) cannot set resource limits in some sandboxes: the container runs
on runc with explicit limits.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.local_base_image import CA_BUNDLE, debootstrap
from tests.debian_root import CACHE as CACHE_FOLDER
from tests.debian_root import copy_host_files
from tests.local_http import free_port

SUITE = "bookworm"
PACKAGES = ("systemd-sysv", "openssh-server", "sudo", "python3", "ca-certificates")
CACHE = CACHE_FOLDER / f"debian-host-{SUITE}.tar"
USER = "admin"
PODMAN_RUN = [
    "podman", "run", "--detach", "--runtime", "runc", "--systemd=always", "--cap-add", "SYS_ADMIN",
    "--network=host", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
]  # fmt: skip

MISSING = [
    tool for tool in ("podman", "runc", "debootstrap", "ssh", "ssh-keygen") if shutil.which(tool) is None
]
if os.geteuid() != 0:
    MISSING.append("root (debootstrap and a systemd container need it)")


@dataclass(frozen=True)
class Host:
    """A booted host: where its sshd listens, the key that signs in, the known_hosts that
    trusts its host key, and the container to ask (podman exec) and tear down."""

    port: int
    key: Path
    known_hosts: Path
    container: str

    def inventory_vars(self) -> dict[str, str | int]:
        """An Ansible inventory's connection variables for the host, host key checking on (OpenSSH
        reads the ~/.ssh/config of the account's passwd entry, not of $HOME: a test cannot use one)."""
        return {
            "ansible_host": "127.0.0.1",
            "ansible_port": self.port,
            "ansible_ssh_private_key_file": str(self.key),
            "ansible_ssh_common_args": " ".join(self.ssh_options()),
        }

    def ssh_options(self) -> list[str]:
        return ["-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "StrictHostKeyChecking=yes",
                "-o", "IdentitiesOnly=yes", "-i", str(self.key)]  # fmt: skip

    def ssh_config(self, alias: str) -> str:
        """An ~/.ssh/config block naming the host as `alias`, host key checking on (for DVC's
        SSH client, which reads it from $HOME)."""
        return (
            f"Host {alias}\n    HostName 127.0.0.1\n    Port {self.port}\n    IdentityFile {self.key}\n"
            f"    IdentitiesOnly yes\n    UserKnownHostsFile {self.known_hosts}\n"
            "    StrictHostKeyChecking yes\n"
        )

    def execute(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["podman", "exec", self.container, *command], capture_output=True, text=True, check=False
        )


def chroot(root: Path, *command: str) -> None:
    subprocess.run(["chroot", str(root), *command], check=True, capture_output=True)


def build_root(root: Path) -> None:
    """Debian 12 with the packages a fresh server has, an `admin` with passwordless sudo, and no
    SSH host key (each boot makes its own)."""
    debootstrap(root, SUITE, PACKAGES)
    chroot(root, "useradd", "--create-home", "--shell", "/bin/bash", "--groups", "sudo", USER)
    (root / "etc" / "sudoers.d" / USER).write_text(f"{USER} ALL=(ALL) NOPASSWD: ALL\n", encoding="utf-8")
    for key in (root / "etc" / "ssh").glob("ssh_host_*"):
        key.unlink()


def cached_root() -> Path:
    """The tarball of the root, built unless cached; one process builds it at a time."""
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with (CACHE.parent / f"{CACHE.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not CACHE.is_file():
            building = CACHE.parent / f"{CACHE.stem}-build"
            shutil.rmtree(building, ignore_errors=True)
            build_root(building)
            partial = CACHE.with_suffix(".partial")
            subprocess.run(["tar", "-C", str(building), "-cf", str(partial), "."], check=True)
            partial.rename(CACHE)
            shutil.rmtree(building)
    return CACHE


def configure_sshd(root: Path, port: int) -> str:
    """sshd on 127.0.0.1:port, keys only, with a new host key; returns its public line."""
    host_key = root / "etc" / "ssh" / "ssh_host_ed25519_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
    settings = [f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey /{host_key.relative_to(root)}"]
    settings.append("PasswordAuthentication no")
    (root / "etc" / "ssh" / "sshd_config.d" / "loopback.conf").write_text(
        "\n".join(settings) + "\n", encoding="utf-8"
    )
    return " ".join(host_key.with_suffix(".pub").read_text(encoding="utf-8").split()[:2])


def unpack(root: Path, port: int, public_key: Path) -> str:
    """A fresh copy of the cached root that signs `public_key` in as admin, its sshd on
    127.0.0.1:port; returns the public line of its new host key."""
    root.mkdir()
    subprocess.run(["tar", "-C", str(root), "-xf", str(cached_root())], check=True)
    # The machine's CA bundle and pip configuration: a network that re-signs TLS works in the host too.
    copy_host_files(root)
    if CA_BUNDLE.is_file():
        shutil.copy(CA_BUNDLE, root / CA_BUNDLE.relative_to("/"))
    ssh_dir = root / "home" / USER / ".ssh"
    ssh_dir.mkdir(mode=0o700)
    shutil.copy(public_key, ssh_dir / "authorized_keys")
    chroot(root, "chown", "-R", f"{USER}:{USER}", f"/home/{USER}/.ssh")
    return configure_sshd(root, port)


def wait_for_ssh(host: Host, timeout: float = 120) -> None:
    """Return once the admin account signs in over SSH, host key checked."""
    deadline = time.monotonic() + timeout
    command = ["ssh", "-F", "none", "-o", "BatchMode=yes", *host.ssh_options(), "-p", str(host.port)]
    command += [f"{USER}@127.0.0.1", "true"]
    while True:
        signed_in = subprocess.run(command, capture_output=True, text=True, check=False)
        if signed_in.returncode == 0:
            return
        assert time.monotonic() < deadline, f"no SSH on 127.0.0.1:{host.port}: {signed_in.stderr}"
        time.sleep(1)


@contextmanager
def booted_host(folder: Path) -> Iterator[Host]:
    """A fresh host booted from the cached root in `folder`; torn down afterwards, whatever happened."""
    port = free_port()
    folder.mkdir()
    key = folder / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(key)], check=True)
    host_key = unpack(folder / "root", port, key.with_suffix(".pub"))
    known_hosts = folder / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {host_key}\n", encoding="utf-8")
    host = Host(port=port, key=key, known_hosts=known_hosts, container=f"ansible-host-{uuid.uuid4().hex[:8]}")
    command = [*PODMAN_RUN, "--name", host.container, "--rootfs", str(folder / "root"), "/sbin/init"]
    try:
        subprocess.run(command, check=True, capture_output=True)
        wait_for_ssh(host)
        yield host
    finally:
        subprocess.run(
            ["podman", "rm", "--force", "--time", "0", host.container], capture_output=True, check=False
        )
