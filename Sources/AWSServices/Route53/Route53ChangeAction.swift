/// One change of a batch.
public enum Route53ChangeAction: String, Sendable {
    case upsert = "UPSERT"
    case delete = "DELETE"
    case create = "CREATE"
}
