package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"

	"github.com/tamledger/tamledger"
)

// Passwords are kept as argon2id hashes with the parameters RFC 9106
// recommends for memory-constrained settings (3 passes over 64 MiB, 4
// lanes), in the PHC string form, so that a later version can raise them
// and still check older hashes.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 4
	argonKeyLen  = 32
	argonSaltLen = 16

	// MinPasswordLength is the shortest password an account may have.
	MinPasswordLength = 12
)

// HashPassword returns the argon2id hash of password in PHC form
// ($argon2id$v=19$m=65536,t=3,p=4$SALT$HASH). A password shorter than
// MinPasswordLength is EINVALID.
func HashPassword(password string) (string, error) {
	if n := len([]rune(password)); n < MinPasswordLength {
		return "", tamledger.Errorf(tamledger.EINVALID, "the password has %d characters: want at least %d (a passphrase of a few words is easy to remember)", n, MinPasswordLength)
	}
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash (from
// HashPassword), in time that does not depend on where they differ. An
// empty or malformed hash matches nothing.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 64 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no account matches, so that a sign-in
// with an unknown email takes as long as one with a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not a password of anyone")
	if err != nil {
		panic(err)
	}
	return h
})

// Secret prefixes: a token says what it is when it turns up in a paste.
const (
	tokenPrefix   = "tlt_" // API tokens
	sessionPrefix = "tls_" // session cookies
	linkPrefix    = "tll_" // one-time sign-in links
)

// NewSecret returns a random secret with prefix (256 bits, URL-safe) and
// the hash under which the store keeps it.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is the hex SHA-256 of a secret: what the store keeps of a
// session id, an API token or a sign-in link. The secrets are 256 random
// bits, so a fast hash is enough; a leaked table gives no usable secret.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// NewToken returns a new API token and its hash.
func NewToken() (token, hash string) { return NewSecret(tokenPrefix) }
