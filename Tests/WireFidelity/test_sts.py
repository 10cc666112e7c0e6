"""STS: GetCallerIdentity and AssumeRole compared with moto (signature checking on in both), and the
trust checks moto skips, asserted on the simulator."""
import re
import time

import wf
from wf import ACCOUNT_A, ACCOUNT_B, ROLE_B, error, observe, run_both


def identities(b):
    sts = b.client("sts")
    o = {}
    me = sts.get_caller_identity()
    o["A identity"] = (wf.status_of(me), me["Account"], me["Arn"], bool(me["UserId"]))
    # DIFFERENCES.md STS-3: moto's user IDs are random lower-case strings, AWS's start with AIDA.
    o["A user id format"] = re.fullmatch(r"AIDA[A-Z0-9]{16,}", me["UserId"]) is not None
    assumed = sts.assume_role(RoleArn=b.role_arn_b, RoleSessionName="wire-fidelity", DurationSeconds=900)
    creds, user = assumed["Credentials"], assumed["AssumedRoleUser"]
    now = b.now() if isinstance(b, wf.SimBackend) else time.time()  # the simulator's clock is virtual
    lifetime = creds["Expiration"].timestamp() - now
    o["assume"] = (wf.status_of(assumed), creds["AccessKeyId"].startswith("ASIA"), len(creds["SecretAccessKey"]) >= 30,
                   bool(creds["SessionToken"]), 800 <= lifetime <= 905, user["Arn"],
                   re.fullmatch(r"AROA[A-Z0-9]{16,}:wire-fidelity", user["AssumedRoleId"]) is not None)
    sts_b = b.raw_client("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    them = sts_b.get_caller_identity()
    o["B identity"] = (them["Account"], them["Arn"], them["UserId"] == user["AssumedRoleId"])
    o["B lists its own buckets"] = observe(b.raw_client("s3", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
                                           .list_buckets, pick=lambda r: "Buckets" in r)
    return o


def test_caller_identity_and_assume_role(backends):
    sim_obs, _ = run_both(backends, identities, ignore={"A user id format"})
    assert sim_obs["A user id format"]
    assert sim_obs["A identity"][1:3] == (ACCOUNT_A, f"arn:aws:iam::{ACCOUNT_A}:user/cutover-conformance")
    assert sim_obs["B identity"][:2] == (ACCOUNT_B, f"arn:aws:sts::{ACCOUNT_B}:assumed-role/{ROLE_B}/wire-fidelity")


def signature_errors(b):
    o = {}
    bad = b.raw_client("sts", b.key_id, b.secret + "x")
    o["sts wrong secret"] = observe(bad.get_caller_identity)
    o["s3 wrong secret"] = observe(b.raw_client("s3", b.key_id, b.secret + "x").list_buckets)
    o["rds wrong secret"] = observe(b.raw_client("rds", b.key_id, b.secret + "x").describe_db_instances)
    o["kms wrong secret"] = observe(b.raw_client("kms", b.key_id, b.secret + "x").list_aliases)
    o["sts unknown key"] = observe(b.raw_client("sts", "AKIAUNKNOWNUNKNOWN00", "nope").get_caller_identity)
    o["s3 unknown key"] = observe(b.raw_client("s3", "AKIAUNKNOWNUNKNOWN00", "nope").list_buckets)
    o["rds unknown key"] = observe(b.raw_client("rds", "AKIAUNKNOWNUNKNOWN00", "nope").describe_db_instances)
    creds = b.b_credentials()
    o["session wrong token"] = observe(b.raw_client("sts", creds["AccessKeyId"], creds["SecretAccessKey"],
                                                    creds["SessionToken"][:-4] + "AAAA").get_caller_identity)
    o["session without token"] = observe(b.raw_client("s3", creds["AccessKeyId"], creds["SecretAccessKey"]).list_buckets)
    return o


def test_signature_and_key_errors(backends):
    sim_obs, moto_obs = run_both(backends, signature_errors, ignore={"kms wrong secret"})
    # DIFFERENCES.md KMS-1: KMS answers a bad signature 400 InvalidSignatureException (KMS API
    # Reference, Common Errors); moto 5.2.1 answers a bare 403.
    assert sim_obs["kms wrong secret"] == {"status": 400, "code": "InvalidSignatureException"}


def test_trust_external_id_and_duration_simulator_only(sim):
    """moto evaluates neither the trust policy nor ExternalId nor MaxSessionDuration (MOTO-NOTES §1);
    AWS refuses with AccessDenied 403 / ValidationError 400 (BC-STS AssumeRole; AWS-NOTES §7.4)."""
    sts = sim.client("sts")
    other = f"arn:aws:iam::{ACCOUNT_B}:role/TrustsSomeoneElse"
    needs_ext = f"arn:aws:iam::{ACCOUNT_B}:role/NeedsExternalId"
    assert error(sts.assume_role, RoleArn=other, RoleSessionName="ss") == (403, "AccessDenied")
    assert error(sts.assume_role, RoleArn=needs_ext, RoleSessionName="ss") == (403, "AccessDenied")
    assert error(sts.assume_role, RoleArn=needs_ext, RoleSessionName="ss", ExternalId="wrong") == (403, "AccessDenied")
    assert wf.status_of(sts.assume_role(RoleArn=needs_ext, RoleSessionName="ss", ExternalId="cutover-ext")) == 200
    assert error(sts.assume_role, RoleArn=f"arn:aws:iam::{ACCOUNT_B}:role/DoesNotExist", RoleSessionName="ss") == (403, "AccessDenied")
    assert error(sts.assume_role, RoleArn=sim.role_arn_b, RoleSessionName="ss", DurationSeconds=43200) == (400, "ValidationError")
    # RoleSessionName must match [\\w+=,.@-]* (BC-STS AssumeRole); moto accepts spaces.
    assert error(sts.assume_role, RoleArn=sim.role_arn_b, RoleSessionName="a b c") == (400, "ValidationError")
