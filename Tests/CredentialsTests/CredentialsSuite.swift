import Testing

/// Every suite of this target nests here and runs one test at a time. The suites start and stop
/// many loopback servers, and `LoopbackHTTPServer.stop()` can shut down a descriptor number that a
/// concurrently running test's server has just been given, resetting that test's first connection.
@Suite(.serialized) struct CredentialsSuite {}
