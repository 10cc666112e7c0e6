"""Helpers of the wire-fidelity suite: the two backends (our simulator, moto) and the observation /
comparison helpers the tests use. The fixtures that build them live in conftest.py.

The pattern of a test: one scenario function runs the same boto3 calls against a backend and
returns a dict of observations (HTTP status, error code, the response fields our client reads,
normalised); the test runs it on both backends and compares the dicts key by key. Deliberate
differences (moto wrong, see DIFFERENCES.md) are asserted separately, on the simulator only.
"""
import datetime
import json
import re
import threading
import time
import urllib.request

import boto3
import botocore.auth
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT_A, ACCOUNT_B = "123456789012", "222222222222"
ROLE_B = "CutoverTarget"

# --- Signing time -----------------------------------------------------------------------------
# The simulator runs a virtual clock (--virtual-clock) that the RDS tests advance by hours; it
# verifies SigV4 request times against *its* clock (15 minutes of skew, as AWS). So requests to
# the simulator are signed at simulated time, requests to moto at real time. A `before-sign`
# handler on every client this module builds says which clock its next signature uses.
_signing = threading.local()
_real_now = botocore.auth.get_current_datetime


def _signing_now(remove_tzinfo=True):
    clock = getattr(_signing, "clock", None)
    if clock is None:
        return _real_now(remove_tzinfo)
    now = datetime.datetime.fromtimestamp(clock(), datetime.timezone.utc)
    return now.replace(tzinfo=None) if remove_tzinfo else now


botocore.auth.get_current_datetime = _signing_now


def client_config(**extra):
    return Config(region_name=REGION, retries={"total_max_attempts": 1}, s3={"addressing_style": "path"}, **extra)


class Backend:
    """One AWS stand-in: its endpoint, account A's static keys and account B's role."""

    def __init__(self, name, endpoint, key_id, secret, role_arn_b, clock=None):
        self.name, self.endpoint = name, endpoint
        self.key_id, self.secret, self.role_arn_b = key_id, secret, role_arn_b
        self._clock = clock  # epoch seconds to sign at; None = real time
        self._b_credentials = None

    def __repr__(self):
        return f"<{self.name} {self.endpoint}>"

    def _client(self, service, key_id, secret, token=None, **extra):
        c = boto3.client(service, endpoint_url=self.endpoint, aws_access_key_id=key_id, aws_secret_access_key=secret,
                         aws_session_token=token, config=client_config(**extra))
        clock = self._clock
        c.meta.events.register("before-sign", lambda **_: setattr(_signing, "clock", clock))
        return c

    def client(self, service, account="A", **extra):
        """A boto3 client as account A's IAM user, or as account B's role (AssumeRole from A)."""
        if account == "A":
            return self._client(service, self.key_id, self.secret, **extra)
        assert account == "B", account
        creds = self.b_credentials()
        return self._client(service, creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"], **extra)

    def raw_client(self, service, key_id, secret, token=None):
        return self._client(service, key_id, secret, token)

    def b_credentials(self):
        """AssumeRole into B, cached until the (simulated) clock moves."""
        stamp = self._clock() if self._clock else None
        if self._b_credentials is None or self._b_credentials[0] != stamp:
            sts = self.client("sts")
            creds = sts.assume_role(RoleArn=self.role_arn_b, RoleSessionName="wire-fidelity")["Credentials"]
            self._b_credentials = (stamp, creds)
        return self._b_credentials[1]


class SimBackend(Backend):
    """The simulator, plus its admin API (clock, request log)."""

    def __init__(self, endpoint, key_id, secret, role_arn_b):
        self._now = None
        super().__init__("sim", endpoint, key_id, secret, role_arn_b, clock=self.now)
        self.refresh_clock()

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"null")

    def refresh_clock(self):
        self._now = self.admin("GET", "/_sim/clock")["epochSeconds"]

    def now(self):
        return self._now

    def advance(self, seconds):
        self._now = self.admin("POST", "/_sim/clock", {"advanceSeconds": seconds})["epochSeconds"]

    def requests(self, **query):
        q = "&".join(f"{k}={v}" for k, v in query.items())
        return self.admin("GET", "/_sim/requests" + ("?" + q if q else ""))["requests"]


# --- Observations -----------------------------------------------------------------------------

def status_of(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


def observe(fn, *args, pick=None, **kwargs):
    """Calls fn(*args, **kwargs): {"status", "code"} plus pick(response) on success (as "out")."""
    try:
        response = fn(*args, **kwargs)
    except ClientError as e:
        return {"status": e.response["ResponseMetadata"]["HTTPStatusCode"], "code": e.response["Error"].get("Code")}
    result = {"status": status_of(response), "code": None}
    if pick is not None:
        result["out"] = pick(response)
    return result


def error(fn, *args, **kwargs):
    """(status, code) of a call that must fail."""
    try:
        response = fn(*args, **kwargs)
    except ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"].get("Code")
    raise AssertionError(f"{getattr(fn, '__name__', fn)} succeeded, expected an error: {response}")


def compare(sim_obs, moto_obs, ignore=()):
    """Asserts the two observation dicts agree, key by key, except the keys in `ignore` (each of
    those must be a deliberate difference asserted by the caller and listed in DIFFERENCES.md)."""
    assert sim_obs.keys() == moto_obs.keys(), (sorted(sim_obs), sorted(moto_obs))
    diffs = [f"  {k}:\n    sim : {sim_obs[k]!r}\n    moto: {moto_obs[k]!r}"
             for k in sim_obs if k not in ignore and sim_obs[k] != moto_obs[k]]
    assert not diffs, "simulator and moto differ:\n" + "\n".join(diffs)


def run_both(backends, scenario, *args, ignore=()):
    """Runs scenario(backend, *args) on the simulator and on moto and compares; returns both."""
    sim_obs = scenario(backends["sim"], *args)
    moto_obs = scenario(backends["moto"], *args)
    compare(sim_obs, moto_obs, ignore)
    return sim_obs, moto_obs


# --- Normalisers ------------------------------------------------------------------------------

def unquote(etag):
    return etag.strip('"') if etag else etag


def is_md5_etag(etag):
    return re.fullmatch(r'"?[0-9a-f]{32}"?', etag or "") is not None


def is_multipart_etag(etag, parts):
    return re.fullmatch(rf'"?[0-9a-f]{{32}}-{parts}"?', etag or "") is not None


def tags(tag_set):
    return {t["Key"]: t["Value"] for t in tag_set}


def is_date(value):
    return isinstance(value, datetime.datetime)


def retry_until(fn, timeout=5.0):
    deadline = time.time() + timeout
    while True:
        try:
            return fn()
        except AssertionError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
