import AWSSimulator
import Foundation
import Testing

/// Listings paged at 1,000, CopyObject's 5 GB limit, multipart and UploadPartCopy, sub-resources.
@Suite("simulated S3: listings, copies, multipart, configuration")
struct SimS3ListingCopyTests {
    typealias H = SimS3Harness

    static func seedKeys(_ s3: inout H, bucket: String, count: Int) throws {
        for i in 0..<count {
            try s3.state.s3.seedObject(bucket: bucket, key: String(format: "key-%05d", i), body: .bytes(Data("\(i)".utf8)), at: s3.now)
        }
    }

    @Test func listObjectsV2PagesAtOneThousandWithOpaqueTokens() throws {
        var s3 = H()
        s3.createBucket("many")
        try Self.seedKeys(&s3, bucket: "many", count: 2503)
        var keys: [String] = []
        var token: String?
        var pages = 0
        repeat {
            var query = "list-type=2&max-keys=5000"
            if let token { query += "&continuation-token=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            let page = s3.call("GET", "/many", query: query)
            #expect(page.status == 200)
            #expect(page.element("MaxKeys") == "1000")
            let pageKeys = page.elements("Key")
            #expect(pageKeys.count <= 1000)
            #expect(page.element("KeyCount") == String(pageKeys.count))
            keys += pageKeys
            token = page.element("IsTruncated") == "true" ? page.element("NextContinuationToken") : nil
            pages += 1
        } while token != nil
        #expect(pages == 3)
        #expect(keys.count == 2503)
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == 2503)

        let bogus = s3.call("GET", "/many", query: "list-type=2&continuation-token=bm90LWEtdG9rZW4")
        #expect(bogus.status == 400)
        #expect(bogus.code == "InvalidArgument")
        let startAfter = s3.call("GET", "/many", query: "list-type=2&start-after=key-02500")
        #expect(startAfter.elements("Key") == ["key-02501", "key-02502"])
    }

