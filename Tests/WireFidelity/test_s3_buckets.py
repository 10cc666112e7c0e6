"""S3 buckets: create/head/location/delete, the cross-account namespace, and every bucket
sub-resource (put/get/delete and the "not configured" answers), simulator against moto."""
import json

import pytest

import wf
from wf import ACCOUNT_A, ACCOUNT_B, error, observe, run_both


def bucket_lifecycle(b, bucket, regional):
    s3a, s3b = b.client("s3"), b.client("s3", "B")
    o = {}
    o["create"] = observe(s3a.create_bucket, Bucket=bucket, pick=lambda r: r.get("Location"))
    o["head"] = observe(s3a.head_bucket, Bucket=bucket,
                        pick=lambda r: r["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region"))
    o["location"] = observe(s3a.get_bucket_location, Bucket=bucket, pick=lambda r: r.get("LocationConstraint"))
    o["listed"] = bucket in [x["Name"] for x in s3a.list_buckets()["Buckets"]]
    o["listed_by_b"] = bucket in [x["Name"] for x in s3b.list_buckets()["Buckets"]]
    # Another account asking for the name: BucketAlreadyExists (AWS-NOTES §1.2).
    o["create_by_b"] = observe(s3b.create_bucket, Bucket=bucket)
    o["create_by_b_regional"] = observe(s3b.create_bucket, Bucket=bucket,
                                        CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    # The owner again in us-east-1: 200 (the legacy us-east-1 exception, AWS-NOTES §1.2).
    o["create_again"] = observe(s3a.create_bucket, Bucket=bucket)
    # A regional bucket re-created by its owner: BucketAlreadyOwnedByYou.
    o["regional_create"] = observe(s3a.create_bucket, Bucket=regional,
                                   CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    o["regional_location"] = observe(s3a.get_bucket_location, Bucket=regional, pick=lambda r: r.get("LocationConstraint"))
    o["regional_again"] = observe(s3a.create_bucket, Bucket=regional,
                                  CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3a.put_object(Bucket=bucket, Key="k", Body=b"x")
    o["delete_not_empty"] = observe(s3a.delete_bucket, Bucket=bucket)
    s3a.delete_object(Bucket=bucket, Key="k")
    o["delete"] = observe(s3a.delete_bucket, Bucket=bucket)
    o["head_after_delete"] = observe(s3a.head_bucket, Bucket=bucket)
    o["location_after_delete"] = observe(s3a.get_bucket_location, Bucket=bucket)
    o["delete_again"] = observe(s3a.delete_bucket, Bucket=bucket)
    o["delete_regional"] = observe(s3a.delete_bucket, Bucket=regional)
    return o


def test_bucket_create_head_location_delete(backends, name):
    run_both(backends, bucket_lifecycle, name("life"), name("regional"))


def test_bucket_name_held_after_delete_simulator_only(sim, name):
    """moto frees a deleted name at once (MOTO-NOTES §2); AWS answers OperationAborted 409 for a
    while, to every account, while HeadBucket already says 404 (KC-409, aws/aws-cli#2593)."""
    s3a, s3b = sim.client("s3"), sim.client("s3", "B")
    bucket = name("held")
    s3a.create_bucket(Bucket=bucket)
    s3a.delete_bucket(Bucket=bucket)
    assert error(s3a.head_bucket, Bucket=bucket) == (404, "404")
    assert error(s3b.create_bucket, Bucket=bucket) == (409, "OperationAborted")
    assert error(s3a.create_bucket, Bucket=bucket) == (409, "OperationAborted")


def test_invalid_location_constraint(backends, name):
    def scenario(b, bucket):
        s3 = b.client("s3")
        return {"us-east-1 explicit": observe(s3.create_bucket, Bucket=bucket,
                                              CreateBucketConfiguration={"LocationConstraint": "us-east-1"}),
                "bad name": observe(s3.create_bucket, Bucket="ab")}
    run_both(backends, scenario, name("loc"))


# --- Bucket sub-resources ------------------------------------------------------------------------
# Each entry: (put kwargs builder, get method, pick(response) -> the fields our client reads,
# delete method or None). Run on both backends: GET before any PUT, PUT, GET, DELETE, GET again.

def _policy(bucket):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "ReadFromA", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_A}:root"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})


SUBRESOURCES = {
    "policy": (lambda bucket: {"Policy": _policy(bucket)}, "get_bucket_policy",
               lambda r: json.loads(r["Policy"])["Statement"][0]["Action"], "delete_bucket_policy"),
    "cors": (lambda bucket: {"CORSConfiguration": {"CORSRules": [
        {"AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["https://example.com"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 300}]}},
        "get_bucket_cors", lambda r: [(c["AllowedMethods"], c["AllowedOrigins"], c.get("MaxAgeSeconds")) for c in r["CORSRules"]],
        "delete_bucket_cors"),
    "lifecycle": (lambda bucket: {"LifecycleConfiguration": {"Rules": [
        {"ID": "expire-tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled", "Expiration": {"Days": 7},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]}},
        "get_bucket_lifecycle_configuration",
        lambda r: [(x["ID"], x["Filter"], x["Status"], x["Expiration"], x["AbortIncompleteMultipartUpload"]) for x in r["Rules"]],
        "delete_bucket_lifecycle"),
    "tagging": (lambda bucket: {"Tagging": {"TagSet": [{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "prod"}]}},
                "get_bucket_tagging", lambda r: wf.tags(r["TagSet"]), "delete_bucket_tagging"),
    "website": (lambda bucket: {"WebsiteConfiguration": {"IndexDocument": {"Suffix": "index.html"},
                                                         "ErrorDocument": {"Key": "error.html"}}},
                "get_bucket_website", lambda r: (r["IndexDocument"], r["ErrorDocument"]), "delete_bucket_website"),
    "public-access-block": (lambda bucket: {"PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": True, "RestrictPublicBuckets": False}},
        "get_public_access_block", lambda r: r["PublicAccessBlockConfiguration"], "delete_public_access_block"),
    "ownership-controls": (lambda bucket: {"OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}},
                           "get_bucket_ownership_controls", lambda r: r["OwnershipControls"]["Rules"],
                           "delete_bucket_ownership_controls"),
    "encryption": (lambda bucket: {"ServerSideEncryptionConfiguration": {"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}]}},
        "get_bucket_encryption",
        lambda r: [(x["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], x.get("BucketKeyEnabled"))
                   for x in r["ServerSideEncryptionConfiguration"]["Rules"]],
        "delete_bucket_encryption"),
    "versioning": (lambda bucket: {"VersioningConfiguration": {"Status": "Enabled"}}, "get_bucket_versioning",
                   lambda r: r.get("Status"), None),
    "accelerate": (lambda bucket: {"AccelerateConfiguration": {"Status": "Enabled"}},
                   "get_bucket_accelerate_configuration", lambda r: r.get("Status"), None),
    "notification": (lambda bucket: {"NotificationConfiguration": {"QueueConfigurations": [
        {"Id": "q", "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT_A}:wire-fidelity", "Events": ["s3:ObjectCreated:*"]}]}},
        "get_bucket_notification_configuration",
        lambda r: [(q["QueueArn"], q["Events"]) for q in r.get("QueueConfigurations", [])], None),
}

PUT_METHOD = {
    "policy": "put_bucket_policy", "cors": "put_bucket_cors", "lifecycle": "put_bucket_lifecycle_configuration",
    "tagging": "put_bucket_tagging", "website": "put_bucket_website", "public-access-block": "put_public_access_block",
    "ownership-controls": "put_bucket_ownership_controls", "encryption": "put_bucket_encryption",
    "versioning": "put_bucket_versioning", "accelerate": "put_bucket_accelerate_configuration",
    "notification": "put_bucket_notification_configuration",
}

# New buckets come with SSE-S3 default encryption, Block Public Access on and ACLs disabled
# (BucketOwnerEnforced) since 2023; moto 5.2.1 creates them bare. DIFFERENCES.md rows S3-1..S3-3.
NEW_BUCKET_DEFAULTS = {
    "encryption": [("AES256", False)],
    "public-access-block": {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                            "RestrictPublicBuckets": True},
    "ownership-controls": [{"ObjectOwnership": "BucketOwnerEnforced"}],
}


def subresource_round_trip(b, bucket, which):
    build, get, pick, delete = SUBRESOURCES[which]
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    get_fn = getattr(s3, get)
    o = {"unset": observe(get_fn, Bucket=bucket, pick=pick)}
    put = observe(getattr(s3, PUT_METHOD[which]), Bucket=bucket, **build(bucket))
    # The exact 2xx of a PUT differs (DIFFERENCES.md S3-4); our client accepts any 2xx.
    o["put"] = dict(put, status="2xx" if 200 <= put["status"] < 300 else put["status"])
    o["put exact status"] = put["status"]
    o["get"] = observe(get_fn, Bucket=bucket, pick=pick)
    if delete:
        o["delete"] = observe(getattr(s3, delete), Bucket=bucket)
        o["after delete"] = observe(get_fn, Bucket=bucket, pick=pick)
    o["missing bucket"] = observe(get_fn, Bucket=bucket + "-missing")
    return o


@pytest.mark.parametrize("which", sorted(SUBRESOURCES))
def test_bucket_subresource_put_get_delete(backends, name, which):
    ignore = {"put exact status"}
    if which in NEW_BUCKET_DEFAULTS:
        ignore.add("unset")
    if which == "encryption":
        ignore.add("after delete")
    sim_obs, moto_obs = run_both(backends, subresource_round_trip, name(which), which, ignore=ignore)
    if which in NEW_BUCKET_DEFAULTS:
        assert sim_obs["unset"] == {"status": 200, "code": None, "out": NEW_BUCKET_DEFAULTS[which]}
    if which == "encryption":
        # DeleteBucketEncryption resets the bucket to SSE-S3 (BC-S3 DeleteBucketEncryption).
        assert sim_obs["after delete"] == {"status": 200, "code": None, "out": [("AES256", False)]}
    if which == "tagging":
        assert sim_obs["put exact status"] == 204  # S3 answers 204 No Content (versity/versitygw#932)
    if which == "policy":
        assert sim_obs["put exact status"] == 204  # S3 API reference, PutBucketPolicy example response
    for key in ("unset", "after delete"):
        if key in moto_obs and key not in ignore and moto_obs[key]["code"]:
            assert moto_obs[key]["status"] == 404, moto_obs


def test_request_payment_simulator_only(sim, name):
    """moto 5.2.1 does not implement ?requestPayment (GET answers a ListBucketResult, MOTO-NOTES §3,
    MOTO-FINDINGS); AWS: Payer defaults to BucketOwner and PUT Requester sticks (BC-S3)."""
    s3 = sim.client("s3")
    bucket = name("payer")
    s3.create_bucket(Bucket=bucket)
    assert s3.get_bucket_request_payment(Bucket=bucket)["Payer"] == "BucketOwner"
    s3.put_bucket_request_payment(Bucket=bucket, RequestPaymentConfiguration={"Payer": "Requester"})
    assert s3.get_bucket_request_payment(Bucket=bucket)["Payer"] == "Requester"


def test_logging_replication_object_lock(backends, name):
    def scenario(b, source, target, locked):
        s3 = b.client("s3")
        s3.create_bucket(Bucket=source)
        s3.create_bucket(Bucket=target)
        s3.put_bucket_policy(Bucket=target, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{target}/*"}]}))
        o = {"logging unset": observe(s3.get_bucket_logging, Bucket=source, pick=lambda r: r.get("LoggingEnabled"))}
        o["logging put"] = observe(s3.put_bucket_logging, Bucket=source, BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "logs/"}})
        o["logging get"] = observe(s3.get_bucket_logging, Bucket=source, pick=lambda r: r.get("LoggingEnabled"))
        o["replication unset"] = observe(s3.get_bucket_replication, Bucket=source)
        for bucket in (source, target):
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        o["replication put"] = observe(s3.put_bucket_replication, Bucket=source, ReplicationConfiguration={
            "Role": f"arn:aws:iam::{ACCOUNT_A}:role/replication",
            "Rules": [{"ID": "all", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
                       "DeleteMarkerReplication": {"Status": "Disabled"},
                       "Destination": {"Bucket": f"arn:aws:s3:::{target}", "Account": ACCOUNT_B}}]})
        o["replication get"] = observe(s3.get_bucket_replication, Bucket=source, pick=lambda r: (
            r["ReplicationConfiguration"]["Role"],
            [(x["ID"], x["Status"], x["Destination"]["Bucket"]) for x in r["ReplicationConfiguration"]["Rules"]]))
        o["replication delete"] = observe(s3.delete_bucket_replication, Bucket=source)
        o["replication gone"] = observe(s3.get_bucket_replication, Bucket=source)
        o["object lock unset"] = observe(s3.get_object_lock_configuration, Bucket=source)
        s3.create_bucket(Bucket=locked, ObjectLockEnabledForBucket=True)
        o["object lock enabled"] = observe(s3.get_object_lock_configuration, Bucket=locked,
                                           pick=lambda r: r["ObjectLockConfiguration"])
        o["object lock versioning"] = s3.get_bucket_versioning(Bucket=locked).get("Status")
        o["object lock put"] = observe(s3.put_object_lock_configuration, Bucket=locked, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
        o["object lock get"] = observe(s3.get_object_lock_configuration, Bucket=locked, pick=lambda r: (
            r["ObjectLockConfiguration"]["ObjectLockEnabled"],
            r["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Mode"],
            r["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Days"]))
        return o
    run_both(backends, scenario, name("logsrc"), name("logdst"), name("locked"))
