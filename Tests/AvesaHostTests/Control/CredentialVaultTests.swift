@testable import AvesaHost
import Foundation
import XCTest

/// AES-256-GCM credentials: round trip, nothing in clear at rest, and clean failures for a
/// wrong key, a moved ciphertext or altered bytes.
final class CredentialVaultTests: XCTestCase {
    private let secret = "pr1vate-KEY-value-9f8e7d"

    private func storeWithService(_ data: String) throws -> ControlStore {
        let store = try ControlStore(dataDirectory: data)
        try store.addTenant(tenantID("acme"), name: "Acme")
        try store.addTenant(tenantID("globex"), name: "Globex")
        try store.addService(tenant: tenantID("acme"), service: "connectwise", enabledTables: nil, rateLimitOverride: nil,
                             credentials: ["private_key": secret, "company_id": "acme"], vault: ControlTestSupport.vault())
        return store
    }

    func testCredentialsRoundTrip() throws {
        let store = try storeWithService(makeDataDirectory())
        let values = try store.loadCredentials(tenant: tenantID("acme"), service: "connectwise", vault: ControlTestSupport.vault())
        XCTAssertEqual(values, ["private_key": secret, "company_id": "acme"])
        try store.saveCredentials(["private_key": "rotated"], tenant: tenantID("acme"), service: "connectwise",
                                  vault: ControlTestSupport.vault())
        XCTAssertEqual(try store.loadCredentials(tenant: tenantID("acme"), service: "connectwise",
                                                 vault: ControlTestSupport.vault()), ["private_key": "rotated"])
    }

    /// One field replaced (a rotated refresh token), the others kept, sealed again.
    func testReplacingOneCredentialFieldKeepsTheOthers() throws {
        let store = try storeWithService(makeDataDirectory())
        try store.replaceCredential("refresh_token", with: "rt-2", tenant: tenantID("acme"), service: "connectwise",
                                    vault: ControlTestSupport.vault())
        XCTAssertEqual(try store.loadCredentials(tenant: tenantID("acme"), service: "connectwise", vault: ControlTestSupport.vault()),
                       ["private_key": secret, "company_id": "acme", "refresh_token": "rt-2"])
        XCTAssertThrowsError(try store.replaceCredential("x", with: "y", tenant: tenantID("globex"), service: "connectwise",
                                                         vault: ControlTestSupport.vault()), "no such service")
    }

    func testTheStoredBlobAndTheFileDoNotContainThePlaintext() throws {
        let data = makeDataDirectory()
        let store = try storeWithService(data)
        let box = try XCTUnwrap(try store.sealedCredentials(tenant: tenantID("acme"), service: "connectwise"))
        XCTAssertEqual(box.nonce.count, 12)
        XCTAssertFalse(contains(box.ciphertext, secret))
        try store.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for file in ["control.sqlite", "control.sqlite-wal"] {
            if let bytes = FileManager.default.contents(atPath: data + "/" + file) {
                XCTAssertFalse(contains([UInt8](bytes), secret), file)
            }
        }
    }

    func testEachSealUsesAFreshNonce() throws {
        let vault = try ControlTestSupport.vault()
        let a = try vault.seal(Array("same".utf8), tenant: tenantID("acme"), service: "x")
        let b = try vault.seal(Array("same".utf8), tenant: tenantID("acme"), service: "x")
        XCTAssertNotEqual(a.nonce, b.nonce)
        XCTAssertNotEqual(a.ciphertext, b.ciphertext)
    }

