"""S3 across accounts: what a bucket policy allows (compared with moto), and the checks moto does not
make (ExpectedBucketOwner, access without a policy, foreign DeleteBucket, tags on a cross-account
copy), asserted on the simulator with the AWS source."""
import json

import wf
from wf import ACCOUNT_A, ACCOUNT_B, error, observe, run_both


def _allow_b(bucket):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "BReadsObjects", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_B}:root"},
         "Action": ["s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion"], "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Sid": "BLists", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_B}:root"},
         "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": f"arn:aws:s3:::{bucket}"}]})


def shared_bucket(b, source, target):
    s3a, s3b = b.client("s3"), b.client("s3", "B")
    s3a.create_bucket(Bucket=source)
    s3a.put_object(Bucket=source, Key="shared", Body=b"for B", Metadata={"from": "a"})
    s3a.put_bucket_policy(Bucket=source, Policy=_allow_b(source))
    s3b.create_bucket(Bucket=target)
    o = {}
    o["B get"] = observe(s3b.get_object, Bucket=source, Key="shared", pick=lambda r: (r["Body"].read(), r["Metadata"]))
    o["B head"] = observe(s3b.head_object, Bucket=source, Key="shared", pick=lambda r: r["ContentLength"])
    o["B list"] = observe(s3b.list_objects_v2, Bucket=source, pick=lambda r: [c["Key"] for c in r["Contents"]])
    o["B copy into own bucket"] = observe(s3b.copy_object, Bucket=target, Key="copied", CopySource=f"{source}/shared",
                                          pick=lambda r: wf.is_md5_etag(r["CopyObjectResult"]["ETag"]))
    o["copied body"] = s3b.get_object(Bucket=target, Key="copied")["Body"].read()
    o["A with right owner"] = observe(s3a.head_bucket, Bucket=source, ExpectedBucketOwner=ACCOUNT_A)
    o["B with right owner"] = observe(s3b.get_object, Bucket=source, Key="shared", ExpectedBucketOwner=ACCOUNT_A,
                                      pick=lambda r: r["ContentLength"])
    o["B copy with right source owner"] = observe(
        s3b.copy_object, Bucket=target, Key="copied2", CopySource=f"{source}/shared", ExpectedSourceBucketOwner=ACCOUNT_A,
        ExpectedBucketOwner=ACCOUNT_B)
    return o


def test_cross_account_read_and_copy_with_bucket_policy(backends, name):
    run_both(backends, shared_bucket, name("shsrc"), name("shdst"))


def test_expected_bucket_owner_enforced_simulator_only(sim, name):
    """moto ignores ExpectedBucketOwner / ExpectedSourceBucketOwner (MOTO-NOTES §3, 03f); S3 answers
    403 AccessDenied on a mismatch (BC-S3 every ExpectedBucketOwner member; AWS-NOTES §1.5)."""
    s3a, s3b = sim.client("s3"), sim.client("s3", "B")
    bucket, target = name("owner"), name("ownerdst")
    s3a.create_bucket(Bucket=bucket)
    s3a.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3a.put_bucket_policy(Bucket=bucket, Policy=_allow_b(bucket))
    s3b.create_bucket(Bucket=target)
    assert error(s3a.head_bucket, Bucket=bucket, ExpectedBucketOwner=ACCOUNT_B) == (403, "403")
    assert error(s3a.get_object, Bucket=bucket, Key="k", ExpectedBucketOwner=ACCOUNT_B) == (403, "AccessDenied")
    assert error(s3a.put_object, Bucket=bucket, Key="k2", Body=b"y", ExpectedBucketOwner=ACCOUNT_B) == (403, "AccessDenied")
    assert error(s3a.put_bucket_versioning, Bucket=bucket, VersioningConfiguration={"Status": "Enabled"},
                 ExpectedBucketOwner=ACCOUNT_B) == (403, "AccessDenied")
    assert error(s3b.copy_object, Bucket=target, Key="c", CopySource=f"{bucket}/k",
                 ExpectedSourceBucketOwner=ACCOUNT_B) == (403, "AccessDenied")
    assert error(s3a.head_object, Bucket=bucket, Key="k2") == (404, "404")  # the refused put wrote nothing


def test_cross_account_needs_a_policy_simulator_only(sim, name):
    """moto lets any account read, write and copy another account's objects without a bucket policy
    (MOTO-NOTES §3, gap 4); S3 needs an Allow in the bucket policy for a foreign principal
    (S3UG "How Amazon S3 authorizes a request for an object operation"; AWS-NOTES §3.4)."""
    s3a, s3b = sim.client("s3"), sim.client("s3", "B")
    bucket, target = name("private"), name("privdst")
    s3a.create_bucket(Bucket=bucket)
    s3a.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3b.create_bucket(Bucket=target)
    assert error(s3b.get_object, Bucket=bucket, Key="k") == (403, "AccessDenied")
    assert error(s3b.put_object, Bucket=bucket, Key="b-wrote", Body=b"y") == (403, "AccessDenied")
    assert error(s3b.copy_object, Bucket=target, Key="c", CopySource=f"{bucket}/k") == (403, "AccessDenied")
    assert error(s3b.list_objects_v2, Bucket=bucket) == (403, "AccessDenied")
    # A foreign DeleteBucket: moto answers HTTP 500 and corrupts its name registry (MOTO-NOTES §2).
    s3a.delete_object(Bucket=bucket, Key="k")
    assert error(s3b.delete_bucket, Bucket=bucket) == (403, "AccessDenied")
    assert wf.status_of(s3a.head_bucket(Bucket=bucket)) == 200
    # Bucket-level writes are the owner's: moto lets B change A's versioning and policy.
    assert error(s3b.put_bucket_versioning, Bucket=bucket, VersioningConfiguration={"Status": "Enabled"}) == (403, "AccessDenied")
    assert s3a.get_bucket_versioning(Bucket=bucket).get("Status") is None


def test_cross_account_copy_keeps_tags_simulator_only(sim, name):
    """moto drops the source's tags on a cross-account copy and keeps a per-caller tag store
    (MOTO-NOTES §3, gap 8); S3 copies tags by default (x-amz-tagging-directive COPY, BC-S3
    CopyObject TaggingDirective) when the caller may read them (s3:GetObjectTagging)."""
    s3a, s3b = sim.client("s3"), sim.client("s3", "B")
    bucket, target = name("tagsrc"), name("tagdst")
    s3a.create_bucket(Bucket=bucket)
    s3a.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="team=data")
    s3a.put_bucket_policy(Bucket=bucket, Policy=_allow_b(bucket))
    s3b.create_bucket(Bucket=target)
    s3b.copy_object(Bucket=target, Key="k", CopySource=f"{bucket}/k")
    assert wf.tags(s3b.get_object_tagging(Bucket=target, Key="k")["TagSet"]) == {"team": "data"}
    assert wf.tags(s3b.get_object_tagging(Bucket=bucket, Key="k")["TagSet"]) == {"team": "data"}
