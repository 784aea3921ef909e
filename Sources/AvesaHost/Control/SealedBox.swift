/// An AES-256-GCM result as stored: the 12-byte nonce and the ciphertext with its
/// 16-byte tag appended.
public struct SealedBox: Sendable, Equatable {
    /// The random nonce used for this encryption (never reused under one key).
    public let nonce: [UInt8]
    /// Ciphertext followed by the authentication tag.
    public let ciphertext: [UInt8]

    /// Creates a box from stored parts.
    public init(nonce: [UInt8], ciphertext: [UInt8]) {
        self.nonce = nonce
        self.ciphertext = ciphertext
    }
}
