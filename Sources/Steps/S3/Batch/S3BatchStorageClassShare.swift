import AWSServices

/// Which objects go into the job. A copy job sets one storage class for every object it writes
/// (S3PutObjectCopy `StorageClass`, AWS-NOTES-2 BO-3; without it S3 writes STANDARD, COPY-3),
/// while the per-object copier keeps each object's. So the job takes the objects of the most
/// common storage class and writes them in that class; the others are copied per object after
/// the job, keeping theirs. Archived classes (GLACIER, DEEP_ARCHIVE) are never the job's: S3
/// cannot copy them before a restore.
struct S3BatchStorageClassShare {
    let storageClass: String
    var keys: [String]

    static let archived: Set<String> = ["GLACIER", "DEEP_ARCHIVE"]

    init(_ objects: [S3ObjectSummary]) {
        var counts: [String: Int] = [:]
        for object in objects where !Self.archived.contains(object.storageClass) { counts[object.storageClass, default: 0] += 1 }
        let chosen = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "STANDARD"
        storageClass = chosen
        keys = objects.filter { $0.storageClass == chosen }.map(\.key)
    }

    /// `StorageClass` for CreateJob: nil for STANDARD, S3's default.
    var jobStorageClass: String? { storageClass == "STANDARD" ? nil : storageClass }
}
