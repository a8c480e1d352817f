"""Make a local stand-in for the Dockerfile's base image, so that images build with no registry.

    python -m scripts.local_base_image [--tag localhost/python-base:3.11-bookworm]

Debootstraps a minimal Debian bookworm with its own Python 3.11, pip and venv (needs root and
Debian's package archive) and imports it into podman under the tag. A rendered Dockerfile then
builds from it with `--build-arg PYTHON_IMAGE=<tag>`: only Python packages come over the network.
The machine's CA bundle goes into the image, with the variables that make pip, requests and uv
trust it, so that a network which re-signs TLS (as some CI networks do) works inside builds too.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TAG = "localhost/python-base:3.11-bookworm"
SUITE = "bookworm"
PACKAGES = ("python3", "python3-pip", "python3-venv", "python-is-python3", "ca-certificates")
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def image_exists(tag: str) -> bool:
    return subprocess.run(["podman", "image", "exists", tag], check=False).returncode == 0


def debootstrap(rootfs: Path, suite: str = SUITE, packages: tuple[str, ...] = PACKAGES) -> None:
    """A minimal Debian `suite` in `rootfs` with `packages`, its CA bundle the machine's."""
    subprocess.run(
        ["debootstrap", "--variant=minbase", f"--include={','.join(packages)}", suite, str(rootfs)],
        check=True,
        capture_output=True,
    )
    if CA_BUNDLE.is_file():
        shutil.copy(CA_BUNDLE, rootfs / CA_BUNDLE.relative_to("/"))


def build_base_image(tag: str, rootfs: Path) -> None:
    debootstrap(rootfs)
    # The official images let pip install into the system interpreter; Debian's marks it managed.
    for marker in rootfs.glob("usr/lib/python3*/EXTERNALLY-MANAGED"):
        marker.unlink()
    changes = [f"ENV PATH={PATH}", 'CMD ["python3"]']
    if CA_BUNDLE.is_file():
        for variable in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "PIP_CERT"):
            changes.append(f"ENV {variable}={CA_BUNDLE}")
        changes.append("ENV UV_NATIVE_TLS=1")
    archive = rootfs.parent / "rootfs.tar"
    subprocess.run(["tar", "-C", str(rootfs), "-cf", str(archive), "."], check=True)
    options = [item for change in changes for item in ("--change", change)]
    subprocess.run(["podman", "import", *options, str(archive), tag], check=True, capture_output=True)


def ensure_base_image(tag: str = DEFAULT_TAG) -> str:
    """The tag, after building the image unless podman already has it."""
    if not image_exists(tag):
        with tempfile.TemporaryDirectory() as temporary:
            build_base_image(tag, Path(temporary) / "rootfs")
    return tag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default=DEFAULT_TAG)
    print(ensure_base_image(parser.parse_args().tag))


if __name__ == "__main__":
    main()
