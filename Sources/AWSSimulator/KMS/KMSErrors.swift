/// The KMS errors the simulator answers, with KMS's codes. KMS sends every client error as
/// HTTP 400 with a JSON `__type` (BC-KMS).
enum KMSErrors {
    static func notFound(_ message: String) -> SimError { SimError("NotFoundException", message, status: 400) }

    static func keyNotFound(_ keyId: String) -> SimError { notFound("Key '\(keyId)' does not exist") }

    static func aliasNotFound(_ arn: String) -> SimError { notFound("Alias \(arn) is not found.") }

    /// The wording AWS uses when no policy statement allows a cross-account call.
    static func accessDenied(principal: String, action: String, keyArn: String) -> SimError {
        SimError(
            "AccessDeniedException",
            "User: \(principal) is not authorized to perform: \(action) on resource: \(keyArn) because no resource-based policy allows the \(action) action",
            status: 400)
    }

    static func validation(_ message: String) -> SimError { SimError("ValidationException", message, status: 400) }

    static func malformedPolicy(_ message: String) -> SimError { SimError("MalformedPolicyDocumentException", message, status: 400) }

    static func disabled(_ keyArn: String) -> SimError { SimError("DisabledException", "\(keyArn) is disabled.", status: 400) }

    /// The answer for a key pending deletion (BC-KMS KMSInvalidStateException).
    static func pendingDeletion(_ keyArn: String) -> SimError {
        SimError("KMSInvalidStateException", "\(keyArn) is pending deletion.", status: 400)
    }

    static func alreadyExists(_ message: String) -> SimError { SimError("AlreadyExistsException", message, status: 400) }

    static func invalidMarker() -> SimError { SimError("InvalidMarkerException", "The marker is not valid.", status: 400) }
}
