import Engine

extension EngineFixture {
    /// A run of `a`, `b` and an approval gate, rolled back while the gate waits, whose undo of `b`
    /// fails (AccessDenied, not retried): the rollback pauses there, with `a` not yet undone.
    /// Returns the run and what driving it to that point ended with.
    public func runPausedOnAFailedUndo() async throws -> (RunExecutor, EngineDriver.Stop) {
        world.script("undo:b", ["AccessDenied"])
        var plan = TestPlan()
        plan.add("a")
        plan.add("b")
        plan.add("hold", type: "approval")
        let run = try await start(plan.build())
        _ = await run.settle()
        try await run.rollback(by: TestPeople.alice)
        return (run, await driver.drive(run))
    }
}
