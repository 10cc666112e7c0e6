import Foundation
import Testing

@testable import AWSClient

/// The flat scanner (issue 19) must build exactly FoundationXML's tree for every document it
/// takes, and leave every other document to FoundationXML.
@Suite("XML flat scanner against FoundationXML")
struct XMLFlatScannerTests {
    /// The AWS XML corpus the fuzzer starts from, and the inputs it found crashes with.
    static func corpus() throws -> [(name: String, data: Data)] {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        var files: [(String, Data)] = []
        for directory in ["Fuzz/aws-xml", "Fuzz/regressions/aws-xml"] {
            let url = tests.appendingPathComponent(directory)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() {
                files.append((name, try Data(contentsOf: url.appendingPathComponent(name))))
            }
        }
        return files
    }

    static let samples: [String] = [
        #"<?xml version="1.0" encoding="UTF-8"?>\#n<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><LastModified>2026-12-07T05:00:00.000Z</LastModified><ChecksumSHA256>n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=</ChecksumSHA256></CopyObjectResult>"#,
        "<CopyObjectResult>\n  <ETag>\"abc\"</ETag>\n  <LastModified>2026-12-07T05:00:00Z</LastModified>\n</CopyObjectResult>\n",
        "<a x='1' y=\"2\"><b/><c></c><d>t &amp; &lt;u&gt; &apos;v&apos;</d>tail</a>",
        "<a><b><c><d>deep</d></c></b>text between<e/>more</a>",
        "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R1</RequestId></Error>",
        "<?xml version=\"1.0\"?><a>1</a>",
        // Refused: left to FoundationXML, which decides (and may throw).
        "<a><!-- comment --><b>x</b></a>",
        "<a><![CDATA[<raw>]]></a>",
        "<a>&#65;&#x42;</a>",
        "<a>caf\u{E9}</a>",
        "<a xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>1</ID></a>",
        "<a>\r\n</a>",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>1</a>",
        "<a attr=\"x\ty\">1</a>",
        "<?xml version=\"1.0\"?><?pi data?><a/>",
        // Malformed: both must refuse.
        "<a><b></a></b>", "<a>", "<a></a><b></b>", "<a x=1></a>", "<a x=\"1\" x=\"2\"/>", "<a>]]></a>", "", "text",
        "<1a/>", "<a/>trailing",
        // End tags compared byte-wise with the start tag's name: a prefix either way is no match.
        "<abc>x</ab>", "<ab>x</abc>", "<Key>k</KEY>",
    ]

    static func equal(_ left: XMLNode, _ right: XMLNode) -> Bool {
        left.name == right.name && left.localName == right.localName && left.attributes == right.attributes
            && left.text == right.text && left.children.count == right.children.count
            && zip(left.children, right.children).allSatisfy { equal($0, $1) }
    }

    /// Whatever the scanner takes, FoundationXML reads to the same tree.
    func check(_ data: Data, _ name: String) -> Bool {
        guard let fast = XMLFlatScanner.parse(data) else { return false }
        let full = try? XMLNode.parseWithFoundation(data)
        #expect(full != nil, "\(name): the scanner took a document FoundationXML refuses")
        if let full { #expect(Self.equal(fast, full), "\(name): the trees differ") }
        return true
    }

    @Test func everyCorpusDocumentTheScannerTakesReadsAsFoundationReadsIt() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 50, "the AWS XML corpus is missing (Tests/Fuzz/aws-xml)")
        var taken = 0
        for (name, data) in corpus where check(data, name) { taken += 1 }
        // Most of the corpus is the plain documents the scanner is for.
        #expect(taken * 2 >= corpus.count, "the scanner took only \(taken) of \(corpus.count) documents")
    }

    @Test func samplesAreTakenOrLeftAsExpected() {
        var taken: [Int] = []
        for (index, text) in Self.samples.enumerated() where check(Data(text.utf8), "sample \(index)") {
            taken.append(index)
        }
        #expect(taken == [0, 1, 2, 3, 4, 5])
    }

    @Test func copyObjectResultIsReadByTheScannerWithItsEntities() throws {
        let root = try #require(XMLFlatScanner.parse(Data(Self.samples[0].utf8)))
        #expect(root.localName == "CopyObjectResult")
        #expect(root.string("ETag") == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(root.string("ChecksumSHA256") == "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=")
        // Through the public entry point too, and malformed input still throws.
        #expect(try XMLNode.parse(Data(Self.samples[0].utf8)).string("LastModified") == "2026-12-07T05:00:00.000Z")
        #expect(throws: XMLDecodeError.self) { try XMLNode.parse(Data("<a><b></a></b>".utf8)) }
    }
}
