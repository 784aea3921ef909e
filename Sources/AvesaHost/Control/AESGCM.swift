import CCrypto

/// AES-256-GCM through OpenSSL's EVP interface: 12-byte nonce, 16-byte tag appended to
/// the ciphertext, associated data authenticated but not encrypted. No cryptography is
/// implemented here; this only drives libcrypto.
enum AESGCM {
    /// Key length in bytes (AES-256).
    static let keyLength = 32
    /// Nonce length in bytes (GCM's standard 96-bit IV).
    static let nonceLength = 12
    /// Tag length in bytes.
    static let tagLength = 16

    /// `nonceLength` bytes from OpenSSL's CSPRNG.
    static func randomNonce() throws(ControlError) -> [UInt8] {
        try randomBytes(nonceLength)
    }

    /// `count` bytes from `RAND_bytes`.
    static func randomBytes(_ count: Int) throws(ControlError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw .crypto("RAND_bytes failed: no secure random source") }
        return bytes
    }

    /// Encrypts `plaintext`; returns ciphertext followed by the tag.
    static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]) throws(ControlError) -> [UInt8] {
        precondition(key.count == keyLength && nonce.count == nonceLength)
        guard let context = EVP_CIPHER_CTX_new() else { throw .crypto("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var length: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw .crypto("AES-256-GCM encryption could not start")
        }
        if !associatedData.isEmpty {
            guard EVP_EncryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1 else {
                throw .crypto("AES-256-GCM encryption failed (associated data)")
            }
        }
        var written = 0
        if !plaintext.isEmpty {
            let ok = output.withUnsafeMutableBufferPointer { buffer in
                EVP_EncryptUpdate(context, buffer.baseAddress, &length, plaintext, Int32(plaintext.count))
            }
            guard ok == 1 else { throw .crypto("AES-256-GCM encryption failed") }
            written = Int(length)
        }
        let finalOK = output.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress! + written, &length)
        }
        guard finalOK == 1 else { throw .crypto("AES-256-GCM encryption failed (final)") }
        written += Int(length)
        let tagOK = output.withUnsafeMutableBufferPointer { buffer in
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), buffer.baseAddress! + written)
        }
        guard tagOK == 1 else { throw .crypto("AES-256-GCM could not produce its tag") }
        return Array(output[0..<(written + tagLength)])
    }

    /// Decrypts ciphertext-plus-tag; `nil` when authentication fails (wrong key, wrong
    /// associated data, or altered bytes).
    static func open(_ sealed: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]) throws(ControlError) -> [UInt8]? {
        precondition(key.count == keyLength)
        guard nonce.count == nonceLength, sealed.count >= tagLength else { return nil }
        guard let context = EVP_CIPHER_CTX_new() else { throw .crypto("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        let body = Array(sealed[0..<(sealed.count - tagLength)])
        var tag = Array(sealed[(sealed.count - tagLength)...])
        var output = [UInt8](repeating: 0, count: body.count + tagLength)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw .crypto("AES-256-GCM decryption could not start")
        }
        if !associatedData.isEmpty {
            guard EVP_DecryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1 else { return nil }
        }
        var written = 0
        if !body.isEmpty {
            let ok = output.withUnsafeMutableBufferPointer { buffer in
                EVP_DecryptUpdate(context, buffer.baseAddress, &length, body, Int32(body.count))
            }
            guard ok == 1 else { return nil }
            written = Int(length)
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else { return nil }
        let finalOK = output.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress! + written, &length)
        }
        guard finalOK == 1 else { return nil }
        written += Int(length)
        return Array(output[0..<written])
    }
}
