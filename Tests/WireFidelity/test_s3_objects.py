"""S3 objects: put/get/head with metadata and tags, listing and paging, versions and delete
markers, copy, multipart with UploadPartCopy, DeleteObjects, object tagging; simulator against
moto. Keys are plain (no `/`, `+`, `%`…): moto with auth on rejects correctly signed requests
for others (docs/MOTO-FINDINGS.md)."""
import base64
import hashlib

import wf
from wf import error, observe, run_both


def object_round_trip(b, bucket):
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    body = b"hello wire fidelity\n" * 10
    o = {}
    put = s3.put_object(Bucket=bucket, Key="doc", Body=body, ContentType="text/plain", CacheControl="max-age=60",
                        Metadata={"origin": "legacy", "batch": "7"}, Tagging="team=data&tier=gold")
    o["put status"] = wf.status_of(put)
    o["put etag"] = wf.unquote(put["ETag"]) == hashlib.md5(body).hexdigest()
    get = s3.get_object(Bucket=bucket, Key="doc")
    o["get"] = (wf.status_of(get), get["Body"].read() == body, get["ContentLength"], get["ContentType"], get["CacheControl"],
                get["Metadata"], get["TagCount"], wf.unquote(get["ETag"]) == hashlib.md5(body).hexdigest(),
                wf.is_date(get["LastModified"]))
    head = s3.head_object(Bucket=bucket, Key="doc")
    o["head"] = (wf.status_of(head), head["ContentLength"], head["ContentType"], head["Metadata"], head["ETag"] == get["ETag"])
    o["get range"] = observe(s3.get_object, Bucket=bucket, Key="doc", Range="bytes=0-4",
                             pick=lambda r: (r["Body"].read(), r["ContentRange"], r["ContentLength"]))
    o["object tags"] = wf.tags(s3.get_object_tagging(Bucket=bucket, Key="doc")["TagSet"])
    o["put tags"] = observe(s3.put_object_tagging, Bucket=bucket, Key="doc",
                            Tagging={"TagSet": [{"Key": "tier", "Value": "silver"}]})
    o["tags after put"] = wf.tags(s3.get_object_tagging(Bucket=bucket, Key="doc")["TagSet"])
    o["delete tags"] = observe(s3.delete_object_tagging, Bucket=bucket, Key="doc")
    o["tags after delete"] = s3.get_object_tagging(Bucket=bucket, Key="doc")["TagSet"]
    o["if-match wrong"] = observe(s3.get_object, Bucket=bucket, Key="doc", IfMatch='"0123456789abcdef0123456789abcdef"')
    o["if-none-match current"] = observe(s3.get_object, Bucket=bucket, Key="doc", IfNoneMatch=get["ETag"])
    o["put if-none-match *"] = observe(s3.put_object, Bucket=bucket, Key="doc", Body=b"x", IfNoneMatch="*")
    o["missing key get"] = observe(s3.get_object, Bucket=bucket, Key="nope")
    o["missing key head"] = observe(s3.head_object, Bucket=bucket, Key="nope")
    o["missing bucket get"] = observe(s3.get_object, Bucket=bucket + "-gone", Key="doc")
    o["tagging missing key"] = observe(s3.get_object_tagging, Bucket=bucket, Key="nope")
    o["delete"] = observe(s3.delete_object, Bucket=bucket, Key="doc")
    o["delete missing"] = observe(s3.delete_object, Bucket=bucket, Key="doc")
    o["get after delete"] = observe(s3.get_object, Bucket=bucket, Key="doc")
    return o


def test_put_get_head_object_with_metadata_and_tags(backends, name):
    run_both(backends, object_round_trip, name("obj"))


def test_sha256_checksum_stored_and_returned(backends, name):
    def scenario(b, bucket):
        s3 = b.client("s3")
        s3.create_bucket(Bucket=bucket)
        body = b"checksummed" * 100
        expected = base64.b64encode(hashlib.sha256(body).digest()).decode()
        put = s3.put_object(Bucket=bucket, Key="c", Body=body, ChecksumAlgorithm="SHA256")
        head = s3.head_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
        attrs = s3.get_object_attributes(Bucket=bucket, Key="c", ObjectAttributes=["ETag", "Checksum", "ObjectSize"])
        return {"put": put.get("ChecksumSHA256") == expected, "head": head.get("ChecksumSHA256") == expected,
                "attributes": (attrs["Checksum"].get("ChecksumSHA256") == expected, attrs["ObjectSize"],
                               wf.unquote(attrs["ETag"]) == hashlib.md5(body).hexdigest())}
    run_both(backends, scenario, name("sha"))


