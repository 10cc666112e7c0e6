/// The path syntax `aws.call` outputs and `aws.wait` conditions pick values with, e.g.
/// `LoadBalancers[0].LoadBalancerArn` or `Vpcs[-1].Tags`:
///
/// - names separated by `.` select members (the names of the AWS docs and the CLI's JSON);
/// - `[N]` selects the Nth item of a list, from 0; `[-1]` is the last;
/// - nothing else (no wildcards, no filters): a path names one value.
///
/// Parsed at plan time, so a malformed path is a located runbook error.
public struct AWSAnswerPath: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    public let segments: [Segment]
    public let description: String

    public init(_ text: String) throws(AWSParameterError) {
        description = text
        var segments: [Segment] = []
        var rest = Substring(text)
        var expectName = true
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) else {
                    throw AWSParameterError(path: text, message: "`[` must hold a list index such as [0] or [-1] and end with `]`")
                }
                segments.append(.index(index))
                rest = rest[rest.index(after: close)...]
                expectName = false
            } else if rest.first == "." {
                guard !segments.isEmpty else { throw AWSParameterError(path: text, message: "a path cannot start with `.`") }
                guard !expectName else { throw AWSParameterError(path: text, message: "a name is missing between two `.`") }
                rest = rest.dropFirst()
                expectName = true
                guard !rest.isEmpty else { throw AWSParameterError(path: text, message: "a path cannot end with `.`") }
            } else {
                guard expectName else { throw AWSParameterError(path: text, message: "write `.` between a `]` and the next name") }
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = rest[..<end]
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ":" }) else {
                    throw AWSParameterError(path: text, message: "`\(name)` is not a member name (letters, digits, `_`, `-`)")
                }
                segments.append(.member(String(name)))
                rest = rest[end...]
                expectName = false
            }
        }
        guard !segments.isEmpty else { throw AWSParameterError(path: text, message: "the path is empty") }
        self.segments = segments
    }

    /// The value at this path, or nil with how far it got.
    public func evaluate(_ document: AWSDocument) -> Result<AWSDocument, AWSParameterError> {
        var current = document
        var walked = ""
        for segment in segments {
            switch segment {
            case .member(let name):
                guard case .object(let members) = current, let next = members[name] else {
                    let have: [String]
                    if case .object(let members) = current { have = members.keys.sorted() } else { have = [] }
                    return .failure(
                        AWSParameterError(
                            path: description,
                            message: "the answer has no `\(name)`" + (walked.isEmpty ? "" : " under `\(walked)`")
                                + (have.isEmpty ? "" : " (it has \(have.joined(separator: ", ")))"),
                            candidates: have))
                }
                current = next
                walked += walked.isEmpty ? name : ".\(name)"
            case .index(let index):
                guard case .list(let items) = current else {
                    return .failure(AWSParameterError(path: description, message: "`\(walked)` is not a list in the answer"))
                }
                let position = index < 0 ? items.count + index : index
                guard items.indices.contains(position) else {
                    return .failure(
                        AWSParameterError(
                            path: description, message: "`\(walked)` has \(items.count) item(s), so [\(index)] is not there"))
                }
                current = items[position]
                walked += "[\(index)]"
            }
        }
        return .success(current)
    }
}
