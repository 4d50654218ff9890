// Package seal keeps what must stay secret at rest — a whistleblower's
// identity — encrypted with a key the database never holds (R29, R30).
//
// A sealed value is "v1." + the key's id + "." + base64(nonce ‖ AES-256-GCM
// ciphertext). The key id (the first 8 bytes of the key's SHA-256, in hex)
// names the key a value was sealed with, so that a wrong key is reported as
// such rather than as corrupt data, and so that a database can record which
// key its instances must share.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of a key in bytes.
const KeySize = 32

// Errors of Open.
var (
	ErrWrongKey = errors.New("seal: the value was sealed with another key")
	ErrCorrupt  = errors.New("seal: the sealed value is corrupt")
)

// Key seals and opens values. The zero Key is not usable: make one with
// New, Generate or Load.
type Key struct {
	aead cipher.AEAD
	id   string
}

// New returns a key from 32 bytes of key material.
func New(material []byte) (*Key, error) {
	if len(material) != KeySize {
		return nil, fmt.Errorf("seal: a key is %d bytes, not %d", KeySize, len(material))
	}
	block, err := aes.NewCipher(material)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(material)
	return &Key{aead: aead, id: hex.EncodeToString(sum[:8])}, nil
}

// Generate returns a new random key and its material.
func Generate() (*Key, []byte, error) {
	m := make([]byte, KeySize)
	if _, err := rand.Read(m); err != nil {
		return nil, nil, err
	}
	k, err := New(m)
	return k, m, err
}

// Parse reads key material written as base64 (standard or URL alphabet,
// padded or not), as OMBUD_IDENTITY_KEY and the key file hold it.
func Parse(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if m, err := enc.DecodeString(s); err == nil {
			return New(m)
		}
	}
	return nil, errors.New("seal: the key is not base64")
}

// Encode writes key material as the key file holds it.
func Encode(material []byte) string { return base64.StdEncoding.EncodeToString(material) }

// LoadOrCreate reads the key in file path, creating the file (mode 0600,
// with a new random key) when it does not exist. created says it did.
func LoadOrCreate(path string) (k *Key, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := Parse(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	k, m, err := Generate()
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	// The key is written to a file of its own and linked into place: a
	// link fails when the name exists, so of two processes starting at
	// once one key wins, and nobody reads a half-written file.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".identity-*.key")
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(Encode(m) + "\n"); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Close(); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return LoadOrCreate(path)
	} else if err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// ID names the key (not secret: it is a digest).
func (k *Key) ID() string { return k.id }

// Seal encrypts plaintext.
func (k *Key) Seal(plaintext []byte) (string, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := k.aead.Seal(nonce, nonce, plaintext, []byte(k.id))
	return "v1." + k.id + "." + base64.RawStdEncoding.EncodeToString(ct), nil
}

// Open decrypts a value Seal returned.
func (k *Key) Open(sealed string) ([]byte, error) {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return nil, ErrCorrupt
	}
	if parts[1] != k.id {
		return nil, fmt.Errorf("%w (%s; this instance has %s)", ErrWrongKey, parts[1], k.id)
	}
	ct, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil || len(ct) < k.aead.NonceSize() {
		return nil, ErrCorrupt
	}
	n := k.aead.NonceSize()
	pt, err := k.aead.Open(nil, ct[:n], ct[n:], []byte(k.id))
	if err != nil {
		return nil, ErrCorrupt
	}
	return pt, nil
}

// KeyOf returns the id of the key a sealed value names, "" if it names none.
func KeyOf(sealed string) string {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return ""
	}
	return parts[1]
}