    @Test func prefixDelimiterAndURLEncoding() {
        var s3 = H()
        s3.createBucket("tree")
        for key in ["a/1", "a/2", "a/b/3", "b/4", "c", "d e+f"] { s3.put("tree", key, Data()) }
        let top = s3.call("GET", "/tree", query: "list-type=2&delimiter=/")
        #expect(top.elements("Prefix").filter { !$0.isEmpty } == ["a/", "b/"])
        #expect(top.elements("Key") == ["c", "d e+f"])
        let paged = s3.call("GET", "/tree", query: "list-type=2&delimiter=/&max-keys=1")
        #expect(paged.elements("Prefix").filter { !$0.isEmpty } == ["a/"])
        let next = paged.element("NextContinuationToken")!
        let second = s3.call(
            "GET", "/tree",
            query:
                "list-type=2&delimiter=/&max-keys=1&continuation-token=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        )
        #expect(second.elements("Prefix").filter { !$0.isEmpty } == ["b/"])
        let inA = s3.call("GET", "/tree", query: "list-type=2&prefix=a/&delimiter=/")
        #expect(inA.elements("Key") == ["a/1", "a/2"])
        #expect(inA.text.contains("<CommonPrefixes><Prefix>a/b/</Prefix></CommonPrefixes>"))
        let encoded = s3.call("GET", "/tree", query: "list-type=2&encoding-type=url&prefix=d")
        #expect(encoded.elements("Key") == ["d+e%2Bf"])
        #expect(s3.call("GET", "/tree", query: "list-type=2&encoding-type=xml").code == "InvalidArgument")
    }

    @Test func listObjectVersionsPagesWithKeyAndVersionMarkers() throws {
        var s3 = H()
        s3.createBucket("history")
        s3.enableVersioning("history")
        for i in 0..<5 {
            for round in 0..<3 {
                try s3.state.s3.seedObject(bucket: "history", key: "k\(i)", body: .bytes(Data("\(round)".utf8)), at: s3.now)
            }
        }
        try s3.state.s3.seedDeleteMarker(bucket: "history", key: "k4", at: s3.now)
        var seen: [String] = []
        var keyMarker: String?
        var versionMarker: String?
        var pages = 0
        repeat {
            var query = "versions&max-keys=4"
            if let keyMarker { query += "&key-marker=\(keyMarker)" }
            if let versionMarker { query += "&version-id-marker=\(versionMarker)" }
            let page = s3.call("GET", "/history", query: query)
            #expect(page.status == 200)
            let ids = page.elements("VersionId")
            #expect(ids.count <= 4)
            seen += ids
            pages += 1
            if page.element("IsTruncated") == "true" {
                keyMarker = page.element("NextKeyMarker")
                versionMarker = page.element("NextVersionIdMarker")
            } else {
                keyMarker = nil
            }
        } while keyMarker != nil
        #expect(seen.count == 16)
        #expect(Set(seen).count == 16)
        #expect(pages == 4)
        #expect(s3.call("GET", "/history", query: "versions&max-keys=100000").element("MaxKeys") == "1000")
        #expect(s3.call("GET", "/history", query: "versions&version-id-marker=abc").code == "InvalidArgument")
    }

    @Test func copyOfMoreThanFiveGiBIsRefusedButMultipartCopyWorks() throws {
        var s3 = H()
        s3.createBucket("big")
        try s3.state.s3.seedObject(bucket: "big", key: "six-gib", body: .synthetic(size: 6 << 30), at: s3.now)
        let copy = s3.call("PUT", "/big/copy", headers: [("x-amz-copy-source", "big/six-gib")])
        #expect(copy.status == 400)
        #expect(copy.code == "InvalidRequest")
        #expect(copy.element("Message")?.contains("copy source is larger than the maximum allowable size") == true)
        #expect(s3.state.s3.buckets["big"]?.current("copy") == nil)

        let upload = s3.call("POST", "/big/copy", query: "uploads").element("UploadId")!
        let wholePart = s3.call(
            "PUT", "/big/copy", query: "partNumber=1&uploadId=\(upload)", headers: [("x-amz-copy-source", "big/six-gib")])
        #expect(wholePart.code == "InvalidRequest")
        var parts: [String] = []
        let half: Int64 = 3 << 30
        for (number, range) in [(1, "bytes=0-\(half - 1)"), (2, "bytes=\(half)-\((6 << 30) - 1)")] {
            let part = s3.call(
                "PUT", "/big/copy", query: "partNumber=\(number)&uploadId=\(upload)",
                headers: [("x-amz-copy-source", "big/six-gib"), ("x-amz-copy-source-range", range)])
            #expect(part.status == 200)
            parts.append(part.element("ETag")!.replacingOccurrences(of: "&quot;", with: "\""))
        }
        let complete = Self.completeDocument(parts)
        #expect(s3.call("POST", "/big/copy", query: "uploadId=\(upload)", body: complete).status == 200)
        #expect(s3.state.s3.buckets["big"]?.current("copy")?.size == 6 << 30)
    }

    static func completeDocument(_ eTags: [String]) -> Data {
        var xml = "<CompleteMultipartUpload>"
        for (index, eTag) in eTags.enumerated() { xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(eTag)</ETag></Part>" }
        return Data((xml + "</CompleteMultipartUpload>").utf8)
    }

    @Test func multipartCopyAssemblesTheRightBytes() {
        var s3 = H()
        s3.createBucket("src")
        s3.createBucket("dst", account: H.product)
        s3.putConfiguration("src", "policy", H.allowPolicy(bucket: "src", account: H.product))
        let size = 12 * 1024 * 1024 + 123
        let source = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
        s3.put("src", "big.bin", source)
        let upload = s3.call(
            "POST", "/dst/big.bin", query: "uploads", headers: [("x-amz-checksum-algorithm", "SHA256")], account: H.product
        )
        .element("UploadId")!
        let fiveMiB = 5 * 1024 * 1024
        var eTags: [String] = []
        var md5s = Data()
        for (number, lower) in [0, fiveMiB, 2 * fiveMiB].enumerated() {
            let upper = min(lower + fiveMiB, size) - 1
            let part = s3.call(
                "PUT", "/dst/big.bin", query: "partNumber=\(number + 1)&uploadId=\(upload)",
                headers: [("x-amz-copy-source", "/src/big.bin"), ("x-amz-copy-source-range", "bytes=\(lower)-\(upper)")], account: H.product
            )
            #expect(part.status == 200)
            let eTag = part.element("ETag")!.replacingOccurrences(of: "&quot;", with: "\"")
            #expect(eTag == "\"\(H.md5Hex(source[lower...upper]))\"")
            eTags.append(eTag)
            md5s.append(Data(base64Encoded: H.md5Base64(source[lower...upper]))!)
        }
        let listing = s3.call("GET", "/dst", query: "uploads", account: H.product)
        #expect(listing.elements("UploadId") == [upload])
        let complete = s3.call("POST", "/dst/big.bin", query: "uploadId=\(upload)", body: Self.completeDocument(eTags), account: H.product)
        #expect(complete.status == 200)
        let expectedETag = "\"\(H.md5Hex(md5s))-3\""
        #expect(complete.element("ETag") == expectedETag.replacingOccurrences(of: "\"", with: "&quot;"))
        #expect(complete.element("ChecksumType") == "COMPOSITE")
        let read = s3.get("dst", "big.bin", account: H.product)
        #expect(read.body == source)
        #expect(read.header("ETag") == expectedETag)
        let attributes = s3.call(
            "GET", "/dst/big.bin", query: "attributes", headers: [("x-amz-object-attributes", "ObjectParts,ObjectSize")], account: H.product
        )
        #expect(attributes.element("TotalPartsCount") == "3")
        #expect(attributes.element("ObjectSize") == String(size))
        #expect(s3.call("GET", "/dst", query: "uploads", account: H.product).elements("UploadId").isEmpty)
    }

    /// A copy's ETag is the MD5 of its bytes: the source's own for a single-part source (taken
    /// over without hashing again), the whole content's for a multipart source, whose copy is
    /// single-part.
    @Test func aCopysETagIsTheMD5OfItsBytes() {
        var s3 = H()
        s3.createBucket("etags")
        let small = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        s3.put("etags", "small.bin", small)
        #expect(s3.call("PUT", "/etags/small-copy", headers: [("x-amz-copy-source", "etags/small.bin")]).status == 200)
        #expect(s3.get("etags", "small-copy").header("ETag") == "\"\(H.md5Hex(small))\"")

        let fiveMiB = 5 * 1024 * 1024
        let whole = Data((0..<(fiveMiB + 10)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ $0 >> 9) })
        let upload = s3.call("POST", "/etags/multi.bin", query: "uploads").element("UploadId")!
        let first = s3.call("PUT", "/etags/multi.bin", query: "partNumber=1&uploadId=\(upload)", body: whole[0..<fiveMiB]).header("ETag")!
        let second = s3.call("PUT", "/etags/multi.bin", query: "partNumber=2&uploadId=\(upload)", body: whole[fiveMiB...]).header("ETag")!
        #expect(
            s3.call("POST", "/etags/multi.bin", query: "uploadId=\(upload)", body: Self.completeDocument([first, second])).status == 200)
        #expect(s3.get("etags", "multi.bin").header("ETag")?.hasSuffix("-2\"") == true)
        #expect(s3.call("PUT", "/etags/multi-copy", headers: [("x-amz-copy-source", "etags/multi.bin")]).status == 200)
        let copied = s3.get("etags", "multi-copy")
        #expect(copied.body == whole)
        #expect(copied.header("ETag") == "\"\(H.md5Hex(whole))\"")
    }

