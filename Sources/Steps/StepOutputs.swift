import Runbook

// What the moves expose to later steps (`${steps.ID.outputs.NAME}`): the outputs of their
// primitives that a switch-over needs, e.g. the new database endpoint for the application's
// secret, or the bucket a DNS record or policy names.

extension RDSMoveInstanceDefinition {
    public var outputs: [StepOutput] {
        [
            StepOutput("endpoint", from: .primitive("verify", key: "endpoint"), summary: "the restored instance's endpoint address"),
            StepOutput("port", from: .primitive("verify", key: "port"), summary: "its port"),
            StepOutput("arn", from: .primitive("verify", key: "arn"), summary: "its ARN"),
            StepOutput("engineVersion", from: .primitive("verify", key: "engineVersion")),
            StepOutput("kmsKeyId", from: .primitive("verify", key: "kmsKeyId"), summary: "the target key it is encrypted with"),
        ]
    }
}

extension RDSMoveClusterDefinition {
    public var outputs: [StepOutput] {
        [
            StepOutput("endpoint", from: .primitive("verify", key: "endpoint"), summary: "the restored cluster's writer endpoint"),
            StepOutput("readerEndpoint", from: .primitive("verify", key: "readerEndpoint")),
            StepOutput("port", from: .primitive("verify", key: "port")),
            StepOutput("arn", from: .primitive("verify", key: "arn")),
            StepOutput("engineVersion", from: .primitive("verify", key: "engineVersion")),
            StepOutput("kmsKeyId", from: .primitive("verify", key: "kmsKeyId")),
        ]
    }
}

extension S3MoveBucketDefinition {
    public var outputs: [StepOutput] {
        [
            StepOutput("bucket", from: .input("bucket"), summary: "the bucket's name, now owned by the target account"),
            StepOutput("account", from: .input("to"), summary: "the runbook account that owns it now"),
            StepOutput("region", from: .region, summary: "the bucket's region"),
        ]
    }
}
