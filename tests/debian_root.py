"""A Debian root that runs what needs a newer glibc than this machine's, cached as a zstd tarball.

The root is debootstrapped (scripts/local_base_image.py) with Python and a compiler, given this
machine's CA certificates, pip configuration and package-index variables, and entered with
chroot, /proc, /sys and /dev bound. `prepared` builds it once per cache key and unpacks the
tarball after that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from scripts.local_base_image import CA_BUNDLE as LOCAL_CA_BUNDLE
from scripts.local_base_image import debootstrap

CACHE = Path(os.environ.get("ML_TEMPLATE_CACHE", Path.home() / ".cache" / "ml-template"))
# The packages a project's install needs: a compiler and Python's headers for the sdists among
# its dependencies (pyfarmhash has no wheel for every Python), make and git for its Makefile.
PACKAGES = ("python3", "python3-venv", "python3-dev", "g++", "make", "git", "ca-certificates")
MOUNTS = ("proc", "sys", "dev")
HOST_FILES = (Path("/etc/resolv.conf"), Path("/etc/pip.conf"), Path("/usr/local/share/ca-certificates"))
CA_BUNDLE = str(LOCAL_CA_BUNDLE)
PATH = "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin"

MISSING = [tool for tool in ("debootstrap", "chroot", "mount", "zstd") if shutil.which(tool) is None]
if os.geteuid() != 0:
    MISSING.append("root (debootstrap, mount and chroot need it)")


def root_environment(extra: Mapping[str, str] | None = None) -> list[str]:
    """`NAME=value` for `env -i` in the root: a clean environment with this machine's package
    index and certificate settings, so that a network which re-signs TLS works in it too."""
    forwarded = {
        name: value
        for name, value in os.environ.items()
        if name.startswith(("PIP_INDEX", "PIP_EXTRA_INDEX", "UV_INDEX", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX"))
    }
    base = {
        "PATH": PATH,
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "SSL_CERT_FILE": CA_BUNDLE,
        "PIP_CERT": CA_BUNDLE,
        "REQUESTS_CA_BUNDLE": CA_BUNDLE,
        "UV_NATIVE_TLS": "1",
    }
    return [f"{name}={value}" for name, value in {**forwarded, **base, **(extra or {})}.items()]


@contextmanager
def mounted(root: Path) -> Iterator[Path]:
    """The root with /proc, /sys and /dev of this machine bound into it."""
    bound: list[Path] = []
    try:
        for name in MOUNTS:
            subprocess.run(["mount", "--bind", f"/{name}", str(root / name)], check=True)
            bound.append(root / name)
        yield root
    finally:
        for target in reversed(bound):
            subprocess.run(["umount", "--lazy", str(target)], check=False)


def in_root(root: Path, script: str, env: Mapping[str, str] | None = None, timeout: float = 1800) -> str:
    """Run a bash script in the mounted root; on failure the assertion shows its whole output."""
    command = [
        "chroot",
        str(root),
        "env",
        "-i",
        *root_environment(env),
        "bash",
        "-euo",
        "pipefail",
        "-c",
        script,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    assert completed.returncode == 0, f"{script}\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


def copy_host_files(root: Path) -> None:
    """This machine's DNS, pip configuration and extra CA certificates, into `root`."""
    for path in HOST_FILES:
        if path.is_dir():
            shutil.copytree(path, root / path.relative_to("/"), dirs_exist_ok=True)
        elif path.is_file():
            shutil.copy(path, root / path.relative_to("/"))


def _bootstrapped(root: Path, suite: str) -> None:
    debootstrap(root, suite, PACKAGES)
    copy_host_files(root)


def prepared(
    root: Path, suite: str, key: str, install: Callable[[Path], None]
) -> tuple[Path, dict[str, float]]:
    """A root of `suite` at `root` where `install` ran: unpacked from the cached tarball of this
    `key`, else built (debootstrap, then `install` in it, mounted) and cached. The seconds of
    each step taken, and the sizes of the root and the tarball (MB) when it was built."""
    tarball = CACHE / f"root-{suite}-{key}.tar.zst"
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    root.mkdir(parents=True)
    if tarball.exists():
        subprocess.run(["tar", "-C", str(root), "--zstd", "-xf", str(tarball)], check=True)
        seconds["unpack"] = time.perf_counter() - started
        return tarball, seconds
    _bootstrapped(root, suite)
    seconds["debootstrap"] = time.perf_counter() - started
    started = time.perf_counter()
    with mounted(root):
        install(root)
    seconds["install"] = time.perf_counter() - started
    started = time.perf_counter()
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = tarball.with_suffix(".partial")
    # zstd's default level on every core: the tarball is a quarter of the root, read in seconds.
    subprocess.run(
        ["tar", "-C", str(root), "-I", "zstd -T0", "--one-file-system", "-cf", str(partial), "."], check=True
    )
    partial.rename(tarball)
    seconds["pack"] = time.perf_counter() - started
    seconds["root MB"] = _megabytes(root)
    seconds["tarball MB"] = tarball.stat().st_size / 1e6
    return tarball, seconds


def _megabytes(path: Path) -> float:
    return (
        int(
            subprocess.run(
                ["du", "-sk", str(path)], capture_output=True, text=True, check=True
            ).stdout.split()[0]
        )
        / 1e3
    )


def remove_root(root: Path) -> None:
    """The root, once nothing of this machine is mounted in it (a bound /dev must never be
    deleted through it)."""
    if not root.exists():
        return
    mounted_here = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    if any(point.startswith(str(root)) for point in mounted_here):
        raise RuntimeError(f"{root} still has mounts: {mounted_here}")
    subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=True)
    assert not root.exists()
