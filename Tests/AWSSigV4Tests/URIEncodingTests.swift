import AWSSigV4
import Testing

@Suite struct URIEncodingTests {
    @Test func unreservedCharactersStay() {
        let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
        #expect(SigV4URIEncoding.encode(unreserved, encodeSlash: true) == unreserved)
    }

    @Test func everythingElseIsUpperCasePercentUTF8() {
        #expect(SigV4URIEncoding.encode("a b+c=d&e%f", encodeSlash: true) == "a%20b%2Bc%3Dd%26e%25f")
        #expect(SigV4URIEncoding.encode("ሴ", encodeSlash: true) == "%E1%88%B4")
        #expect(SigV4URIEncoding.encode("🚀", encodeSlash: true) == "%F0%9F%9A%80")
        #expect(
            SigV4URIEncoding.encode("!*'();:@$,?#[]", encodeSlash: true) == "%21%2A%27%28%29%3B%3A%40%24%2C%3F%23%5B%5D"
        )
    }

    @Test func slashIsKeptOnlyForPaths() {
        #expect(SigV4URIEncoding.encode("/a b/c", encodeSlash: false) == "/a%20b/c")
        #expect(SigV4URIEncoding.encode("/a b/c", encodeSlash: true) == "%2Fa%20b%2Fc")
    }

    @Test func decodeReversesEncode() {
        for sample in ["", "plain", "a b/c?d=e&f", "ሴ日本🚀", "%41 literal", "+~-._"] {
            #expect(SigV4URIEncoding.decode(SigV4URIEncoding.encode(sample, encodeSlash: true)) == sample)
        }
        #expect(SigV4URIEncoding.decode("%e1%88%b4") == "ሴ")
    }

    @Test func decodeToleratesBadEscapes() {
        #expect(SigV4URIEncoding.decode("%") == "%")
        #expect(SigV4URIEncoding.decode("a%4") == "a%4")
        #expect(SigV4URIEncoding.decode("%zz%41") == "%zzA")
        #expect(SigV4URIEncoding.decode("100%") == "100%")
        #expect(SigV4URIEncoding.decode("a+b") == "a+b")
        #expect(SigV4URIEncoding.decode("%FF") == "\u{FFFD}")
    }
}
