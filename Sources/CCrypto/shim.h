/* OpenSSL libcrypto for Swift: HMAC, PBKDF2, AES-256-GCM (EVP), secure random, RSA
   signatures. Never hand-roll cryptography; call these. */
#ifndef AVESA_CCRYPTO_SHIM_H
#define AVESA_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#endif
