package main

import (
	"fmt"
	"io"

	"github.com/ombud/ombud/internal/evaluate"
	"github.com/ombud/ombud/internal/policy"
)

// packsCmd lists, checks and tests policy packs.
func packsCmd(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && args[0] == "list":
		for _, id := range policy.Builtin() {
			p, err := policy.Load(id)
			if err != nil {
				fmt.Fprintf(stdout, "%-22s INVALID: %v\n", id, err)
				continue
			}
			fmt.Fprintf(stdout, "%-22s v%-3d %s\n", id, p.Version, p.Name.In("zh"))
		}
		return 0
	case len(args) == 2 && args[0] == "check":
		p, err := policy.Load(args[1])
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: pack %s v%d is valid (%d levels, %d categories, %d rules)\n",
			args[1], p.ID, p.Version, len(p.Levels), len(p.Categories), len(p.Rules))
		return 0
	case len(args) >= 1 && len(args) <= 2 && args[0] == "test":
		ids := policy.Builtin()
		if len(args) == 2 {
			ids = []string{args[1]}
		}
		code := 0
		for _, id := range ids {
			total, failed, err := evaluate.TestPack(id, stdout)
			switch {
			case err != nil:
				fmt.Fprintf(stderr, "%s: %v\n", id, err)
				code = 1
			case failed > 0:
				fmt.Fprintf(stdout, "FAIL %s: %d of %d scenarios failed\n", id, failed, total)
				code = 1
			default:
				fmt.Fprintf(stdout, "PASS %s: %d scenarios\n", id, total)
			}
		}
		return code
	}
	fmt.Fprint(stderr, usage)
	return 2
}
