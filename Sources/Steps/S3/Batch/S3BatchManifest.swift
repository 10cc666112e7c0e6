import AWSServices
import Foundation

/// The CSV manifest a copy job reads (S3BatchOperations_CSV_20180820, AWS-NOTES-2 BO-4):
/// `bucket,key` per line, no header, keys URL-encoded. Version IDs are left out: the job copies
/// each key's current version, as the per-object copier does.
enum S3BatchManifest {
    static let fields = ["Bucket", "Key"]

    static func csv(bucket: String, keys: [String]) -> Data {
        var text = ""
        text.reserveCapacity(keys.count * (bucket.utf8.count + 48))
        for key in keys {
            text += bucket
            text += ","
            text += S3BatchCompletionReport.encodeKey(key)
            text += "\n"
        }
        return Data(text.utf8)
    }
}
