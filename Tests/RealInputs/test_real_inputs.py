"""Issue 17, item 6: the real inputs end to end, through the real daemon, checked with boto3.

Runbooks/demo/real-inputs.yaml on Runbooks/demo/real-inputs-world.json: `cutover-aws-sim` and
`cutoverd` as processes (the campaigns' harness: scaled clock, the approvals from a second OS
user through `cutoverctl approve`), then boto3 — not Cutover's client — reads the end state:

- every key of the versioned bucket has the same history in the product account as it had in
  legacy: the same number of entries, in the same order, delete markers where they were, each
  version's size and SHA-256 of its body (new version IDs);
- every ACL grant arrived: public-read stays public, the partner account keeps READ, and a
  noncurrent version public through its own ACL (public/banner.png v1) is public in product too
  while the key's current version stays private;
- `audit export --version-map` maps every source version and marker to one copy;
- the database came from under aws/rds to the product key — the runbook says nothing about it
  (`sourceShareKey: auto`, the default) — through a share key the run created in
  legacy, which is pending deletion at the end (after its approval).

Needs root (the approver is a second OS user), the built binaries ($CUTOVER_AWS_SIM's folder) and
boto3; `scripts/test` runs it with the other pytest suites.
"""
import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
from datetime import timedelta

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "campaigns"))
import harness  # noqa: E402

WORLD = os.path.join(ROOT, "Runbooks", "demo", "real-inputs-world.json")
RUNBOOK = os.path.join(ROOT, "Runbooks", "demo", "real-inputs.yaml")
BUCKET = "legacy-reports"
REGION = "ap-northeast-1"
PRODUCT = "222222222222"
PARTNER = "333333333333"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture(scope="module")
def world():
    simulator_binary = os.environ.get("CUTOVER_AWS_SIM")
    if not simulator_binary:
        pytest.fail("CUTOVER_AWS_SIM is not set: run this with scripts/test, which builds the binaries first")
    if os.geteuid() != 0:
        pytest.fail("this test needs root: the approvals come from a second OS user (setpriv), as in the campaigns")
    binaries = os.path.dirname(simulator_binary)
    harness.WORLD = WORLD  # the harness's simulator and daemon config read the world from here
    tmp = tempfile.mkdtemp(prefix="cutover-real-inputs-")
    os.chmod(tmp, 0o755)
    identities = harness.Identities()
    clock = harness.Clock(scale=60, lead=timedelta(minutes=3))
    simulator = harness.Simulator(binaries, tmp, clock, name_hold=300)
    daemon = None
    try:
        simulator.start()
        daemon = harness.Daemon(binaries, tmp, clock, simulator.endpoint)
        daemon.start()
        yield {"sim": simulator, "daemon": daemon, "clock": clock, "tmp": tmp,
               "end": harness.EndState(simulator, daemon.base_key)}
    finally:
        if daemon:
            daemon.stop()
        simulator.stop()
        identities.cleanup()
        if not os.environ.get("CUTOVER_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)


def history(s3, bucket):
    """{key: [(is_marker, size, sha256 or None), …] oldest first}, from ListObjectVersions and a
    GetObject of every version."""
    entries = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            entries.setdefault(version["Key"], []).append((version["LastModified"], False, version["Size"], version["VersionId"]))
        for marker in page.get("DeleteMarkers", []):
            entries.setdefault(marker["Key"], []).append((marker["LastModified"], True, 0, marker["VersionId"]))
    chains = {}
    for key, items in entries.items():
        # S3 lists a key's history newest first; a stable sort on time keeps that order on ties.
        ordered = list(reversed(sorted(items, key=lambda item: item[0], reverse=True)))
        chain = []
        for _, is_marker, size, version_id in ordered:
            digest = None
            if not is_marker:
                body = s3.get_object(Bucket=bucket, Key=key, VersionId=version_id)["Body"].read()
                digest = hashlib.sha256(body).hexdigest()
            chain.append((is_marker, size, digest))
        chains[key] = chain
    return chains


def version_ids(s3, bucket, key):
    """The version IDs of `key` (delete markers left out), oldest first."""
    listed = s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])
    ordered = list(reversed(sorted((v for v in listed if v["Key"] == key), key=lambda v: v["LastModified"], reverse=True)))
    return [v["VersionId"] for v in ordered]


def grants_of(s3, bucket, key, version_id=None):
    """The grants beyond the bucket owner's full control, as (grantee, permission), of the
    current version or of `version_id`."""
    acl = s3.get_object_acl(Bucket=bucket, Key=key, **({"VersionId": version_id} if version_id else {}))
    found = set()
    for grant in acl["Grants"]:
        grantee = grant["Grantee"]
        if grantee.get("Type") == "Group":
            found.add((grantee["URI"], grant["Permission"]))
        elif grantee.get("ID") != acl["Owner"]["ID"]:
            found.add(("canonical:" + grantee["ID"], grant["Permission"]))
    return found


