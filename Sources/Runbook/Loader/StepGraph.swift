/// What each runbook step waits for: the step(s) before it in the list (every branch's last step
/// after a `parallel` group) and its `needs:`. Used to find dependency cycles while loading.
struct StepGraph {
    private(set) var prerequisites: [String: [String]] = [:]

    init(_ nodes: [StepNode]) {
        _ = link(nodes, after: [])
        for step in StepNode.flatten(nodes) where !step.id.isEmpty {
            prerequisites[step.id, default: []].append(contentsOf: step.needs)
        }
    }

    func contains(_ id: String) -> Bool { prerequisites[id] != nil }

    /// The chain of prerequisites leading from `start` back to `goal` (`[start, …, goal]`), or nil.
    func path(from start: String, to goal: String) -> [String]? {
        var visited: Set<String> = []
        func search(_ id: String) -> [String]? {
            if id == goal { return [id] }
            guard visited.insert(id).inserted else { return nil }
            for next in prerequisites[id] ?? [] {
                if let rest = search(next) { return [id] + rest }
            }
            return nil
        }
        return search(start)
    }

    /// Links a sequence of nodes after `previous`; returns the ids the next node waits for.
    private mutating func link(_ nodes: [StepNode], after previous: [String]) -> [String] {
        var previous = previous
        for node in nodes {
            switch node {
            case .step(let spec):
                guard !spec.id.isEmpty else { continue }
                prerequisites[spec.id, default: []].append(contentsOf: previous)
                previous = [spec.id]
            case .parallel(let branches, _):
                let start = previous
                var ends: [String] = []
                for branch in branches { ends.append(contentsOf: link(branch, after: start)) }
                previous = ends.isEmpty ? start : ends
            }
        }
        return previous
    }
}
