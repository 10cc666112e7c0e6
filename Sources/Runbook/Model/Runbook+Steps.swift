extension Runbook {
    /// Every step in file order, parallel branches included.
    public var allSteps: [StepSpec] { StepNode.flatten(steps) }
}

extension StepNode {
    static func flatten(_ nodes: [StepNode]) -> [StepSpec] {
        nodes.flatMap { node -> [StepSpec] in
            switch node {
            case .step(let spec): return [spec]
            case .parallel(let branches, _): return branches.flatMap { flatten($0) }
            }
        }
    }
}