def test_history_acls_and_an_aws_rds_database_arrive_as_they_were(world):
    end = world["end"]
    legacy = end.boto("s3", "legacy")
    # History the seed does not write: a key deleted (a current delete marker), a key deleted and
    # written again (a marker between versions), a third version on a public object.
    legacy.delete_object(Bucket=BUCKET, Key="reports/00001")
    legacy.delete_object(Bucket=BUCKET, Key="reports/00002")
    legacy.put_object(Bucket=BUCKET, Key="reports/00002", Body=b"written again after a delete")
    legacy.put_object(Bucket=BUCKET, Key="public/logo.png", Body=b"logo v2", ACL="public-read")
    before = history(legacy, BUCKET)
    markers = sum(1 for chain in before.values() for entry in chain if entry[0])
    versions = sum(1 for chain in before.values() for entry in chain if not entry[0])
    assert markers == 2 and any(len(chain) > 1 for chain in before.values())
    current = [key for key, chain in before.items() if not chain[-1][0]]
    acls_before = {key: grants_of(legacy, BUCKET, key) for key in current}
    assert (ALL_USERS, "READ") in acls_before["public/logo.png"]
    partner_grants = acls_before["shared/partner.csv"]
    assert len(partner_grants) == 1
    kms_legacy = end.boto("kms", "legacy")
    keys_before = {k["KeyId"] for k in kms_legacy.list_keys()["Keys"]}

    # A noncurrent version public through its own ACL (the world seeds banner v1 public-read,
    # v2 private), and logo v1 (public-read) now noncurrent under the v2 written above.
    noncurrent_public = {key: [grants_of(legacy, BUCKET, key, version) for version in version_ids(legacy, BUCKET, key)]
                         for key in ("public/banner.png", "public/logo.png")}
    assert (ALL_USERS, "READ") in noncurrent_public["public/banner.png"][0]
    assert (ALL_USERS, "READ") not in noncurrent_public["public/banner.png"][-1]
    requests_before = len(world["sim"].requests())

    cutover = harness.Cutover(world["daemon"], world["clock"].window(), runbook=RUNBOOK, forced_wait="5m")
    # The preflight names the database's aws/rds key as handled, the public objects as carried,
    # and what reading every noncurrent version's ACL costs.
    parameters = [a for name, value in cutover.parameters.items() for a in ("--param", f"{name}={value}")]
    preflight = world["daemon"].ctl("plan", RUNBOOK, *parameters, "--preflight").stdout
    assert "noncurrent-acls" in preflight and "public-acls" in preflight, preflight[-3000:]
    cutover.start()
    final = cutover.drive(timeout=900)
    assert final["run"]["status"] == "completed", final["run"].get("reason")
    # Request counts of the run (preflight included), from the simulator's request log (reported, not a limit).
    log = world["sim"].requests()[requests_before:]
    counts = {op: sum(1 for r in log if r.get("operation") == op) for op in ("GetObjectAcl", "PutObjectAcl", "CopyObject")}
    print(f"real-inputs request counts: {counts}")
    acl_reads = {}
    for r in log:
        if r.get("operation") == "GetObjectAcl":
            where = (r.get("account"), (r.get("resource") or "").split("/")[0])
            acl_reads[where] = acl_reads.get(where, 0) + 1
    print(f"GetObjectAcl by account and bucket: {acl_reads}")

    product = end.boto("s3", "product")
    after = history(product, BUCKET)
    assert set(after) == set(before)
    differ = [key for key in before if after[key] != before[key]]
    assert not differ, f"history differs for {len(differ)} keys, e.g. {differ[0]}: {after[differ[0]]} vs {before[differ[0]]}"
    acls_after = {key: grants_of(product, BUCKET, key) for key in current}
    assert all((ALL_USERS, "READ") in acls_after[key] for key in current if (ALL_USERS, "READ") in acls_before[key])
    public_before = sorted(key for key in current if (ALL_USERS, "READ") in acls_before[key])
    public_after = sorted(key for key in current if (ALL_USERS, "READ") in acls_after[key])
    assert public_after == public_before, f"public objects {public_after} vs {public_before}"
    # The partner's grant names the same canonical user (the partner is not a runbook account).
    assert acls_after["shared/partner.csv"] == partner_grants
    private = [key for key in current if not acls_before[key]]
    assert private and all(not acls_after[key] for key in private)
    # Each version kept its own ACL: banner v1 public, v2 private; logo v1 and v2 public.
    for key, grants_before in noncurrent_public.items():
        grants_after = [grants_of(product, BUCKET, key, version) for version in version_ids(product, BUCKET, key)]
        assert [(ALL_USERS, "READ") in g for g in grants_after] == [(ALL_USERS, "READ") in g for g in grants_before], \
            f"{key}: {grants_after} vs {grants_before}"

    # Every source version and marker mapped to one copy in the exported version map.
    daemon = world["daemon"]
    bundle = os.path.join(world["tmp"], "run.bundle")
    version_map = os.path.join(world["tmp"], "version-map.csv")
    daemon.ctl("audit", "export", cutover.run_id, "-o", bundle, "--version-map", version_map, "--state-dir", daemon.state)
    with open(version_map) as f:
        rows = list(csv.DictReader(f))
    final_rows = {(row["key"], row["sourceVersionId"]) for row in rows if row["destination"].endswith(BUCKET)}
    assert len(final_rows) == versions + markers, f"{len(final_rows)} mapped into {BUCKET}, {versions + markers} in the source"

    # The database: from aws/rds in legacy to the product key, through a share key made for it.
    rds = end.boto("rds", "product")
    db = rds.describe_db_instances(DBInstanceIdentifier="reports-db")["DBInstances"][0]
    product_key = end.boto("kms", "product").describe_key(KeyId="alias/reports-db")["KeyMetadata"]["Arn"]
    assert db["DBInstanceStatus"] == "available" and db["StorageEncrypted"] and db["KmsKeyId"] == product_key
    made = [k for k in (k["KeyId"] for k in kms_legacy.list_keys()["Keys"]) if k not in keys_before]
    states = {k: kms_legacy.describe_key(KeyId=k)["KeyMetadata"] for k in made}
    share_keys = [m for m in states.values() if m.get("KeyManager") == "CUSTOMER"]
    assert len(share_keys) == 1, f"keys the run made in legacy: {states}"
    assert share_keys[0]["KeyState"] == "PendingDeletion", share_keys[0]
    snapshots = end.boto("rds", "legacy").describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
    assert not [s for s in snapshots if s["DBSnapshotIdentifier"].endswith("-share")], "the re-keyed share copy was removed"
