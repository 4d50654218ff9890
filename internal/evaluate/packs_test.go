package evaluate

import (
	"bytes"
	"testing"

	"github.com/ombud/ombud/internal/policy"
)

// TestShippedPacks runs the scenarios of every pack that ships with Ombud
// (what `ombud packs test` does): each has at least ten, quoted or
// paraphrased from its rulebook, and all pass; every rule cites the
// article it implements.
func TestShippedPacks(t *testing.T) {
	for _, id := range policy.Builtin() {
		t.Run(id, func(t *testing.T) {
			var out bytes.Buffer
			total, failed, err := TestPack(id, &out)
			if err != nil {
				t.Fatal(err)
			}
			if failed > 0 {
				t.Fatalf("%d of %d scenarios failed:\n%s", failed, total, out.String())
			}
			if total < 10 {
				t.Errorf("%d scenarios; a shipped pack has at least 10", total)
			}
			p, _ := policy.Load(id)
			for _, r := range p.Rules {
				if r.Source == "" {
					t.Errorf("rule %s does not cite its source", r.ID)
				}
			}
		})
	}
}
