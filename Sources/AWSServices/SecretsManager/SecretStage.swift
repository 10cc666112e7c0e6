/// The stage labels Secrets Manager itself moves.
public enum SecretStage {
    public static let current = "AWSCURRENT"
    public static let previous = "AWSPREVIOUS"
}
