package seal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestSealOpen(t *testing.T) {
	k, m, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte(`{"name":"张三","phone":"13812345678"}`)
	s1, err := k.Seal(msg)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := k.Seal(msg)
	if s1 == s2 {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if strings.Contains(s1, "张三") || strings.Contains(s1, "13812345678") || KeyOf(s1) != k.ID() {
		t.Errorf("sealed value %q", s1)
	}
	got, err := k.Open(s1)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	// The same material makes the same key.
	same, err := Parse(Encode(m))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := same.Open(s1); err != nil || !bytes.Equal(got, msg) {
		t.Errorf("a key parsed from the same material: %q, %v", got, err)
	}

	other, _, _ := Generate()
	if _, err := other.Open(s1); !errors.Is(err, ErrWrongKey) {
		t.Errorf("another key: %v, want ErrWrongKey", err)
	}
	// Flip one character of the ciphertext: corrupt, not opened.
	b := []byte(s1)
	i := len(b) - 3
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	for _, bad := range []string{string(b), "v2." + k.ID() + ".AAAA", "v1." + k.ID() + ".!!", "", "v1." + k.ID() + ".AAAA"} {
		if _, err := k.Open(bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Open(%q) = %v, want ErrCorrupt", bad, err)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{Encode(bytes.Repeat([]byte{7}, 32)), true},
		{strings.TrimRight(Encode(bytes.Repeat([]byte{7}, 32)), "=") + "\n", true},
		{Encode(bytes.Repeat([]byte{7}, 16)), false},
		{"not base64 at all!", false},
		{"", false},
	} {
		if _, err := Parse(tc.in); (err == nil) != tc.ok {
			t.Errorf("Parse(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestLoadOrCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "identity.key")
	var wg sync.WaitGroup
	keys := make([]*Key, 8)
	created := make([]bool, 8)
	for i := range keys {
		wg.Go(func() {
			k, c, err := LoadOrCreate(path)
			if err != nil {
				t.Error(err)
				return
			}
			keys[i], created[i] = k, c
		})
	}
	wg.Wait()
	n := 0
	for i, k := range keys {
		if k == nil {
			t.FailNow()
		}
		if k.ID() != keys[0].ID() {
			t.Errorf("process %d got key %s, process 0 %s", i, k.ID(), keys[0].ID())
		}
		if created[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d callers created the key, want 1", n)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v", st, err)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreate(path); err == nil {
		t.Error("a corrupt key file was accepted")
	}
}
