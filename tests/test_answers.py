"""Tier 0: free-text answers, as copier.yml's validators see them and as the files write them.

Each bad answer goes through its question's validator expression from copier.yml, rendered by
Jinja with the template's filters as Copier renders it, so a validator that is not wired to its
question fails here too. The matrix tier checks a sample of them through `copier copy`.
"""

from __future__ import annotations

import tomllib
from typing import Any

import jinja2
import pytest
import yaml

from extensions import context, data, filters
from tests.helpers import TEMPLATE_ROOT

pytestmark = pytest.mark.static

QUESTIONS: dict[str, Any] = {
    name: spec
    for name, spec in yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
ENVIRONMENT = jinja2.Environment(extensions=[filters.TemplateFilters], autoescape=False)
# Answers the validators of cloud_region read besides their own.
OTHER_ANSWERS = {"cloud_provider": "aws", "python_version": "3.12"}

LONG = "x" * 65
BAD_ANSWERS: list[tuple[str, str, str]] = [
    # project_name
    ("project_name", "Churn\u200bModel", "invisible or control characters (found U+200B)"),
    ("project_name", "Churn\u202emodel", "invisible or control characters (found U+202E)"),
    ("project_name", "\ufeffChurn", "invisible or control characters (found U+FEFF)"),
    ("project_name", "Churn\u00a0Model", "invisible or control characters (found U+00A0)"),
    ("project_name", "De\u0301tection", "Unicode NFC"),
    ("project_name", "Churn\u2028Model", "must be a single line"),
    ("project_name", " Churn", "must not start or end with spaces"),
    ("project_name", "Churn\t", "must not start or end with spaces"),
    ("project_name", "{{ 7 * 7 }}", "Jinja delimiters"),
    ("project_name", "Churn {% if x %}", "Jinja delimiters"),
    ("project_name", "Churn $(reboot)", "must not contain '$'"),
    ("project_name", "Churn `id`", "must not contain '`'"),
    ("project_name", "<script>", "must not contain '<' or '>'"),
    ("project_name", LONG, "at most 64 characters (got 65)"),
    ("project_name", "../..", "at least one letter or digit"),
    # project_slug
    ("project_slug", "churn/model", "not a valid project slug"),
    ("project_slug", "..", "not a valid project slug"),
    ("project_slug", "churn\\model", "not a valid project slug"),
    ("project_slug", "churn;rm", "not a valid project slug"),
    ("project_slug", "ch\u0075rn\u2010model", "not a valid project slug"),
    ("project_slug", "\uff43hurn", "not a valid project slug"),
    ("project_slug", "churn-model ", "not a valid project slug"),
    ("project_slug", "pandas", "cannot depend on itself"),
    ("project_slug", "scikit-learn", "cannot depend on itself"),
    ("project_slug", "con", "device name on Windows"),
    ("project_slug", LONG, "at most 64 characters"),
    # package_name
    ("package_name", "churn.model", "not a valid package name"),
    ("package_name", "churn/model", "not a valid package name"),
    ("package_name", "çhurn", "not a valid package name"),
    ("package_name", "_churn", "not a valid package name"),
    ("package_name", "lpt1", "device name on Windows"),
    ("package_name", "src", "folder or tool name"),
    ("package_name", "conftest", "folder or tool name"),
    ("package_name", "os", "standard library module 'os'"),
    ("package_name", "numpy", "dependency 'numpy'"),
    ("package_name", "lambda", "Python keyword"),
    # description
    ("description", "Scores churn\n", "must not start or end with spaces"),
    ("description", "Scores\rchurn", "must be a single line"),
    ("description", "Scores \x1b[31mchurn", "invisible or control characters (found U+001B)"),
    ("description", "Scores {# churn #}", "Jinja delimiters"),
    ("description", "Scores ${{ secrets.TOKEN }}", "Jinja delimiters"),
    ("description", "x" * 201, "at most 200 characters"),
    # author_name
    ("author_name", "Jane\u200dDoe", "invisible or control characters (found U+200D)"),
    ("author_name", "Jane Doe <jane@example.com>", "e-mail address"),
    ("author_name", "Jane $(id)", "must not contain '$'"),
    ("author_name", "Jane\nDoe", "must be a single line"),
    ("author_name", " ", "must not be empty"),
    # author_email
    ("author_email", "jane@example.com\n", "not an e-mail address"),
    ("author_email", "$(id)@example.com", "not an e-mail address"),
    ("author_email", "`id`@example.com", "not an e-mail address"),
    ("author_email", "jane..doe@example.com", "not an e-mail address"),
    ("author_email", ".jane@example.com", "not an e-mail address"),
    ("author_email", "jane/../x@example.com", "not an e-mail address"),
    ("author_email", "jané@example.com", "not an e-mail address"),
    ("author_email", "j" * 65 + "@example.com", "at most 64 characters before the '@'"),
    ("author_email", "jane@" + "a" * 250 + ".com", "at most 254 characters"),
    # organization
    ("organization", "acme/../ml", "not a GitHub or GitLab owner"),
    ("organization", "/acme", "not a GitHub or GitLab owner"),
    ("organization", "acme\\ml", "not a GitHub or GitLab owner"),
    ("organization", "acme;ml", "not a GitHub or GitLab owner"),
    ("organization", "acme.git", "not a GitHub or GitLab owner"),
    ("organization", "\u0430cme", "not a GitHub or GitLab owner"),
    # code_owners
    ("code_owners", "@acme\n@evil", "single spaces"),
    ("code_owners", " @acme", "single spaces"),
    ("code_owners", "@acme  @b", "single spaces"),
    ("code_owners", "@acme;@b", "is not a code owner"),
    ("code_owners", "@acme/../b", "is not a code owner"),
    ("code_owners", "$(id)@example.com", "is not a code owner"),
    # cloud_region, resource_prefix
    ("cloud_region", "eu-west-1; rm -rf /", "is not a aws region name"),
    ("cloud_region", "eu-" + "west" * 10 + "-1", "is not a aws region name"),
    ("resource_prefix", "ml/prod", "is not a resource prefix"),
    ("resource_prefix", "mlprodénv", "is not a resource prefix"),
]

# Valid, however much they look like an attack: each must be accepted and survive every format.
HOSTILE_BUT_VALID: list[tuple[str, str]] = [
    ("project_name", 'Détection "fraude" l\'été \\ 🚀'),
    ("project_name", "山田 Forecast"),
    ("description", 'Scores "churn" risk \\ weekly 🚀 # not a comment: {not jinja} `code` $HOME <b>'),
    ("description", "Prévision des départs \u2013 顧客離反 👩‍🔬"),
    ("author_name", 'O\'Brien "Ops" Team \\ 山田'),
    ("author_name", "Zoë Ørsted-Łukasiewicz"),
    ("author_email", "o'brien+ml@example.co.uk"),
]


def validator_message(question: str, answer: Any) -> str:
    """What Copier shows for this answer: the question's validator rendered with it."""
    template = ENVIRONMENT.from_string(QUESTIONS[question]["validator"])
    return template.render({**OTHER_ANSWERS, question: answer}).strip()


def test_at_least_forty_bad_answers_across_every_free_text_question() -> None:
    free_text = {name for name, spec in QUESTIONS.items() if spec["type"] == "str" and "choices" not in spec}
    tried = {question for question, _, _ in BAD_ANSWERS}

    assert len(BAD_ANSWERS) >= 40
    assert tried == free_text


@pytest.mark.parametrize(("question", "answer", "message"), BAD_ANSWERS)
def test_bad_answer_is_refused_with_a_message(question: str, answer: str, message: str) -> None:
    assert message in validator_message(question, answer)


@pytest.mark.parametrize(("question", "answer"), HOSTILE_BUT_VALID)
def test_hostile_but_valid_answer_is_accepted(question: str, answer: str) -> None:
    assert validator_message(question, answer) == ""


@pytest.mark.parametrize(
    "text", [answer for _, answer in HOSTILE_BUT_VALID] + ["tab\there", "nul\x00bell\x07"]
)
def test_free_text_survives_toml_and_yaml_as_its_own_characters(text: str) -> None:
    toml_value = filters.toml_string(text)
    yaml_value = filters.yaml_string(text)

    assert tomllib.loads(f"value = {toml_value}\n")["value"] == text
    assert yaml.safe_load(f"value: {yaml_value}\n")["value"] == text
    assert yaml.safe_load(f"- {yaml_value}\n") == [text]
    # Printable characters (and the joiner of emoji sequences) are written as themselves.
    kept = [char for char in text if char.isprintable() or char == "\u200d"]
    assert all(char in toml_value and char in yaml_value for char in kept)
    assert ("\\u" in toml_value) == (len(kept) + text.count("\t") < len(text))


def test_a_lone_surrogate_is_refused_rather_than_written() -> None:
    with pytest.raises(ValueError, match="lone surrogate"):
        filters.toml_string("\ud83d")


def test_the_hook_derives_once_per_set_of_answers() -> None:
    answers = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    answers |= {"organization": "acme", "project_slug": "churn", "resource_prefix": "churn"}
    hook = context.DerivedContext(jinja2.Environment())
    context.derived_context.cache_clear()

    first, second = dict(answers), dict(answers)
    hook.hook(first)
    hook.hook(second)
    hook.hook({**answers, "organization": "other"})

    assert first == second
    assert first["repository_path"] == "acme/churn"
    assert context.derived_context.cache_info().misses == 2
    assert context.derived_context.cache_info().hits == 1
