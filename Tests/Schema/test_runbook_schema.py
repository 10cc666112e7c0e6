"""The runbook JSON Schema: valid draft 2020-12, accepts every shipped runbook, and rejects the
broken runbooks of the Swift loader's corpus that a schema can recognise (the rest need the
loader: duplicate ids, cycles, undeclared accounts, step inputs)."""

import json
import pathlib

import jsonschema
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "Runbooks" / "schema" / "runbook-v1.schema.json"
CORPUS = ROOT / "Tests" / "RunbookTests" / "Corpus"
RUNBOOKS = sorted(p for p in (ROOT / "Runbooks").rglob("*.yaml"))

# Corpus files whose problems are structural, so the schema must reject them too.
SCHEMA_CATCHES = [
    "missing-required-keys.yaml",
    "unknown-keys.yaml",
    "wrong-types.yaml",
    "bad-durations.yaml",
    "bad-timestamps.yaml",
    "bad-enum-values.yaml",
    "unsupported-version.yaml",
    "bad-approval-policy.yaml",
    "parallel-shapes.yaml",
    "many-problems.yaml",
    "account-id-mismatch.yaml",
]


class StringLoader(yaml.SafeLoader):
    """Keeps timestamps as text, as the Swift loader does (PyYAML would make them datetimes)."""


StringLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=StringLoader)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_valid_draft_2020_12():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_there_are_runbooks_to_check():
    names = {p.name for p in RUNBOOKS}
    assert {"engine-demo.yaml", "admin-console-cutover.yaml"} <= names


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_runbook_validates(validator, path):
    errors = sorted(validator.iter_errors(load_yaml(path)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("name", SCHEMA_CATCHES)
def test_schema_rejects_broken_corpus_runbooks(validator, name):
    document = load_yaml(CORPUS / name)
    assert list(validator.iter_errors(document)), f"{name} passed the schema"


def runbook_with(step):
    return {"apiVersion": "cutover/v1", "name": "one-step", "region": "us-east-1", "steps": [step]}


def test_uses_names_a_type_of_the_catalog(validator):
    """The `uses:` values are generated from the step catalog, so an editor completes them and flags
    a misspelt one; a type the daemon does not know fails here as it fails `cutoverctl validate`."""
    assert not list(validator.iter_errors(runbook_with({"id": "x", "uses": "http.check", "with": {"url": "https://a.example/"}})))
    assert list(validator.iter_errors(runbook_with({"id": "x", "uses": "s3.move-buckt"})))
    assert list(validator.iter_errors(runbook_with({"id": "x", "uses": "Not A Type"})))


def test_with_is_checked_per_step_type(validator):
    """Each type's `with:` keys are its inputs and nothing else; numbers and durations may be
    whole-value references the planner resolves."""
    good = {"id": "h", "uses": "http.check", "with": {"url": "https://a.example/", "status": 204, "within": "2m"}}
    assert not list(validator.iter_errors(runbook_with(good)))
    referenced = {"id": "h", "uses": "http.check", "with": {"url": "${steps.dns.outputs.url}", "status": "${params.status}"}}
    assert not list(validator.iter_errors(runbook_with(referenced)))
    misspelt = {"id": "h", "uses": "http.check", "with": {"ur": "https://a.example/"}}
    assert list(validator.iter_errors(runbook_with(misspelt)))
    wrong_kind = {"id": "h", "uses": "http.check", "with": {"url": "https://a.example/", "status": "two hundred"}}
    assert list(validator.iter_errors(runbook_with(wrong_kind)))
    missing = {"id": "h", "uses": "http.check", "with": {"status": 200}}
    assert list(validator.iter_errors(runbook_with(missing)))
