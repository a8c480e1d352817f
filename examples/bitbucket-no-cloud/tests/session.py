"""The session's training, which many tests read, and what the tests do when it fails.

When the project's params.yaml makes training fail (a warning that the pytest settings turn into
an error, say `max_iter` too low for the solver to converge), one test fails with the cause
(`test_the_session_trains_on_the_project_params`), the tests that read the session's model are
skipped naming it, and so are the tests that train the same way and fail with the same error:
one cause, one failure, instead of an error for every test.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class SessionTraining:
    """The folder trained once for the session, or the error that stopped its training."""

    folder: Path
    failure: Exception | None = None

    @property
    def cause(self) -> str:
        """The failure in one line, as a skip reason shows it."""
        text = str(self.failure).strip().splitlines()
        return f"{type(self.failure).__name__}: {text[0] if text else ''}"

    def fail_with_the_cause(self) -> None:
        """Fails the test that calls it with the failure's whole traceback, while there is one."""
        if self.failure is not None:
            pytest.fail("".join(traceback.format_exception(self.failure)), pytrace=False)

    def folder_or_skip(self) -> Path:
        """The trained folder; skips the test that asks while the session's training failed."""
        if self.failure is not None:
            pytest.skip(f"the session's training failed ({self.cause}): see {FAILING_TEST}")
        return self.folder

    def same_cause(self, error: BaseException) -> bool:
        """Whether `error` is the session training's own failure, met again by a test."""
        failure = self.failure
        return failure is not None and type(error) is type(failure) and str(error) == str(failure)


FAILING_TEST = "test_the_session_trains_on_the_project_params"
SESSION_TRAINING = pytest.StashKey[SessionTraining]()


def train_for_session(session: pytest.Session, folder: Path, stages: Callable[[], object]) -> SessionTraining:
    """Run the stages into `folder` once; their failure is kept for the tests, not raised in each."""
    try:
        stages()
    # Any error, a warning that the pytest settings turn into one included: FAILING_TEST reports it.
    except Exception as error:
        training = SessionTraining(folder, error)
    else:
        training = SessionTraining(folder)
    session.stash[SESSION_TRAINING] = training
    return training


def skip_on_the_same_cause(item: pytest.Item) -> Iterator[None]:
    """A test whose setup or body fails with the session training's own error is skipped naming
    it. pytest runs it as the two hooks below, which the conftest imports: pytest finds hooks there."""
    try:
        return (yield)
    except Exception as error:
        training = item.session.stash.get(SESSION_TRAINING, None)
        if training is None or not training.same_cause(error):
            raise
        pytest.skip(f"fails as the session's training did ({training.cause})")


pytest_runtest_setup = pytest.hookimpl(wrapper=True)(skip_on_the_same_cause)
pytest_runtest_call = pytest.hookimpl(wrapper=True)(skip_on_the_same_cause)