def test_wrong_checksum_is_bad_digest_simulator_only(sim, name):
    """moto accepts a wrong x-amz-checksum-sha256 / Content-MD5 (MOTO-NOTES §3); S3 refuses with
    400 BadDigest / InvalidDigest (BC-S3 Error.Code table)."""
    s3 = sim.client("s3")
    bucket = name("baddigest")
    s3.create_bucket(Bucket=bucket)
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    assert error(s3.put_object, Bucket=bucket, Key="k", Body=b"data", ChecksumSHA256=wrong) == (400, "BadDigest")
    assert error(s3.head_object, Bucket=bucket, Key="k") == (404, "404")


def listing(b, bucket):
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    keys = [f"k{i:02d}" for i in range(7)] + ["other"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    o = {}
    pages, token = [], None
    while True:
        kwargs = {"ContinuationToken": token} if token else {}
        page = s3.list_objects_v2(Bucket=bucket, MaxKeys=3, **kwargs)
        pages.append(([c["Key"] for c in page.get("Contents", [])], page["KeyCount"], page["IsTruncated"], page["MaxKeys"],
                      "NextContinuationToken" in page, [c["Size"] for c in page.get("Contents", [])]))
        token = page.get("NextContinuationToken")
        if not page["IsTruncated"]:
            break
    o["pages"] = pages
    o["prefix"] = [c["Key"] for c in s3.list_objects_v2(Bucket=bucket, Prefix="k0")["Contents"]]
    o["start after"] = [c["Key"] for c in s3.list_objects_v2(Bucket=bucket, StartAfter="k05")["Contents"]]
    o["empty prefix"] = observe(s3.list_objects_v2, Bucket=bucket, Prefix="zzz",
                                pick=lambda r: (r["KeyCount"], r.get("Contents"), r["IsTruncated"]))
    o["paginator"] = [c["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2})
                      for c in p.get("Contents", [])]
    v1 = s3.list_objects(Bucket=bucket, MaxKeys=4)
    o["list v1"] = ([c["Key"] for c in v1["Contents"]], v1["IsTruncated"])
    o["missing bucket"] = observe(s3.list_objects_v2, Bucket=bucket + "-gone")
    return o


def test_list_objects_v2_paging(backends, name):
    run_both(backends, listing, name("list"))


def test_list_objects_v2_max_keys_capped_simulator_only(sim, name):
    """moto returns every key when MaxKeys > 1000 (MOTO-NOTES §3); S3 returns at most 1,000 per page
    (BC-S3 ListObjectsV2 MaxKeys)."""
    bucket = name("many")
    sim.admin("POST", "/_sim/seed", {"buckets": [{"name": bucket, "account": wf.ACCOUNT_A,
                                                  "generated": {"count": 1005, "prefix": "g", "size": 8}}]})
    s3 = sim.client("s3")
    first = s3.list_objects_v2(Bucket=bucket, MaxKeys=5000)
    assert (first["KeyCount"], first["IsTruncated"]) == (1000, True)
    second = s3.list_objects_v2(Bucket=bucket, MaxKeys=5000, ContinuationToken=first["NextContinuationToken"])
    assert (second["KeyCount"], second["IsTruncated"]) == (5, False)
    assert error(s3.list_objects_v2, Bucket=bucket, ContinuationToken="bogus")[0] == 400  # moto: HTTP 500


def versions(b, bucket):
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="a", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="a", Body=b"two")["VersionId"]
    s3.put_object(Bucket=bucket, Key="b", Body=b"bee")
    marker = s3.delete_object(Bucket=bucket, Key="a")
    o = {"delete marker": (marker.get("DeleteMarker"), bool(marker.get("VersionId"))), "distinct ids": len({v1, v2}) == 2}
    listing = s3.list_object_versions(Bucket=bucket)
    o["versions"] = [(v["Key"], v["IsLatest"], v["Size"]) for v in listing["Versions"]]
    o["markers"] = [(m["Key"], m["IsLatest"]) for m in listing["DeleteMarkers"]]
    o["newest first"] = [v["VersionId"] for v in listing["Versions"] if v["Key"] == "a"] == [v2, v1]
    o["get deleted"] = observe(s3.get_object, Bucket=bucket, Key="a")
    o["get old version"] = observe(s3.get_object, Bucket=bucket, Key="a", VersionId=v1, pick=lambda r: r["Body"].read())
    o["head old version"] = observe(s3.head_object, Bucket=bucket, Key="a", VersionId=v1, pick=lambda r: r["ContentLength"])
    page1 = s3.list_object_versions(Bucket=bucket, MaxKeys=2)
    o["paged"] = (page1["IsTruncated"], len(page1.get("Versions", [])) + len(page1.get("DeleteMarkers", [])),
                  page1.get("NextKeyMarker"), "NextVersionIdMarker" in page1)
    page2 = s3.list_object_versions(Bucket=bucket, MaxKeys=2, KeyMarker=page1["NextKeyMarker"],
                                    VersionIdMarker=page1["NextVersionIdMarker"])
    o["page 2"] = (page2["IsTruncated"], [(v["Key"], v["IsLatest"]) for v in page2.get("Versions", [])],
                   [(m["Key"], m["IsLatest"]) for m in page2.get("DeleteMarkers", [])])
    o["delete bucket with versions"] = observe(s3.delete_bucket, Bucket=bucket)
    everything = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in listing["Versions"] + listing["DeleteMarkers"]]
    only_versions = everything[:len(listing["Versions"])]
    s3.delete_objects(Bucket=bucket, Delete={"Objects": only_versions, "Quiet": True})
    o["delete bucket with only markers"] = observe(s3.delete_bucket, Bucket=bucket)
    gone = s3.delete_objects(Bucket=bucket, Delete={"Objects": everything[len(only_versions):]})
    o["markers removed"] = sorted(d["Key"] for d in gone["Deleted"])
    # DIFFERENCES.md S3-6: AWS flags a removed delete marker (DeleteMarker, DeleteMarkerVersionId).
    o["marker flagged"] = sorted((d["Key"], d.get("DeleteMarker"), "DeleteMarkerVersionId" in d) for d in gone["Deleted"])
    o["delete bucket empty"] = observe(s3.delete_bucket, Bucket=bucket)
    return o


