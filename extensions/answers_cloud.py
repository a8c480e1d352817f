"""Where the cloud resources go: the region, and the prefix of every resource name."""

from __future__ import annotations

import re

from . import infrastructure

MAX_REGION_LENGTH = 32
# Region names as each cloud spells them, with the default a new project starts in (the records
# of choices/cloud_provider).
CLOUD_REGIONS: dict[str, tuple[re.Pattern[str], str, str]] = {
    name: (re.compile(record.region.pattern), record.region.default, record.region.example)
    for name, record in infrastructure.CLOUD_PROVIDERS.items()
    if record.region
}

# Letters and digits only: Azure storage accounts allow no hyphen, and a short prefix leaves
# room for the suffixes in bucket and registry names.
RESOURCE_PREFIX_PATTERN = re.compile(r"[a-z][a-z0-9]{2,11}")


def default_cloud_region(cloud: str) -> str:
    """The region a new project starts in, or "" when there is no cloud."""
    known = CLOUD_REGIONS.get(cloud)
    return known[1] if known else ""


def cloud_region_problem(value: str, cloud: str) -> str:
    """Why a region name is not one the cloud would accept, or "".

    Checks the shape of the name only, and its length (at most 32 characters); Terraform reports
    a region that does not exist.

    >>> print(cloud_region_problem("eu-west-1", "gcp"))
    'eu-west-1' is not a gcp region name like 'europe-west1' or 'us-central1'.
    """
    known = CLOUD_REGIONS.get(cloud)
    if known is None or (known[0].fullmatch(value) and len(value) <= MAX_REGION_LENGTH):
        return ""
    return f"'{value}' is not a {cloud} region name like {known[2]}."


def resource_prefix_from_slug(slug: str) -> str:
    """The slug's letters and digits, starting with a letter, cut to 12 characters
    (padded with "model" when the slug has fewer than three)."""
    prefix = re.sub(r"[^a-z0-9]", "", slug).lstrip("0123456789")[:12]
    return prefix if len(prefix) >= 3 else f"{prefix}model"[:12]


def resource_prefix_problem(value: str) -> str:
    """Why a cloud resource name prefix cannot be used, or "".

    Refuses anything but 3 to 12 lowercase letters and digits starting with a letter: Azure
    storage account names allow nothing else, and the short prefix leaves room for the suffixes
    cloud names need.

    >>> print(resource_prefix_problem("my-ml"))
    'my-ml' is not a resource prefix: use 3 to 12 lowercase letters and digits, starting with a
    letter (cloud names such as Azure storage accounts allow nothing else).
    """
    if not RESOURCE_PREFIX_PATTERN.fullmatch(value):
        return (
            f"'{value}' is not a resource prefix: use 3 to 12 lowercase letters and digits, "
            "starting with a letter (cloud names such as Azure storage accounts allow nothing else)."
        )
    return ""
