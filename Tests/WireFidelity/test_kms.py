"""KMS: CreateKey, DescribeKey, CreateAlias/ListAliases, CreateGrant, GetKeyPolicy compared with moto;
cross-account use of a key as its policy allows, asserted on the simulator (moto does not model it)."""
import json
import re

import wf
from wf import ACCOUNT_A, ACCOUNT_B, error, observe, run_both

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def metadata(md):
    """The KeyMetadata fields our client reads, with the key's own ID normalised away."""
    return {
        "AWSAccountId": md["AWSAccountId"], "Description": md["Description"], "Enabled": md["Enabled"],
        "KeyState": md["KeyState"], "KeyUsage": md["KeyUsage"], "KeyManager": md["KeyManager"], "KeySpec": md["KeySpec"],
        "Origin": md["Origin"], "EncryptionAlgorithms": md.get("EncryptionAlgorithms"),
        "KeyId is a UUID": UUID.fullmatch(md["KeyId"]) is not None,
        "Arn": md["Arn"].replace(md["KeyId"], "<key>"), "CreationDate": wf.is_date(md["CreationDate"]),
    }


def keys_and_aliases(b, alias):
    kms = b.client("kms")
    o = {}
    created = kms.create_key(Description="cutover wire fidelity", KeyUsage="ENCRYPT_DECRYPT")
    md = created["KeyMetadata"]
    key_id = md["KeyId"]
    o["create"] = (wf.status_of(created), metadata(md))
    by = {"id": key_id, "arn": md["Arn"]}
    o["alias create"] = observe(kms.create_alias, AliasName=alias, TargetKeyId=key_id)
    o["alias again"] = observe(kms.create_alias, AliasName=alias, TargetKeyId=key_id)
    by["alias"] = alias
    by["alias arn"] = f"arn:aws:kms:us-east-1:{ACCOUNT_A}:{alias}"
    for how, reference in by.items():
        o[f"describe by {how}"] = observe(kms.describe_key, KeyId=reference,
                                          pick=lambda r: (r["KeyMetadata"]["KeyId"] == key_id, metadata(r["KeyMetadata"])))
    o["describe missing id"] = observe(kms.describe_key, KeyId="1234abcd-12ab-34cd-56ef-1234567890ab")
    o["describe missing alias"] = observe(kms.describe_key, KeyId="alias/wf-does-not-exist")
    listed = kms.list_aliases()
    o["list aliases"] = [(a["AliasName"], a["AliasArn"], a["TargetKeyId"] == key_id)
                         for a in listed["Aliases"] if a["AliasName"] == alias]
    o["list aliases for key"] = observe(kms.list_aliases, KeyId=key_id,
                                        pick=lambda r: [(a["AliasName"], a["TargetKeyId"] == key_id) for a in r["Aliases"]])
    grant = kms.create_grant(KeyId=key_id, GranteePrincipal=f"arn:aws:iam::{ACCOUNT_B}:role/{wf.ROLE_B}",
                             Operations=["Decrypt", "DescribeKey", "CreateGrant"], Name="cutover")
    o["grant"] = (wf.status_of(grant), bool(grant["GrantId"]), bool(grant["GrantToken"]))
    o["grant by arn"] = observe(kms.create_grant, KeyId=md["Arn"], GranteePrincipal=f"arn:aws:iam::{ACCOUNT_B}:root",
                                Operations=["Decrypt"], pick=lambda r: bool(r["GrantId"]))
    o["grant bad operation"] = observe(kms.create_grant, KeyId=key_id, GranteePrincipal=f"arn:aws:iam::{ACCOUNT_B}:root",
                                       Operations=["Dance"])
    policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    o["default policy"] = [(s.get("Effect"), s.get("Principal"), s.get("Action")) for s in policy["Statement"]]
    return o


def test_create_describe_alias_grant(backends, run_id):
    sim_obs, _ = run_both(backends, keys_and_aliases, f"alias/wf-{run_id}-key", ignore={"grant bad operation"})
    # DIFFERENCES.md KMS-3: Operations must be GrantOperation enum values (BC-KMS); moto accepts any.
    assert sim_obs["grant bad operation"] == {"status": 400, "code": "ValidationException"}


def test_create_grant_on_missing_key_simulator_only(sim):
    """moto answers HTTP 500 (MOTO-NOTES §4 on cross-account grants; also for a missing key);
    KMS answers 400 NotFoundException (BC-KMS CreateGrant errors)."""
    kms = sim.client("kms")
    assert error(kms.create_grant, KeyId="1234abcd-12ab-34cd-56ef-1234567890ab",
                 GranteePrincipal=f"arn:aws:iam::{ACCOUNT_B}:root", Operations=["Decrypt"]) == (400, "NotFoundException")


def test_cross_account_key_use_as_policy_allows_simulator_only(sim):
    """moto does not model KMS across accounts: B cannot describe A's key even when the key policy
    allows it, and CreateGrant answers 500 (MOTO-NOTES §4, gap 5). AWS: a key policy naming the
    other account lets it DescribeKey/CreateGrant by key ARN (BC-KMS CreateGrant, DescribeKey
    "To perform this operation on a KMS key in a different AWS account, specify the key ARN";
    AWS-NOTES §5.1)."""
    kms_a, kms_b = sim.client("kms"), sim.client("kms", "B")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_A}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Target", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_B}:root"},
         "Action": ["kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"], "Resource": "*"}]})
    shared = kms_a.create_key(Description="shared with B", Policy=policy)["KeyMetadata"]
    private = kms_a.create_key(Description="A only")["KeyMetadata"]
    described = kms_b.describe_key(KeyId=shared["Arn"])["KeyMetadata"]
    assert (described["KeyId"], described["AWSAccountId"]) == (shared["KeyId"], ACCOUNT_A)
    grant = kms_b.create_grant(KeyId=shared["Arn"], GranteePrincipal=f"arn:aws:iam::{ACCOUNT_B}:role/{wf.ROLE_B}",
                               Operations=["Decrypt"])
    assert grant["GrantId"] and grant["GrantToken"]
    # By bare key ID the key is looked up in B's own account: not found.
    assert error(kms_b.describe_key, KeyId=shared["KeyId"]) == (400, "NotFoundException")
    status, code = error(kms_b.describe_key, KeyId=private["Arn"])
    assert (status, code) == (400, "AccessDeniedException")
    assert error(kms_b.create_grant, KeyId=private["Arn"], GranteePrincipal=f"arn:aws:iam::{ACCOUNT_B}:root",
                 Operations=["Decrypt"]) == (400, "AccessDeniedException")
