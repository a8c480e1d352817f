"""Which CI jobs run on which event: the lists the CI files' header comments and pipelines read
(`ci_jobs`), so that no CI file rebuilds them from the answers. Built on `ci.required_checks`
(delivery.py) and the CI service's record (choices/ci_provider/<value>.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .branching import BRANCHING_MODELS
from .ci_providers import CI_PROVIDERS
from .delivery import delivery_values
from .iac_tools import iac_values


@dataclass(frozen=True)
class Trigger:
    """One event of a CI file's header comment, and the jobs it runs in the order they run."""

    event: str
    jobs: tuple[str, ...]


@dataclass(frozen=True)
class CiJobs:
    """The project's CI jobs by event, with the job names of its CI service."""

    # Every job of a pull or merge request: the required checks, then `ansible`, which checks
    # the team's own servers (no repository settings as code require it).
    gate: tuple[str, ...]
    # Gate jobs that only a request changing infra/ runs: they never report on pushes.
    infra_changes: tuple[str, ...]
    # Gate jobs that wait for the model job's artifact (the image build): a second stage.
    after_model: tuple[str, ...]
    # The jobs of a version tag, in order; empty without a serving image.
    release: tuple[str, ...]
    # The header comment's events that depend on the answers, each with its jobs.
    triggers: tuple[Trigger, ...]

    @property
    def first_stage(self) -> tuple[str, ...]:
        """The gate jobs of a request that run side by side (Bitbucket's parallel steps)."""
        return tuple(job for job in self.gate if job not in self.after_model)

    @property
    def first_stage_on_pushes(self) -> tuple[str, ...]:
        """The same on a push to a protected branch: without the jobs of infra/ changes."""
        return tuple(job for job in self.first_stage if job not in self.infra_changes)


def ci_jobs(answers: dict[str, str]) -> CiJobs:
    """The jobs of one set of answers. A record's `image_jobs` end with the image build; the
    ones before it hand the trained model over, and a release runs them too."""
    ci = delivery_values(answers)["ci"]
    provider = CI_PROVIDERS[answers["ci_provider"]]
    hand_over = _only(ci["image"], *provider.image_jobs[:-1])
    gate = (*ci["required_checks"], *_only(ci["ansible"], "ansible"))
    infra_changes = tuple(filter(None, (iac_values(answers)["iac"]["ci_job"],)))
    release = _only(ci["image"], *hand_over, provider.release_job, *_only(ci["gitops"], "gitops"))
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
    return CiJobs(
        gate=gate,
        infra_changes=infra_changes,
        after_model=_only(bool(hand_over), *provider.image_jobs[len(hand_over) :]),
        release=release,
        triggers=tuple(trigger for trigger in triggers if trigger.jobs),
    )


def _only(wanted: bool, *jobs: str) -> tuple[str, ...]:
    """The jobs if the answers call for them, else none."""
    return jobs if wanted else ()


def ci_jobs_values(answers: dict[str, str]) -> dict[str, Any]:
    """`ci_jobs` for the context hook."""
    return {"ci_jobs": ci_jobs(answers)}
