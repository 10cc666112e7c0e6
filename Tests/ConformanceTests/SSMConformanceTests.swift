import AWSServices
import Foundation
import TestSupport
import Testing

/// PutParameter (Overwrite), GetParameterHistory (with and without decryption, paged) and
/// DeleteParameter against moto with signature checking, through our own client.
@Suite struct SSMConformanceTests {
    @Test func putHistoryAndDeleteRoundTrip() async throws {
        let moto = try MotoFixture.load()
        let ssm = SSMClient(client: moto.clientA(.ssm))
        let name = "/cutover-conformance/\(MotoFixture.uniqueName("param"))"

        #expect(try await ssm.putParameter(name, value: "one", type: .string).version == 1)
        #expect(try await ssm.putParameter(name, value: "two", type: .string).version == 2)
        let history = try await ssm.parameterHistory(name, withDecryption: false)
        #expect(history.map(\.version) == [1, 2])
        #expect(history.map(\.value) == ["one", "two"])
        #expect(history.allSatisfy { $0.type == .string && $0.name == name })

        // A SecureString: decrypted only when asked.
        let secure = "\(name)-secure"
        let plaintext = "s3cure-\(UUID().uuidString)"
        #expect(try await ssm.putParameter(secure, value: plaintext, type: .secureString).version == 1)
        #expect(try await ssm.parameterHistory(secure, withDecryption: true).first?.value == plaintext)
        let encrypted = try await ssm.parameterHistory(secure, withDecryption: false).first
        #expect(encrypted?.type == .secureString && encrypted?.value != plaintext)

        // More versions than one page (50) come back in order.
        for index in 3...55 { _ = try await ssm.putParameter(name, value: "v\(index)", type: .string) }
        let long = try await ssm.parameterHistory(name, withDecryption: false)
        #expect(long.map(\.version) == Array(1...55))
        #expect(long.last?.value == "v55")

        let requestId = try await ssm.deleteParameter(name)
        #expect(requestId?.isEmpty == false)
        let gone = await #expect(throws: AWSError.self) { try await ssm.parameterHistory(name, withDecryption: false) }
        #expect(gone.map { $0.code == .parameterNotFound } == true)
        #expect(gone?.operation == "GetParameterHistory" && gone?.resource == name)
        let again = await #expect(throws: AWSError.self) { try await ssm.deleteParameter(name) }
        #expect(again.map { $0.code == .parameterNotFound } == true)
        _ = try await ssm.deleteParameter(secure)
    }
}