    @Test func smallPartsAreEntityTooSmallAndUnknownUploadsNoSuchUpload() {
        var s3 = H()
        s3.createBucket("mpu")
        let upload = s3.call("POST", "/mpu/k", query: "uploads").element("UploadId")!
        let e1 = s3.call("PUT", "/mpu/k", query: "partNumber=1&uploadId=\(upload)", body: Data(repeating: 1, count: 100)).header("ETag")!
        let e2 = s3.call("PUT", "/mpu/k", query: "partNumber=2&uploadId=\(upload)", body: Data(repeating: 2, count: 100)).header("ETag")!
        let complete = s3.call("POST", "/mpu/k", query: "uploadId=\(upload)", body: Self.completeDocument([e1, e2]))
        #expect(complete.status == 400)
        #expect(complete.code == "EntityTooSmall")
        let wrongOrder = Data(
            "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>\(e2)</ETag></Part><Part><PartNumber>1</PartNumber><ETag>\(e1)</ETag></Part></CompleteMultipartUpload>"
                .utf8)
        #expect(s3.call("POST", "/mpu/k", query: "uploadId=\(upload)", body: wrongOrder).code == "InvalidPartOrder")
        #expect(s3.call("POST", "/mpu/k", query: "uploadId=\(upload)", body: Self.completeDocument(["\"bad\""])).code == "InvalidPart")
        // A single small part is fine: only the last part may be small.
        #expect(s3.call("POST", "/mpu/k", query: "uploadId=\(upload)", body: Self.completeDocument([e1])).status == 200)
        #expect(s3.call("PUT", "/mpu/k", query: "partNumber=1&uploadId=\(upload)", body: Data()).code == "NoSuchUpload")
        let another = s3.call("POST", "/mpu/k2", query: "uploads").element("UploadId")!
        #expect(s3.call("DELETE", "/mpu/k2", query: "uploadId=\(another)").status == 204)
        #expect(s3.call("DELETE", "/mpu/k2", query: "uploadId=\(another)").code == "NoSuchUpload")
    }

