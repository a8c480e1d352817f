"""Which CI jobs run on which event: the lists the CI files' header comments and pipelines read.

Which CI jobs run on which event: the lists the CI files' header comments and pipelines read
(`ci_jobs`), so that no CI file rebuilds them from the answers. Built on `ci.required_checks`
(delivery.py) and the CI service's record (choices/ci_provider/<value>.yml)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .branching import BRANCHING_MODELS
from .ci_providers import CI_PROVIDERS
from .container import builds_image
from .delivery import ci_facts
from .iac_tools import IAC_TOOLS, chosen_tool
from .infrastructure import hosting_values


@dataclass(frozen=True)
class Trigger:
    """One event of a CI file's header comment, and the jobs it runs in the order they run."""

    event: str
    jobs: tuple[str, ...]


@dataclass(frozen=True)
class InfraCheck:
    """The job that checks infra/ on a request, and what it does."""

    job: str
    purpose: str


# The team's own servers: infra/ansible, checked on every request and push.
ANSIBLE_CHECK = InfraCheck(
    "ansible", "`make infra-check`: ansible-lint and a syntax check of `infra/ansible`"
)


@dataclass(frozen=True)
class CiJobs:
    """The project's CI jobs by event, with the job names of its CI service."""

    # The gate jobs of a request that run side by side (Bitbucket's parallel steps): the
    # required checks, then `ansible`, which checks the team's own servers.
    first_stage: tuple[str, ...]
    # The same on a push to a protected branch: without the jobs that only a request changing
    # infra/ runs (they never report on pushes).
    first_stage_on_pushes: tuple[str, ...]
    # Gate jobs that wait for the model job's artifact (the image build): a second stage.
    after_model: tuple[str, ...]
    # The header comment's events that depend on the answers, each with its jobs.
    triggers: tuple[Trigger, ...]
    # The jobs that check infra/ (the IaC tool's, or ansible for the team's servers).
    infra_checks: tuple[InfraCheck, ...]


def ci_jobs(answers: Mapping[str, str]) -> CiJobs:
    """The jobs of one set of answers. A record's `image_jobs` end with the image build; the
    ones before it hand the trained model over, and a release runs them too."""
    image, ci = builds_image(answers), ci_facts(answers)
    provider = CI_PROVIDERS[answers["ci_provider"]]
    hand_over = _only(image, *provider.image_jobs[:-1])
    after_model = _only(bool(hand_over), *provider.image_jobs[len(hand_over) :])
    gate = (*ci.required_checks, *_only(hosting_values(answers).has_servers, "ansible"))
    tool = chosen_tool(answers)
    infra_changes = (IAC_TOOLS[tool].ci_job,) if tool else ()
    release = _only(image, *hand_over, provider.release_job, *_only(ci.gitops, "gitops"))
    requests = f"{provider.request}s"
    protected = " and ".join(BRANCHING_MODELS[answers["branching_model"]].protected)
    triggers = (
        Trigger(
            f"{requests} and pushes to {protected} (the gate)",
            tuple(job for job in gate if job not in infra_changes),
        ),
        Trigger(f"{requests} that change infra/", infra_changes),
        Trigger("version tags (v1.2.3)", release),
    )
    first_stage = tuple(job for job in gate if job not in after_model)
    return CiJobs(
        first_stage=first_stage,
        first_stage_on_pushes=tuple(job for job in first_stage if job not in infra_changes),
        after_model=after_model,
        triggers=tuple(trigger for trigger in triggers if trigger.jobs),
        infra_checks=infra_checks(answers, provider.request),
    )


def infra_checks(answers: Mapping[str, str], request: str) -> tuple[InfraCheck, ...]:
    """The jobs that check infra/, with what each does in the CI service's words."""
    tool = chosen_tool(answers)
    if tool:
        return (InfraCheck(IAC_TOOLS[tool].ci_job, IAC_TOOLS[tool].ci_check.format(request=request)),)
    return (ANSIBLE_CHECK,) if hosting_values(answers).has_servers else ()


def _only(wanted: bool, *jobs: str) -> tuple[str, ...]:
    """The jobs if the answers call for them, else none."""
    return jobs if wanted else ()


@dataclass(frozen=True)
class CiJobsValues:
    ci_jobs: CiJobs


def ci_jobs_values(answers: Mapping[str, str]) -> CiJobsValues:
    """`ci_jobs` for the context hook."""
    return CiJobsValues(ci_jobs=ci_jobs(answers))