def test_list_object_versions_with_delete_markers(backends, name):
    sim_obs, moto_obs = run_both(backends, versions, name("vers"), ignore={"marker flagged"})
    assert sim_obs["marker flagged"] == [("a", True, True)]  # BC-S3 DeletedObject.DeleteMarker


def delete_objects(b, bucket):
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    for key in ("d1", "d2", "d3"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    loud = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "d1"}, {"Key": "d2"}, {"Key": "never-existed"}]})
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "d3"}], "Quiet": True})
    return {"loud": (wf.status_of(loud), sorted(d["Key"] for d in loud["Deleted"]), loud.get("Errors", [])),
            "quiet": (wf.status_of(quiet), quiet.get("Deleted", []), quiet.get("Errors", [])),
            "left": s3.list_objects_v2(Bucket=bucket)["KeyCount"]}


def test_delete_objects(backends, name):
    sim_obs, moto_obs = run_both(backends, delete_objects, name("delobj"), ignore={"quiet"})
    # DIFFERENCES.md S3-7: in quiet mode S3 reports only the keys that failed (BC-S3 Delete.Quiet).
    assert sim_obs["quiet"] == (200, [], [])


def copy(b, bucket, target):
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.create_bucket(Bucket=target)
    body = b"copy me" * 50
    s3.put_object(Bucket=bucket, Key="src", Body=body, ContentType="application/x-test", Metadata={"m": "1"},
                  Tagging="keep=yes")
    o = {}
    c = s3.copy_object(Bucket=target, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    o["copy"] = (wf.status_of(c), wf.unquote(c["CopyObjectResult"]["ETag"]) == hashlib.md5(body).hexdigest(),
                 wf.is_date(c["CopyObjectResult"]["LastModified"]))
    head = s3.head_object(Bucket=target, Key="dst")
    o["copied fields"] = (head["ContentType"], head["Metadata"], head["ContentLength"])
    o["copied tags"] = wf.tags(s3.get_object_tagging(Bucket=target, Key="dst")["TagSet"])
    s3.copy_object(Bucket=target, Key="replaced", CopySource=f"{bucket}/src", MetadataDirective="REPLACE",
                   ContentType="text/csv", Metadata={"m": "2"}, TaggingDirective="REPLACE", Tagging="new=tag")
    head = s3.head_object(Bucket=target, Key="replaced")
    o["replaced fields"] = (head["ContentType"], head["Metadata"],
                            wf.tags(s3.get_object_tagging(Bucket=target, Key="replaced")["TagSet"]))
    o["copy in place unchanged"] = observe(s3.copy_object, Bucket=bucket, Key="src", CopySource=f"{bucket}/src")
    o["copy missing key"] = observe(s3.copy_object, Bucket=target, Key="x", CopySource=f"{bucket}/nope")
    o["copy missing bucket"] = observe(s3.copy_object, Bucket=target, Key="x", CopySource=f"{bucket}-gone/src")
    o["copy if-none-match current"] = observe(s3.copy_object, Bucket=target, Key="x", CopySource=f"{bucket}/src",
                                              CopySourceIfNoneMatch=c["CopyObjectResult"]["ETag"])
    return o


def test_copy_object(backends, name):
    run_both(backends, copy, name("cpsrc"), name("cpdst"))


def test_copy_source_if_match_enforced_simulator_only(sim, name):
    """moto ignores a wrong CopySourceIfMatch (MOTO-NOTES §3); S3 answers 412 PreconditionFailed
    (BC-S3 CopyObject CopySourceIfMatch)."""
    s3 = sim.client("s3")
    bucket = name("ifmatch")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    assert error(s3.copy_object, Bucket=bucket, Key="dst", CopySource=f"{bucket}/src",
                 CopySourceIfMatch='"0123456789abcdef0123456789abcdef"') == (412, "PreconditionFailed")


def test_copy_over_5gb_needs_multipart_simulator_only(sim, name):
    """CopyObject copies at most 5 GB; larger sources need UploadPartCopy (BC-S3 CopyObject,
    AWS-NOTES §3.1). moto cannot hold such an object; the simulator's seed stores its size only."""
    bucket = name("huge")
    sim.admin("POST", "/_sim/seed", {"buckets": [{"name": bucket, "account": wf.ACCOUNT_A,
                                                  "objects": [{"key": "big", "size": 6 * 1024 ** 3}]}]})
    s3 = sim.client("s3")
    assert s3.head_object(Bucket=bucket, Key="big")["ContentLength"] == 6 * 1024 ** 3
    status, code = error(s3.copy_object, Bucket=bucket, Key="copy", CopySource=f"{bucket}/big")
    assert (status, code) == (400, "InvalidRequest")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="copy")["UploadId"]
    part = s3.upload_part_copy(Bucket=bucket, Key="copy", UploadId=upload, PartNumber=1, CopySource=f"{bucket}/big",
                               CopySourceRange=f"bytes=0-{5 * 1024 ** 3 - 1}")
    assert wf.status_of(part) == 200
    s3.abort_multipart_upload(Bucket=bucket, Key="copy", UploadId=upload)