    @Test func copyDirectivesStorageClassAndSelfCopy() {
        var s3 = H()
        s3.createBucket("copies")
        s3.put(
            "copies", "src", Data("data".utf8),
            headers: [
                ("Content-Type", "text/csv"), ("x-amz-meta-a", "1"), ("x-amz-tagging", "t=1"), ("x-amz-storage-class", "GLACIER_IR"),
                ("x-amz-website-redirect-location", "/elsewhere"),
            ])
        #expect(s3.call("PUT", "/copies/keep", headers: [("x-amz-copy-source", "copies/src")]).status == 200)
        let kept = s3.get("copies", "keep")
        #expect(kept.header("Content-Type") == "text/csv")
        #expect(kept.header("x-amz-meta-a") == "1")
        #expect(kept.header("x-amz-storage-class") == nil)
        #expect(kept.header("x-amz-website-redirect-location") == nil)
        let replaced = s3.call(
            "PUT", "/copies/replace",
            headers: [
                ("x-amz-copy-source", "copies/src"), ("x-amz-metadata-directive", "REPLACE"), ("x-amz-tagging-directive", "REPLACE"),
                ("x-amz-meta-b", "2"), ("x-amz-tagging", "u=2"),
            ])
        #expect(replaced.status == 200)
        #expect(s3.get("copies", "replace").header("x-amz-meta-a") == nil)
        #expect(s3.call("GET", "/copies/replace", query: "tagging").elements("Key") == ["u"])
        #expect(s3.call("PUT", "/copies/src", headers: [("x-amz-copy-source", "copies/src")]).code == "InvalidRequest")
        #expect(s3.call("PUT", "/copies/x", headers: [("x-amz-copy-source", "copies/absent")]).code == "NoSuchKey")
    }

    @Test func subresourcesRoundTripVerbatimAndAnswerTheirNotConfiguredCodes() {
        var s3 = H()
        s3.createBucket("configured")
        let notConfigured: [(String, String)] = [
            ("policy", "NoSuchBucketPolicy"), ("cors", "NoSuchCORSConfiguration"), ("lifecycle", "NoSuchLifecycleConfiguration"),
            ("tagging", "NoSuchTagSet"), ("website", "NoSuchWebsiteConfiguration"),
            ("replication", "ReplicationConfigurationNotFoundError"),
            ("object-lock", "ObjectLockConfigurationNotFoundError"),
        ]
        for (subresource, code) in notConfigured {
            let answer = s3.call("GET", "/configured", query: subresource)
            #expect(answer.status == 404, "\(subresource)")
            #expect(answer.code == code, "\(subresource)")
        }
        #expect(s3.call("DELETE", "/configured", query: "publicAccessBlock").status == 204)
        #expect(s3.call("GET", "/configured", query: "publicAccessBlock").code == "NoSuchPublicAccessBlockConfiguration")
        #expect(s3.call("DELETE", "/configured", query: "ownershipControls").status == 204)
        #expect(s3.call("GET", "/configured", query: "ownershipControls").code == "OwnershipControlsNotFoundError")
        #expect(s3.call("DELETE", "/configured", query: "encryption").status == 204)
        #expect(s3.call("GET", "/configured", query: "encryption").text.contains("AES256"))

        let empty = s3.call("GET", "/configured", query: "versioning")
        #expect(empty.status == 200)
        #expect(empty.text.contains("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"))
        #expect(s3.call("GET", "/configured", query: "logging").text.contains("<BucketLoggingStatus"))
        #expect(s3.call("GET", "/configured", query: "notification").text.contains("<NotificationConfiguration"))
        #expect(s3.call("GET", "/configured", query: "accelerate").text.contains("<AccelerateConfiguration"))
        #expect(s3.call("GET", "/configured", query: "requestPayment").element("Payer") == "BucketOwner")

        let documents: [(String, String)] = [
            (
                "cors",
                "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>"
            ),
            (
                "lifecycle",
                "<LifecycleConfiguration><Rule><ID>expire</ID><Status>Enabled</Status><Filter/><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>"
            ),
            ("tagging", "<Tagging><TagSet><Tag><Key>team</Key><Value>data</Value></Tag></TagSet></Tagging>"),
            ("website", "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>"),
            (
                "logging",
                "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>x/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"
            ),
            ("accelerate", "<AccelerateConfiguration><Status>Enabled</Status></AccelerateConfiguration>"),
        ]
        for (subresource, document) in documents {
            let put = s3.putConfiguration("configured", subresource, document)
            // S3 answers 204 No Content to PutBucketTagging (versity/versitygw#932), 200 to the others.
            #expect(put.status == (subresource == "tagging" ? 204 : 200), "\(subresource)")
            #expect(put.mutated)
            #expect(s3.call("GET", "/configured", query: subresource).text == document, "\(subresource)")
        }
        #expect(s3.call("DELETE", "/configured", query: "cors").status == 204)
        #expect(s3.call("GET", "/configured", query: "cors").code == "NoSuchCORSConfiguration")
        #expect(s3.putConfiguration("configured", "cors", "<NotCORS/>").code == "MalformedXML")
        #expect(s3.putConfiguration("configured", "replication", "<ReplicationConfiguration/>").code == "InvalidRequest")
        let unsigned = s3.call("PUT", "/configured", query: "cors", body: Data(documents[0].1.utf8))
        #expect(unsigned.code == "InvalidRequest")
    }
}
