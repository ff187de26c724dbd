/// Marquee's version, recorded in dataset versions, model files and exports.
public enum MarqueeVersion {
    /// The released version of this source tree (semantic versioning).
    public static let current = "0.1.0"
}
