import CCrypto
import Foundation

/// Builds RS256-signed JWT bearer assertions (RFC 7523) with libcrypto, from a PEM
/// private key. Nothing here is hand-rolled cryptography: parsing and signing are
/// OpenSSL's (`PEM_read_bio_PrivateKey`, `EVP_DigestSign` with SHA-256).
enum JWTSigner {
    /// The compact JWT `header.claims.signature` for `claims` (already JSON-encoded).
    static func signRS256(claimsJSON: [UInt8], privateKeyPEM: String) throws(ConnectorError) -> String {
        let header = Base64.encodeURL(Array(#"{"alg":"RS256","typ":"JWT"}"#.utf8))
        let signingInput = header + "." + Base64.encodeURL(claimsJSON)
        let signature = try sign(Array(signingInput.utf8), pem: privateKeyPEM)
        return signingInput + "." + Base64.encodeURL(signature)
    }

    private static func sign(_ message: [UInt8], pem: String) throws(ConnectorError) -> [UInt8] {
        let key: OpaquePointer? = pem.withCString { text in
            guard let bio = BIO_new_mem_buf(text, -1) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { throw .authentication("the private key is not a readable PEM key") }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { throw .authentication("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw .authentication("the private key cannot sign RS256")
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw .authentication("signing the assertion failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw .authentication("signing the assertion failed")
        }
        return Array(signature.prefix(length))
    }
}
