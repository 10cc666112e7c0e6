/// The EC2 errors the simulator answers. EC2 models no error shapes in botocore; the codes are
/// the EC2 API Reference's "Error codes" list, the messages AWS's wording as observed (and as
/// moto reproduces it where it does).
enum EC2Errors {
    static func groupNotFound(_ id: String) -> SimError {
        SimError("InvalidGroup.NotFound", "The security group '\(id)' does not exist", status: 400)
    }

    /// `GroupName` looks only in the default VPC (EC2 API Reference, DescribeSecurityGroups).
    static func groupNameNotFound(_ name: String, defaultVpc: String) -> SimError {
        SimError("InvalidGroup.NotFound", "The security group '\(name)' does not exist in default VPC '\(defaultVpc)'", status: 400)
    }

    /// An ID that is not `sg-` and 8 or 17 hexadecimal digits.
    static func malformedGroupId(_ id: String) -> SimError {
        SimError("InvalidGroupId.Malformed", "Invalid id: \"\(id)\" (expecting \"sg-...\")", status: 400)
    }

    static func invalidFilter(_ name: String) -> SimError { invalidValue("The filter '\(name)' is invalid") }

    static func invalidValue(_ message: String) -> SimError { SimError("InvalidParameterValue", message, status: 400) }

    static func invalidCombination(_ message: String) -> SimError { SimError("InvalidParameterCombination", message, status: 400) }

    static func invalidToken(_ token: String) -> SimError {
        SimError("InvalidPaginationToken", "Invalid pagination token: \(token)", status: 400)
    }

    /// The answer to `DryRun=true` when the caller could have made the call.
    static let dryRun = SimError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", status: 412)
}