    func testAWrongMasterKeyFailsCleanlyWithoutTheSecret() throws {
        let store = try storeWithService(makeDataDirectory())
        XCTAssertThrowsError(try store.loadCredentials(tenant: tenantID("acme"), service: "connectwise",
                                                       vault: ControlTestSupport.vault(ControlTestSupport.otherHexKey))) { error in
            guard case .crypto(let message) = error as? ControlError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("wrong master key"), message)
            XCTAssertFalse(message.contains(self.secret))
        }
    }

    func testACiphertextMovedToAnotherTenantDoesNotDecrypt() throws {
        let store = try storeWithService(makeDataDirectory())
        let box = try XCTUnwrap(try store.sealedCredentials(tenant: tenantID("acme"), service: "connectwise"))
        let vault = try ControlTestSupport.vault()
        XCTAssertThrowsError(try vault.open(box, tenant: tenantID("globex"), service: "connectwise"))
        XCTAssertThrowsError(try vault.open(box, tenant: tenantID("acme"), service: "servicenow"))
        var altered = box.ciphertext
        altered[0] ^= 1
        XCTAssertThrowsError(try vault.open(SealedBox(nonce: box.nonce, ciphertext: altered), tenant: tenantID("acme"),
                                            service: "connectwise"))
        XCTAssertNoThrow(try vault.open(box, tenant: tenantID("acme"), service: "connectwise"))
    }

    func testTheMasterKeyComesFromHexOrBase64AndMalformedValuesAreNamed() throws {
        let base64 = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        XCTAssertNoThrow(try MasterKey.resolve(environment: ["AVESA_MASTER_KEY": base64], dataDirectory: "/nonexistent"))
        XCTAssertNoThrow(try MasterKey.resolve(environment: ["AVESA_MASTER_KEY": ControlTestSupport.hexKey.uppercased()],
                                               dataDirectory: "/nonexistent"))
        for bad in ["", "short", String(repeating: "zz", count: 32), Data(count: 16).base64EncodedString()] {
            XCTAssertThrowsError(try MasterKey.resolve(environment: ["AVESA_MASTER_KEY": bad], dataDirectory: "/nonexistent")) {
                guard case .masterKey(let message) = $0 as? ControlError else { return XCTFail("\($0)") }
                XCTAssertTrue(message.contains("AVESA_MASTER_KEY"), message)
                if !bad.isEmpty { XCTAssertFalse(message.contains(bad), message) }
            }
        }
        XCTAssertEqual("\(try MasterKey.parse(ControlTestSupport.hexKey, source: "t"))", "MasterKey(redacted)")
    }

    func testTheKeyFileIsCreatedWithMode0600AndReused() throws {
        let data = makeDataDirectory()
        let first = try CredentialVault(environment: [:], dataDirectory: data)
        var info = stat()
        XCTAssertEqual(stat(data + "/master.key", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        let box = try first.seal(Array("x".utf8), tenant: tenantID("acme"), service: "s")
        let second = try CredentialVault(environment: [:], dataDirectory: data)
        XCTAssertEqual(try second.open(box, tenant: tenantID("acme"), service: "s"), Array("x".utf8))
    }

    func testAKeyFileReadableByOthersIsRefused() throws {
        let data = makeDataDirectory()
        _ = try CredentialVault(environment: [:], dataDirectory: data)
        XCTAssertEqual(chmod(data + "/master.key", 0o644), 0)
        XCTAssertThrowsError(try CredentialVault(environment: [:], dataDirectory: data)) {
            guard case .masterKey(let message) = $0 as? ControlError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("master key file: refusing to use"), message)
            XCTAssertTrue(message.contains("644"), message)
        }
    }

    /// Credentials sealed with a key from the environment are not answered with a new key
    /// file when a later process lacks the variable: that key could not open them.
    func testNoKeyIsCreatedForAFolderWhoseCredentialsAreSealedAlready() throws {
        let data = makeDataDirectory()
        _ = try storeWithService(data)  // sealed with the environment's key
        XCTAssertThrowsError(try CredentialVault(environment: [:], dataDirectory: data)) {
            guard case .masterKey(let message) = $0 as? ControlError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("set AVESA_MASTER_KEY"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: data + "/master.key"), "no second key")
    }

    /// The key file is read through itself: a symbolic link in its place is refused, and a
    /// crash never leaves an empty key (it is linked into place only once written).
    func testAKeyFileThatIsASymlinkIsRefusedAndNoTemporaryFileIsLeft() throws {
        let data = makeDataDirectory()
        _ = try CredentialVault(environment: [:], dataDirectory: data)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasPrefix("master.key") }, ["master.key"])
        XCTAssertEqual(rename(data + "/master.key", data + "/real.key"), 0)
        try FileManager.default.createSymbolicLink(atPath: data + "/master.key", withDestinationPath: data + "/real.key")
        XCTAssertThrowsError(try CredentialVault(environment: [:], dataDirectory: data)) {
            guard case .masterKey(let message) = $0 as? ControlError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("symbolic link"), message)
        }
    }

    private func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let bytes = Array(needle.utf8)
        guard haystack.count >= bytes.count else { return false }
        return (0...(haystack.count - bytes.count)).contains { Array(haystack[$0..<($0 + bytes.count)]) == bytes }
    }
}
