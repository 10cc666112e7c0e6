import AWSSimulator
import Foundation
import Testing

/// Objects: attributes, checksums, versioning and delete markers, Object Lock, DeleteObjects.
@Suite("simulated S3: objects and versions")
struct SimS3ObjectTests {
    typealias H = SimS3Harness

    @Test func putAndGetRoundTripMetadataTagsChecksumAndETag() {
        var s3 = H()
        s3.createBucket("objects")
        let body = Data("hello, cutover".utf8)
        let put = s3.put(
            "objects", "dir/hello.txt", body,
            headers: [
                ("Content-Type", "text/plain"), ("Cache-Control", "max-age=60"), ("x-amz-meta-Owner", "team-a"),
                ("x-amz-tagging", "env=prod&cost%20center=42"), ("x-amz-storage-class", "STANDARD_IA"),
                ("x-amz-checksum-sha256", H.sha256Base64(body)), ("x-amz-server-side-encryption", "aws:kms"),
                ("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111111111111:key/abc"),
            ])
        #expect(put.status == 200)
        #expect(put.mutated)
        #expect(put.resource == "objects/dir/hello.txt")
        #expect(put.header("ETag") == "\"\(H.md5Hex(body))\"")
        #expect(put.header("x-amz-server-side-encryption") == "aws:kms")
        #expect(put.header("x-amz-checksum-sha256") == H.sha256Base64(body))
        #expect(put.header("x-amz-request-id") != nil && put.header("x-amz-id-2") != nil)

        let get = s3.get("objects", "dir/hello.txt", headers: [("x-amz-checksum-mode", "ENABLED")])
        #expect(get.body == body)
        #expect(get.header("Content-Type") == "text/plain")
        #expect(get.header("Cache-Control") == "max-age=60")
        #expect(get.header("x-amz-meta-owner") == "team-a")
        #expect(get.header("x-amz-storage-class") == "STANDARD_IA")
        #expect(get.header("x-amz-tagging-count") == "2")
        #expect(get.header("x-amz-checksum-sha256") == H.sha256Base64(body))
        #expect(get.header("Content-Length") == String(body.count))
        #expect(get.header("x-amz-version-id") == nil)
        #expect(!get.mutated)

        let head = s3.call("HEAD", "/objects/dir/hello.txt")
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == String(body.count))
        #expect(head.header("x-amz-checksum-sha256") == nil)
        #expect(head.header("x-amz-tagging-count") == "2", "HeadObjectOutput has TagCount too")

        let tags = s3.call("GET", "/objects/dir/hello.txt", query: "tagging")
        #expect(tags.elements("Key") == ["env", "cost center"])

        let range = s3.get("objects", "dir/hello.txt", headers: [("Range", "bytes=7-13")])
        #expect(range.status == 206)
        #expect(range.text == "cutover")
        #expect(range.header("Content-Range") == "bytes 7-13/14")

