package evaluate

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestTutorial runs the tutorial of docs/policy-packs.md as written: the
// files it shows are written out and their scenarios must pass.
func TestTutorial(t *testing.T) {
	doc, err := os.ReadFile("../../docs/policy-packs.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)<!-- file: ([a-z.-]+) -->\n```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) != 2 {
		t.Fatalf("found %d tutorial files, want the pack and its scenarios", len(blocks))
	}
	dir := t.TempDir()
	for _, b := range blocks {
		if err := os.WriteFile(filepath.Join(dir, string(b[1])), b[2], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	total, failed, err := TestPack(filepath.Join(dir, "property.yaml"), &out)
	if err != nil || failed > 0 || total != 3 {
		t.Fatalf("%d of %d failed, %v:\n%s", failed, total, err, out.String())
	}
}
