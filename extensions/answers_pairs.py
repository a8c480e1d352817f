"""Validators of two answers that must fit each other, by the records of their choices.

Validators of two answers that must fit each other, by the records of their choices: the ML
framework and the Python version, the orchestrator and the framework and Python version, the
cloud and the CI service, the CI service and the owner, the infrastructure tool and the cloud."""

from __future__ import annotations

from collections.abc import Mapping

from . import ci_providers, frameworks, iac_tools, infrastructure, orchestrators


def framework_python_problem(
    framework: str, python_version: str, records: Mapping[str, frameworks.Framework] | None = None
) -> str:
    """Why the framework's pinned release cannot run on this Python, or "".

    Refuses a framework whose pinned release ships no wheels for the chosen Python version (the
    `python` list of its record, extensions/choices/ml_framework/<framework>.yml).

    >>> print(framework_python_problem("tensorflow", "3.14"))
    TensorFlow ... supports Python ..., not 3.14: choose another framework, or go back and choose
    one of those Python versions.
    """
    support = (frameworks.FRAMEWORKS if records is None else records).get(framework)
    if support is None or python_version in support.python:
        return ""
    versions = ", ".join(support.python)
    return (
        f"{support.release} supports Python {versions}, not {python_version}: choose another "
        "framework, or go back and choose one of those Python versions."
    )


def orchestrator_problem(
    orchestrator: str,
    framework: str,
    python_version: str,
    records: Mapping[str, orchestrators.Orchestrator] | None = None,
) -> str:
    """Why the orchestrator cannot run this framework or Python version, or "".

    Refuses a framework or a Python version that the orchestrator's record
    (extensions/choices/orchestrator/<orchestrator>.yml) leaves out of its non-empty `frameworks`
    or `python` list.

    >>> orchestrator_problem("kubeflow", "pytorch", "3.13")
    ''
    >>> print(orchestrator_problem("tfx", "pytorch", "3.12"))
    TensorFlow Extended (TFX) runs tensorflow models only, not pytorch: choose another
    orchestrator, or go back and choose one of those frameworks.
    """
    record = (orchestrators.ORCHESTRATORS if records is None else records).get(orchestrator)
    if record is None:
        return ""
    if record.frameworks and framework not in record.frameworks:
        return (
            f"{record.label} runs {', '.join(record.frameworks)} models only, not {framework}: choose "
            "another orchestrator, or go back and choose one of those frameworks."
        )
    if record.python and python_version not in record.python:
        return (
            f"{record.label} supports Python {', '.join(record.python)}, not {python_version}: choose "
            "another orchestrator, or go back and choose one of those Python versions."
        )
    return ""


def ci_cloud_problem(
    cloud: str, ci_provider: str, records: Mapping[str, ci_providers.CiProvider] | None = None
) -> str:
    """Why the cloud's CI identity cannot trust the CI service's OIDC tokens, or "".

    Refuses a cloud listed in `oidc.untrusted_by` of the CI service's record
    (extensions/choices/ci_provider/<ci_provider>.yml).

    >>> ci_cloud_problem("aws", "github")
    ''
    >>> print(ci_cloud_problem("azure", "bitbucket"))
    Azure cannot trust Bitbucket's OIDC tokens: its identities need exact subjects, and
    Bitbucket's end with each job's own ID. Choose aws, gcp, none or onprem, or go back and
    choose another CI service.
    >>> ci_cloud_problem("onprem", "bitbucket")
    ''
    """
    provider = (ci_providers.CI_PROVIDERS if records is None else records).get(ci_provider)
    if provider is None or cloud not in provider.oidc.untrusted_by:
        return ""
    # Every other value, `none` and `onprem` too (they sign in to no cloud).
    trusted = [name for name in infrastructure.CLOUD_PROVIDERS if name not in provider.oidc.untrusted_by]
    return (
        f"{infrastructure.CLOUDS[cloud].label} cannot trust {provider.host_label}'s OIDC tokens: its "
        f"identities need exact subjects, and {provider.host_label}'s end with each job's own ID. "
        f"Choose {', '.join(trusted[:-1])} or {trusted[-1]}, or go back and choose another CI service."
    )


def ci_owner_problem(ci_provider: str, organization: str) -> str:
    """Why the owner cannot own a repository on the CI service's host, or "".

    Refuses a group path (`group/subgroup`) where the host's owners are one name (the
    `nested_owners` of extensions/choices/ci_provider/<ci_provider>.yml): the repository URL, the
    image name and the OIDC subjects would name an owner that cannot exist.

    >>> ci_owner_problem("gitlab", "acme/ml")
    ''
    >>> print(ci_owner_problem("github", "acme/ml"))
    GitHub owners are one name, not a group path like 'acme/ml': choose a CI service whose host
    has nested groups (gitlab), or go back and give the owner without '/'.
    """
    provider = ci_providers.CI_PROVIDERS.get(ci_provider)
    if provider is None or provider.nested_owners or "/" not in organization:
        return ""
    nesting = [name for name, record in ci_providers.CI_PROVIDERS.items() if record.nested_owners]
    return (
        f"{provider.host_label} owners are one name, not a group path like {organization!r}: choose "
        f"a CI service whose host has nested groups ({', '.join(nesting)}), or go back and give the "
        "owner without '/'."
    )


def iac_tool_problem(tool: str, cloud: str, records: Mapping[str, iac_tools.IacTool] | None = None) -> str:
    """Why the infrastructure tool cannot create this cloud's resources, or "".

    Refuses a cloud that the tool's record (extensions/choices/iac_tool/<tool>.yml) leaves out
    of its non-empty `clouds` list.

    >>> iac_tool_problem("terraform", "azure")
    ''
    >>> iac_tool_problem("cloudformation", "aws")
    ''
    >>> print(iac_tool_problem("cloudformation", "gcp"))
    AWS CloudFormation creates resources on aws only, not on gcp: choose terraform, or go back and
    choose aws.
    """
    table = iac_tools.IAC_TOOLS if records is None else records
    record = table.get(tool)
    if record is None or not record.clouds or cloud in record.clouds:
        return ""
    others = [name for name, other in table.items() if not other.clouds or cloud in other.clouds]
    return (
        f"{record.label} creates resources on {', '.join(record.clouds)} only, not on {cloud}: "
        f"choose {' or '.join(others)}, or go back and choose {' or '.join(record.clouds)}."
    )