        let attributes = s3.call(
            "GET", "/objects/dir/hello.txt", query: "attributes",
            headers: [("x-amz-object-attributes", "ETag,Checksum,ObjectSize,StorageClass")])
        #expect(attributes.element("ETag") == H.md5Hex(body))
        #expect(attributes.element("ChecksumSHA256") == H.sha256Base64(body))
        #expect(attributes.element("ObjectSize") == "14")
        #expect(attributes.element("StorageClass") == "STANDARD_IA")
    }

    @Test func wrongChecksumIsBadDigestAndNothingIsStored() {
        var s3 = H()
        s3.createBucket("digests")
        let wrongSHA = s3.put("digests", "k", Data("abc".utf8), headers: [("x-amz-checksum-sha256", H.sha256Base64(Data("abd".utf8)))])
        #expect(wrongSHA.status == 400)
        #expect(wrongSHA.code == "BadDigest")
        let wrongMD5 = s3.put("digests", "k", Data("abc".utf8), headers: [("Content-MD5", H.md5Base64(Data("xyz".utf8)))])
        #expect(wrongMD5.code == "BadDigest")
        #expect(s3.get("digests", "k").code == "NoSuchKey")
    }

    @Test func awsChunkedBodiesAreUnframedAndTrailingChecksumsChecked() {
        var s3 = H()
        s3.createBucket("chunked")
        let payload = Data("0123456789".utf8)
        let framed = "a\r\n0123456789\r\n0\r\nx-amz-checksum-sha256:\(H.sha256Base64(payload))\r\n\r\n"
        let put = s3.put(
            "chunked", "k", Data(framed.utf8),
            headers: [
                ("Content-Encoding", "aws-chunked"), ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                ("x-amz-decoded-content-length", "10"), ("x-amz-trailer", "x-amz-checksum-sha256"),
            ])
        #expect(put.status == 200)
        #expect(s3.get("chunked", "k").body == payload)
        #expect(s3.get("chunked", "k").header("Content-Encoding") == nil)
        let bad = "a\r\n0123456789\r\n0\r\nx-amz-checksum-sha256:\(H.sha256Base64(Data("x".utf8)))\r\n\r\n"
        #expect(s3.put("chunked", "k", Data(bad.utf8), headers: [("Content-Encoding", "aws-chunked")]).code == "BadDigest")
    }

    @Test func conditionalWrites() {
        var s3 = H()
        s3.createBucket("conditional")
        #expect(s3.put("conditional", "k", Data("1".utf8), headers: [("If-None-Match", "*")]).status == 200)
        #expect(s3.put("conditional", "k", Data("2".utf8), headers: [("If-None-Match", "*")]).status == 412)
        #expect(s3.get("conditional", "k", headers: [("If-Match", "\"nope\"")]).status == 412)
    }

    @Test func versionsAndDeleteMarkers() {
        var s3 = H()
        s3.createBucket("versioned")
        s3.enableVersioning("versioned")
        let v1 = s3.put("versioned", "k", Data("one".utf8)).header("x-amz-version-id")
        let v2 = s3.put("versioned", "k", Data("two".utf8)).header("x-amz-version-id")
        #expect(v1 != nil && v2 != nil && v1 != v2)
        let delete = s3.call("DELETE", "/versioned/k")
        #expect(delete.status == 204)
        #expect(delete.header("x-amz-delete-marker") == "true")
        let marker = delete.header("x-amz-version-id")
        #expect(s3.get("versioned", "k").code == "NoSuchKey")
        #expect(s3.get("versioned", "k", query: "versionId=\(v1!)").text == "one")
        #expect(s3.get("versioned", "k", query: "versionId=\(marker!)").status == 405)

        let listing = s3.call("GET", "/versioned", query: "versions")
        #expect(listing.elements("VersionId") == [marker!, v2!, v1!])
        #expect(listing.text.contains("<DeleteMarker><Key>k</Key><VersionId>\(marker!)</VersionId><IsLatest>true</IsLatest>"))
        #expect(s3.call("GET", "/versioned", query: "list-type=2").elements("Key").isEmpty)

        // Removing the marker restores the previous version.
        s3.call("DELETE", "/versioned/k", query: "versionId=\(marker!)")
        #expect(s3.get("versioned", "k").text == "two")
    }

    @Test func suspendedVersioningOverwritesTheNullVersion() {
        var s3 = H()
        s3.createBucket("suspended")
        s3.enableVersioning("suspended")
        s3.put("suspended", "k", Data("kept".utf8))
        s3.putConfiguration("suspended", "versioning", "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>")
        s3.put("suspended", "k", Data("null-1".utf8))
        s3.put("suspended", "k", Data("null-2".utf8))
        let versions = s3.state.s3.buckets["suspended"]!.versions(of: "k")
        #expect(versions.count == 2)
        #expect(versions.last?.versionId == "null")
        #expect(s3.get("suspended", "k").header("x-amz-version-id") == "null")
    }

    @Test func deleteBucketRefusedWhileOnlyDeleteMarkersRemain() {
        var s3 = H()
        s3.createBucket("markers-only")
        s3.enableVersioning("markers-only")
        let version = s3.put("markers-only", "k", Data("x".utf8)).header("x-amz-version-id")!
        let marker = s3.call("DELETE", "/markers-only/k").header("x-amz-version-id")!
        s3.call("DELETE", "/markers-only/k", query: "versionId=\(version)")
        // Only the delete marker is left.
        #expect(s3.state.s3.buckets["markers-only"]!.versions(of: "k").map(\.isDeleteMarker) == [true])
        let refused = s3.call("DELETE", "/markers-only")
        #expect(refused.status == 409)
        #expect(refused.code == "BucketNotEmpty")
        #expect(!refused.mutated)
        s3.call("DELETE", "/markers-only/k", query: "versionId=\(marker)")
        #expect(s3.call("DELETE", "/markers-only").status == 204)
    }

    @Test func lockedVersionsCannotBeDeleted() {
        var s3 = H()
        s3.createBucket("locked", headers: [("x-amz-bucket-object-lock-enabled", "true")])
        #expect(s3.state.s3.buckets["locked"]?.versioning == .enabled)
        let until = "2027-01-01T00:00:00.000Z"
        let body = Data("evidence".utf8)
        let integrity: (name: String, value: String) = ("Content-MD5", H.md5Base64(body))
        let compliance = s3.put(
            "locked", "compliance", body,
            headers: [("x-amz-object-lock-mode", "COMPLIANCE"), ("x-amz-object-lock-retain-until-date", until), integrity])
        #expect(compliance.status == 200)
        let governance = s3.put(
            "locked", "governance", body,
            headers: [("x-amz-object-lock-mode", "GOVERNANCE"), ("x-amz-object-lock-retain-until-date", until), integrity])
        let held = s3.put("locked", "held", body, headers: [("x-amz-object-lock-legal-hold", "ON"), integrity])
        let cv = compliance.header("x-amz-version-id")!
        let gv = governance.header("x-amz-version-id")!
        let hv = held.header("x-amz-version-id")!

        let bypass: [(name: String, value: String)] = [("x-amz-bypass-governance-retention", "true")]
        #expect(s3.call("DELETE", "/locked/compliance", query: "versionId=\(cv)").code == "AccessDenied")
        #expect(s3.call("DELETE", "/locked/compliance", query: "versionId=\(cv)", headers: bypass).code == "AccessDenied")
        #expect(s3.call("DELETE", "/locked/governance", query: "versionId=\(gv)").code == "AccessDenied")
        #expect(s3.call("DELETE", "/locked/governance", query: "versionId=\(gv)", headers: bypass).status == 204)
        #expect(s3.call("DELETE", "/locked/held", query: "versionId=\(hv)", headers: bypass).code == "AccessDenied")
        // A delete without a version only adds a marker, which Object Lock allows.
        #expect(s3.call("DELETE", "/locked/compliance").status == 204)
        #expect(s3.call("HEAD", "/locked/compliance", query: "versionId=\(cv)").header("x-amz-object-lock-mode") == "COMPLIANCE")
        // Once the retention date passes, the version can go.
        s3.now = Date(timeIntervalSince1970: 1_798_761_601)
        #expect(s3.call("DELETE", "/locked/compliance", query: "versionId=\(cv)").status == 204)
        // Lock headers on a bucket without Object Lock are refused.
        s3.createBucket("unlocked")
        #expect(s3.put("unlocked", "k", body, headers: [("x-amz-object-lock-legal-hold", "ON"), integrity]).code == "InvalidRequest")
        #expect(
            s3.putConfiguration("locked", "versioning", "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>")
                .code == "InvalidBucketState")
    }

    @Test func deleteObjectsReportsPerKeyAndHonoursQuiet() {
        var s3 = H()
        s3.createBucket("batch", headers: [("x-amz-bucket-object-lock-enabled", "true")])
        s3.put("batch", "a", Data("a".utf8))
        let locked = s3.put(
            "batch", "b", Data("b".utf8), headers: [("x-amz-object-lock-legal-hold", "ON"), ("Content-MD5", H.md5Base64(Data("b".utf8)))])
        let lockedVersion = locked.header("x-amz-version-id")!
        let document = """
            <Delete><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>\(lockedVersion)</VersionId></Object><Object><Key>missing</Key></Object></Delete>
            """
        let body = Data(document.utf8)
        let result = s3.call("POST", "/batch", query: "delete", headers: [("Content-MD5", H.md5Base64(body))], body: body)
        #expect(result.status == 200)
        #expect(result.elements("Key") == ["a", "b", "missing"])
        #expect(result.element("Code") == "AccessDenied")
        #expect(result.text.contains("<DeleteMarker>true</DeleteMarker>"))

        let quietBody = Data("<Delete><Quiet>true</Quiet><Object><Key>c</Key></Object></Delete>".utf8)
        let quiet = s3.call("POST", "/batch", query: "delete", headers: [("Content-MD5", H.md5Base64(quietBody))], body: quietBody)
        #expect(quiet.elements("Key").isEmpty)

        #expect(s3.call("POST", "/batch", query: "delete", body: quietBody).code == "InvalidRequest")
        let tooMany = "<Delete>" + String(repeating: "<Object><Key>k</Key></Object>", count: 1001) + "</Delete>"
        let tooManyBody = Data(tooMany.utf8)
        #expect(
            s3.call("POST", "/batch", query: "delete", headers: [("Content-MD5", H.md5Base64(tooManyBody))], body: tooManyBody).code
                == "MalformedXML")
    }

    @Test func missingThingsAnswerTheirOwnCodes() {
        var s3 = H()
        let noBucket = s3.get("nowhere", "k")
        #expect(noBucket.status == 404)
        #expect(noBucket.code == "NoSuchBucket")
        #expect(noBucket.element("BucketName") == "nowhere")
        s3.createBucket("somewhere")
        let noKey = s3.get("somewhere", "dir/k")
        #expect(noKey.code == "NoSuchKey")
        #expect(noKey.element("Key") == "dir/k")
        #expect(noKey.element("RequestId") != nil && noKey.element("HostId") != nil)
        #expect(s3.call("HEAD", "/somewhere/dir/k").status == 404)
    }
}
