"""Fixtures of the wire-fidelity suite (issue 3): our AWS simulator and moto, driven by boto3 and
the AWS CLI, compared field by field.

Environment (set by scripts/test):
  CUTOVER_MOTO_FIXTURE  the fixture JSON of a running moto_server with signature checking on
                        (scripts/moto_fixture.py start)
  CUTOVER_AWS_SIM       the built `cutover-aws-sim` binary; when unset the suite builds it with
                        `swift build --product cutover-aws-sim` and uses `swift build --show-bin-path`

Nothing is ever skipped: a missing dependency or an unset/broken environment fails the run.
"""
import importlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _require_python_packages():
    missing = []
    for module in ("boto3", "botocore", "moto"):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if missing:
        pytest.exit(f"wire-fidelity: Python package(s) {', '.join(missing)} missing; run scripts/bootstrap", returncode=3)


_require_python_packages()

import wf  # noqa: E402  (needs boto3, checked above)


def pytest_collection_modifyitems(config, items):
    # Tests that advance the simulator's clock run last: the AWS CLI signs at real time, and the
    # simulator's virtual clock never runs backwards.
    items.sort(key=lambda item: 1 if item.get_closest_marker("advances_clock") else 0)


def pytest_configure(config):
    config.addinivalue_line("markers", "advances_clock: the test moves the simulator's virtual clock forward (runs last)")


# --- moto ---------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def moto_fixture():
    path = os.environ.get("CUTOVER_MOTO_FIXTURE")
    if not path:
        pytest.fail("CUTOVER_MOTO_FIXTURE is not set: start moto with `python3 scripts/moto_fixture.py start` "
                    "(scripts/test does) and export the path it prints", pytrace=False)
    try:
        with open(path) as f:
            fixture = json.load(f)
    except (OSError, ValueError) as e:
        pytest.fail(f"CUTOVER_MOTO_FIXTURE={path} is unreadable: {e}", pytrace=False)
    assert fixture["accountA"] == wf.ACCOUNT_A and fixture["accountB"] == wf.ACCOUNT_B, fixture
    return fixture


@pytest.fixture(scope="session")
def moto(moto_fixture):
    backend = wf.Backend("moto", moto_fixture["endpoint"], moto_fixture["accessKeyId"], moto_fixture["secretAccessKey"],
                         moto_fixture["roleArnB"])
    try:
        ident = backend.client("sts").get_caller_identity()
    except Exception as e:  # noqa: BLE001 - any failure here means moto is not usable
        pytest.fail(f"moto at {backend.endpoint} does not answer GetCallerIdentity: {e}", pytrace=False)
    assert ident["Account"] == wf.ACCOUNT_A, ident
    return backend


# --- the simulator ------------------------------------------------------------------------------

def _simulator_binary():
    binary = os.environ.get("CUTOVER_AWS_SIM")
    if binary:
        if not os.access(binary, os.X_OK):
            pytest.fail(f"CUTOVER_AWS_SIM={binary} is not an executable", pytrace=False)
        return binary
    swift = shutil.which("swift")
    if not swift:
        pytest.fail("CUTOVER_AWS_SIM is unset and swift is not on PATH; run scripts/bootstrap", pytrace=False)
    build = subprocess.run([swift, "build", "--product", "cutover-aws-sim"], cwd=REPO, capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"swift build --product cutover-aws-sim failed:\n{build.stdout[-3000:]}{build.stderr[-3000:]}", pytrace=False)
    bin_path = subprocess.run([swift, "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(bin_path, "cutover-aws-sim")


SIM_KEY_ID, SIM_SECRET = "AKIAWIREFIDELITYA001", "wire-fidelity-secret-a/0123456789abcdefghij"


@pytest.fixture(scope="session")
def sim_process(tmp_path_factory):
    binary = _simulator_binary()
    work = tmp_path_factory.mktemp("sim")
    port_file = work / "port"
    log = open(work / "sim.log", "w")
    proc = subprocess.Popen([binary, "--port", "0", "--port-file", str(port_file), "--virtual-clock", "--seed", "7"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None:
                pytest.fail(f"cutover-aws-sim exited with {proc.returncode}: {(work / 'sim.log').read_text()}", pytrace=False)
            if time.time() > deadline:
                pytest.fail(f"cutover-aws-sim wrote no port file in 30 s: {(work / 'sim.log').read_text()}", pytrace=False)
            time.sleep(0.05)
        yield f"http://127.0.0.1:{int(port_file.read_text().strip())}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def sim(sim_process):
    """The simulator seeded like moto: A 123456789012 with an IAM user and fixed keys, B
    222222222222 with the role CutoverTarget that A may assume (scripts/moto_fixture.py)."""
    backend = wf.SimBackend(sim_process, SIM_KEY_ID, SIM_SECRET, f"arn:aws:iam::{wf.ACCOUNT_B}:role/{wf.ROLE_B}")
    seeded = backend.admin("POST", "/_sim/seed", {"accounts": [
        {"id": wf.ACCOUNT_A, "name": "legacy",
         "users": [{"name": "cutover-conformance", "accessKeyId": SIM_KEY_ID, "secretAccessKey": SIM_SECRET}]},
        {"id": wf.ACCOUNT_B, "name": "product",
         "roles": [{"name": wf.ROLE_B, "trustedPrincipals": [wf.ACCOUNT_A]},
                   # For the simulator-only STS tests (moto evaluates neither trust nor ExternalId).
                   {"name": "TrustsSomeoneElse", "trustedPrincipals": ["999999999999"]},
                   {"name": "NeedsExternalId", "trustedPrincipals": [wf.ACCOUNT_A], "externalId": "cutover-ext"}]},
    ]})
    assert seeded["roles"][0] == backend.role_arn_b, seeded
    return backend


@pytest.fixture(scope="session")
def backends(sim, moto):
    return {"sim": sim, "moto": moto}


@pytest.fixture(scope="session")
def run_id():
    """Makes names unique per run: moto outlives the suite (scripts/test shares it with the Swift
    conformance tests), so bucket and DB names must not collide with earlier runs."""
    return uuid.uuid4().hex[:8]


@pytest.fixture
def name(run_id, request):
    """A fresh resource name per call, the same on both backends (so answers compare)."""
    counter = iter(range(1000))

    def make(stem):
        return f"wf-{run_id}-{stem}-{next(counter)}"[:63]
    return make
