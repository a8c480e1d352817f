"""Open a Bitbucket pull request from one branch to another, or refresh the open one.

The `template-update` and `gitops` steps of bitbucket-pipelines.yml run this: Bitbucket has no
push option that opens a pull request. It reads the repository from `BITBUCKET_REPO_FULL_NAME`
(set in every step) and a repository access token (repository write, pull requests write) from
the variable `--token-variable` names. A failed request ends the step with one line saying what
to check, not a traceback.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

API = "https://api.bitbucket.org/2.0/repositories"
TIMEOUT = 30
# Enough of an error answer to read Bitbucket's reason, short enough for one log line.
EXCERPT = 300


class ApiError(Exception):
    """A request that got no usable answer; the message names the request and what to check."""


def _excerpt(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read().decode("utf-8", errors="replace")
    except (OSError, http.client.HTTPException):
        return ""
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "..."


def _http_advice(status: int) -> str:
    if status in {401, 403}:
        return (
            "Check the token: a repository access token with repository write and pull requests "
            "write, not expired, in the variable --token-variable names."
        )
    if status == 404:
        return "Check BITBUCKET_REPO_FULL_NAME and that the token belongs to that repository."
    if status >= 500 or status == 429:
        return "Bitbucket is failing or limiting requests: run the step again later."
    return "Check that both branches exist and that the source branch was pushed."


def call(url: str, token: str, method: str = "GET", body: dict[str, Any] | None = None) -> dict[str, Any]:
    """One request to Bitbucket's REST API, answered with JSON; ApiError when there is none."""
    request = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    parts = urllib.parse.urlsplit(url)
    # The query only repeats the branch names: scheme, host and path identify the request.
    where = f"{method} {parts.scheme}://{parts.netloc}{parts.path}"
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer: dict[str, Any] = json.load(response)
    # Before OSError, which it is too: the server did answer.
    except urllib.error.HTTPError as error:
        raise ApiError(
            f"{where} answered HTTP {error.code} {error.reason}: {_excerpt(error) or '(empty body)'}. "
            + _http_advice(error.code)
        ) from error
    # URLError (refused, unknown host), timeouts, resets and answers cut short.
    except (OSError, http.client.HTTPException) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        # A timeout's own text ("timed out") does not say how long the script waited.
        if isinstance(reason, TimeoutError):
            detail = f"no answer within {TIMEOUT} seconds"
        else:
            detail = str(reason) or type(reason).__name__
        raise ApiError(
            f"cannot reach {parts.netloc} ({where}): {detail}. Check the "
            "step's network access to that host (proxy, firewall, DNS), then run the step again."
        ) from error
    except ValueError as error:
        raise ApiError(
            f"{where} answered with something that is not JSON ({error}): is {parts.netloc} the REST API?"
        ) from error
    return answer


def open_request_id(pulls: str, token: str, source: str, destination: str) -> int | None:
    """The ID of the open pull request from source to destination, if there is one."""
    query = f'source.branch.name="{source}" AND destination.branch.name="{destination}" AND state="OPEN"'
    found = call(f"{pulls}?{urllib.parse.urlencode({'q': query})}", token)
    values = found.get("values", [])
    return int(values[0]["id"]) if values else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="the branch with the change")
    parser.add_argument("--destination", required=True, help="the branch it merges into")
    parser.add_argument("--title", required=True)
    parser.add_argument("--description-file", type=Path, help="Markdown description")
    parser.add_argument("--token-variable", required=True, help="the variable holding the token")
    parser.add_argument("--api", default=API, help=f"the REST API's repositories URL (default: {API})")
    options = parser.parse_args(argv)
    token = os.environ.get(options.token_variable, "")
    repository = os.environ.get("BITBUCKET_REPO_FULL_NAME", "")
    if not token or not repository:
        print(f"Needs {options.token_variable} and BITBUCKET_REPO_FULL_NAME.", file=sys.stderr)
        return 1
    description = options.description_file.read_text(encoding="utf-8") if options.description_file else ""
    pulls = f"{options.api.rstrip('/')}/{repository}/pullrequests"
    try:
        return open_or_refresh(pulls, token, options, description)
    except ApiError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def open_or_refresh(pulls: str, token: str, options: argparse.Namespace, description: str) -> int:
    existing = open_request_id(pulls, token, options.source, options.destination)
    fields = {"title": options.title, "description": description}
    if existing is not None:
        call(f"{pulls}/{existing}", token, "PUT", fields)
        print(f"Refreshed pull request #{existing}.")
        return 0
    created = call(
        pulls,
        token,
        "POST",
        {
            **fields,
            "source": {"branch": {"name": options.source}},
            "destination": {"branch": {"name": options.destination}},
            "close_source_branch": True,
        },
    )
    print(f"Opened pull request #{created['id']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