MIB = 1024 * 1024


def multipart(b, bucket):
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    source = bytes(range(256)) * (10 * MIB // 256) + b"tail"
    s3.put_object(Bucket=bucket, Key="source", Body=source)
    o = {}
    create = s3.create_multipart_upload(Bucket=bucket, Key="assembled", ContentType="application/octet-stream",
                                        Metadata={"parts": "3"})
    upload = create["UploadId"]
    o["create"] = (wf.status_of(create), create["Bucket"], create["Key"], bool(upload))
    p1 = s3.upload_part(Bucket=bucket, Key="assembled", UploadId=upload, PartNumber=1, Body=source[:5 * MIB])
    p2 = s3.upload_part_copy(Bucket=bucket, Key="assembled", UploadId=upload, PartNumber=2,
                             CopySource={"Bucket": bucket, "Key": "source"}, CopySourceRange=f"bytes={5 * MIB}-{10 * MIB - 1}")
    p3 = s3.upload_part_copy(Bucket=bucket, Key="assembled", UploadId=upload, PartNumber=3,
                             CopySource={"Bucket": bucket, "Key": "source"}, CopySourceRange=f"bytes={10 * MIB}-{len(source) - 1}")
    o["part etags"] = (wf.unquote(p1["ETag"]) == hashlib.md5(source[:5 * MIB]).hexdigest(),
                       wf.unquote(p2["CopyPartResult"]["ETag"]) == hashlib.md5(source[5 * MIB:10 * MIB]).hexdigest(),
                       wf.is_date(p2["CopyPartResult"]["LastModified"]))
    parts = s3.list_parts(Bucket=bucket, Key="assembled", UploadId=upload)
    o["list parts"] = [(p["PartNumber"], p["Size"]) for p in parts["Parts"]]
    uploads = s3.list_multipart_uploads(Bucket=bucket)
    o["list uploads"] = [(u["Key"], u["UploadId"] == upload) for u in uploads.get("Uploads", [])]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="assembled", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]},
        {"PartNumber": 3, "ETag": p3["CopyPartResult"]["ETag"]}]})
    o["complete"] = (wf.status_of(done), done["Bucket"], done["Key"], wf.is_multipart_etag(done["ETag"], 3))
    got = s3.get_object(Bucket=bucket, Key="assembled")
    o["assembled"] = (got["Body"].read() == source, got["ContentLength"], got["Metadata"], got["ETag"] == done["ETag"])
    o["parts after complete"] = observe(s3.list_parts, Bucket=bucket, Key="assembled", UploadId=upload)
    small = s3.create_multipart_upload(Bucket=bucket, Key="small")["UploadId"]
    e1 = s3.upload_part(Bucket=bucket, Key="small", UploadId=small, PartNumber=1, Body=b"a" * 100)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="small", UploadId=small, PartNumber=2, Body=b"b" * 100)["ETag"]
    o["too small"] = observe(s3.complete_multipart_upload, Bucket=bucket, Key="small", UploadId=small,
                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    o["abort"] = observe(s3.abort_multipart_upload, Bucket=bucket, Key="small", UploadId=small)
    return o


def test_multipart_with_upload_part_copy(backends, name):
    run_both(backends, multipart, name("mpu"))


def test_object_lock_retention_blocks_delete_simulator_only(sim, name):
    """moto's GetObjectRetention answers HTTP 500 (MOTO-NOTES §3). S3: a GOVERNANCE-retained version
    cannot be deleted without x-amz-bypass-governance-retention (403 AccessDenied), COMPLIANCE not
    even with it (BC-S3 PutObjectRetention, DeleteObject BypassGovernanceRetention; S3UG-2023
    object-lock-overview.md; AWS-NOTES §2)."""
    import datetime
    s3 = sim.client("s3")
    bucket = name("lock")
    s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    until = datetime.datetime.fromtimestamp(sim.now() + 86400, datetime.timezone.utc).replace(microsecond=0)
    gov = s3.put_object(Bucket=bucket, Key="gov", Body=b"g", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until)["VersionId"]
    comp = s3.put_object(Bucket=bucket, Key="comp", Body=b"c", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until)["VersionId"]
    retention = s3.get_object_retention(Bucket=bucket, Key="gov")["Retention"]
    assert (retention["Mode"], retention["RetainUntilDate"]) == ("GOVERNANCE", until)
    head = s3.head_object(Bucket=bucket, Key="comp")
    assert (head["ObjectLockMode"], head["ObjectLockRetainUntilDate"]) == ("COMPLIANCE", until)
    assert error(s3.delete_object, Bucket=bucket, Key="gov", VersionId=gov) == (403, "AccessDenied")
    assert error(s3.delete_object, Bucket=bucket, Key="comp", VersionId=comp, BypassGovernanceRetention=True) == (403, "AccessDenied")
    assert wf.status_of(s3.delete_object(Bucket=bucket, Key="gov", VersionId=gov, BypassGovernanceRetention=True)) == 204
    s3.put_object_legal_hold(Bucket=bucket, Key="comp", LegalHold={"Status": "ON"})
    assert s3.get_object_legal_hold(Bucket=bucket, Key="comp")["LegalHold"]["Status"] == "ON"
