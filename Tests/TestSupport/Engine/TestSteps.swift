import Engine
import Foundation
import Runbook

/// A step that creates (or, with `deletes`, removes) a resource in a `FakeWorld`, honestly
/// idempotent: `run` does nothing when the effect is already there; `check` looks at the world.
/// Scripted failures (`FakeWorld.script`) make attempts fail with a code; codes in
/// `retryableCodes` are reported as retryable.
public struct WorldStep: Step {
    public let world: FakeWorld
    public let retryableCodes: Set<String>

    public init(world: FakeWorld, retryableCodes: Set<String> = ["Throttling", "OperationAborted", "ServiceUnavailable"]) {
        self.world = world
        self.retryableCodes = retryableCodes
    }

    private func resource(_ context: StepContext) -> String {
        context.step.inputs["resource"]?.stringValue ?? context.step.id
    }

    private func deletes(_ context: StepContext) -> Bool { context.step.inputs["deletes"]?.boolValue ?? false }

    public func run(_ context: StepContext) async throws -> StepResult {
        let now = context.clock.now()
        if let code = world.nextScripted(context.step.id) {
            world.perform("attempt:\(context.step.id)", at: now)
            throw StepError(
                code: code, message: "scripted failure", retryable: retryableCodes.contains(code),
                account: context.step.account, resource: resource(context))
        }
        let target = resource(context)
        if deletes(context) {
            if world.exists(target) { world.perform("\(context.step.id)", deleting: target, at: now) }
        } else if !world.exists(target) {
            world.perform("\(context.step.id)", creating: target, at: now)
        }
        try await context.record(
            AWSCallRecord(
                service: "fake", operation: context.step.type, account: context.step.account, region: "test-1",
                resource: target, requestId: "req-\(context.step.id)-\(context.attempt)", outcome: "ok", mutating: true))
        return .done(outputs: ["resource": target, "at": "\(now.timeIntervalSince1970)"])
    }

    public func check(_ context: StepContext) async throws -> CheckResult {
        let present = world.exists(resource(context))
        return present != deletes(context) ? .done(outputs: ["resource": resource(context), "reconciled": "true"]) : .notDone
    }

    public func undo(_ context: StepContext) async throws {
        if let code = world.nextScripted("undo:\(context.step.id)") {
            throw StepError(code: code, message: "scripted undo failure", retryable: retryableCodes.contains(code))
        }
        let target = resource(context)
        if deletes(context) {
            if !world.exists(target) { world.perform("undo:\(context.step.id)", creating: target, at: context.clock.now()) }
        } else if world.exists(target) {
            world.perform("undo:\(context.step.id)", deleting: target, at: context.clock.now())
        }
    }
}

/// A polled condition: reports `notYet` until it has been polled `inputs.polls` times.
public struct PollStep: Step {
    public let world: FakeWorld

    public init(world: FakeWorld) { self.world = world }

    public func run(_ context: StepContext) async throws -> StepResult {
        let needed = Int(context.step.inputs["polls"]?.numberValue ?? 3)
        let seen = world.poll(context.step.id)
        world.perform("poll:\(context.step.id)", at: context.clock.now())
        if seen >= needed { return .done(outputs: ["polls": "\(seen)"]) }
        return .notYet(progress: "\(seen) of \(needed) polls")
    }

    public func check(_ context: StepContext) async throws -> CheckResult { .notDone }
}

extension StepRegistry {
    /// `test.create`, `test.delete` (WorldStep) and `test.poll` on one world.
    public static func testing(_ world: FakeWorld) -> StepRegistry {
        StepRegistry([
            "test.create": WorldStep(world: world), "test.delete": WorldStep(world: world),
            "test.poll": PollStep(world: world),
        ])
    }
}
