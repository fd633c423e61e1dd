public enum Nexlint {
    public static let version = "0.1.0"
}
