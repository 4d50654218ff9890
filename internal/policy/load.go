package policy

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ombud/ombud/internal/calendar"
)

//go:embed packs/*.yaml
var builtin embed.FS

// scenarioSuffix ends the name of a pack's scenario file.
const scenarioSuffix = ".scenarios.yaml"

// Builtin lists the names of the packs that ship with Ombud.
func Builtin() []string {
	entries, _ := builtin.ReadDir("packs")
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), scenarioSuffix) {
			continue
		}
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Load returns a built-in pack by name, or reads and validates a YAML file
// when nameOrFile is a path.
func Load(nameOrFile string) (*Pack, error) {
	if data, err := builtin.ReadFile("packs/" + nameOrFile + ".yaml"); err == nil {
		return Parse(nameOrFile+".yaml", data)
	}
	data, err := os.ReadFile(nameOrFile)
	if err != nil {
		return nil, fmt.Errorf("policy pack %q is neither a built-in pack (%s) nor a readable file: %w",
			nameOrFile, strings.Join(Builtin(), ", "), err)
	}
	return Parse(nameOrFile, data)
}

// Problem is one thing wrong with a pack, located by line.
type Problem struct {
	File    string
	Line    int
	Path    string
	Message string
}

func (p Problem) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Path, p.Message)
}

// Problems is every problem found in a pack.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Parse decodes and validates a pack. Errors name the file and line.
func Parse(file string, data []byte) (*Pack, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Pack
	if err := dec.Decode(&p); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: %s", file, strings.Join(te.Errors, "; "))
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	v := validator{file: file, root: &root}
	v.pack(&p)
	if len(v.problems) > 0 {
		return nil, v.problems
	}
	return &p, nil
}

type validator struct {
	file     string
	root     *yaml.Node
	problems Problems
}

// line finds the line of the node at path (map keys and list indexes),
// or of its nearest existing parent.
func (v *validator) line(path ...any) int {
	n := v.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, step := range path {
		var next *yaml.Node
		switch s := step.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == s {
						next = n.Content[i+1]
						line = n.Content[i].Line
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && s < len(n.Content) {
				next = n.Content[s]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

func (v *validator) fail(msg string, path ...any) {
	var b strings.Builder
	for i, s := range path {
		switch s := s.(type) {
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		}
	}
	v.problems = append(v.problems, Problem{File: v.file, Line: v.line(path...), Path: b.String(), Message: msg})
}

var codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Channels lists the stable API codes of intake channels (R1).
var Channels = []string{"phone", "letter", "email", "web", "walk_in", "wechat", "platform",
	"social_media", "hotline_12345", "regulator", "media", "leadership", "followup",
	"internal", "sms", "fax", "other"}

// Kinds lists the kinds of contact (R7).
var Kinds = []string{"consultation", "suggestion", "complaint", "report"}

func (v *validator) text(t Text, path ...any) {
	if strings.TrimSpace(t["zh"]) == "" {
		v.fail("needs a Chinese text (zh)", path...)
	}
	for k := range t {
		if k != "zh" && k != "en" {
			v.fail(fmt.Sprintf("unknown language %q: texts have zh and en; quote a text that contains \", \"", k), path...)
		}
	}
}

func (v *validator) codes(n int, code func(int) string, section string) map[string]bool {
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		c := code(i)
		switch {
		case c == "":
			v.fail("code is required", section, i, "code")
		case !codeRE.MatchString(c):
			v.fail(fmt.Sprintf("code %q must be lower-case letters, digits, _ or -", c), section, i, "code")
		case seen[c]:
			v.fail(fmt.Sprintf("code %q appears twice", c), section, i, "code")
		}
		seen[c] = true
	}
	if n == 0 {
		v.fail("at least one entry is required", section)
	}
	return seen
}

func (v *validator) pack(p *Pack) {
	if !codeRE.MatchString(p.ID) {
		v.fail("id is required: lower-case letters, digits, _ or -", "id")
	}
	if p.Version < 1 {
		v.fail("version must be 1 or more", "version")
	}
	v.text(p.Name, "name")
	v.text(p.Organization, "organization")

	f := p.Numbering.Format
	if !strings.Contains(f, "{seq:") {
		v.fail(`format must contain the serial, e.g. "{prefix}{yyyy}{mm}-{seq:4}"`, "numbering", "format")
	}
	switch p.Numbering.Reset {
	case "monthly":
		if !strings.Contains(f, "{mm}") {
			v.fail("a monthly serial needs {mm} in the format, or numbers would repeat", "numbering", "format")
		}
		fallthrough
	case "yearly":
		if !strings.Contains(f, "{yyyy}") && !strings.Contains(f, "{yy}") {
			v.fail("a serial that restarts needs {yyyy} or {yy} in the format, or numbers would repeat", "numbering", "format")
		}
	case "never":
	default:
		v.fail(`reset must be "monthly", "yearly" or "never"`, "numbering", "reset")
	}

	v.codes(len(p.Kinds), func(i int) string { return p.Kinds[i].Code }, "kinds")
	prefixes := map[string]bool{}
	for i, k := range p.Kinds {
		if !contains(Kinds, k.Code) {
			v.fail(fmt.Sprintf("unknown kind %q; kinds are %s", k.Code, strings.Join(Kinds, ", ")), "kinds", i, "code")
		}
		v.text(k.Label, "kinds", i, "label")
		if !strings.Contains(f, "{prefix}") && len(p.Kinds) > 1 {
			continue
		}
		if prefixes[k.Prefix] && strings.Contains(f, "{prefix}") {
			v.fail(fmt.Sprintf("prefix %q is used by two kinds; their numbers would collide", k.Prefix), "kinds", i, "prefix")
		}
		prefixes[k.Prefix] = true
	}
	if len(p.Kinds) > 1 && !strings.Contains(f, "{prefix}") {
		v.fail("several kinds share one serial unless the format contains {prefix}", "numbering", "format")
	}

	v.codes(len(p.Channels), func(i int) string { return p.Channels[i].Code }, "channels")
	for i, c := range p.Channels {
		if !contains(Channels, c.Code) {
			v.fail(fmt.Sprintf("unknown channel %q; channels are %s", c.Code, strings.Join(Channels, ", ")), "channels", i, "code")
		}
		v.text(c.Label, "channels", i, "label")
	}

	depts := v.codes(len(p.Departments), func(i int) string { return p.Departments[i].Code }, "departments")
	for i, d := range p.Departments {
		v.text(d.Name, "departments", i, "name")
	}
	if !depts[p.CentralOffice] {
		v.fail(fmt.Sprintf("central_office %q is not one of the departments", p.CentralOffice), "central_office")
	}

	v.codes(len(p.Categories), func(i int) string { return p.Categories[i].Code }, "categories")
	for i, c := range p.Categories {
		v.text(c.Name, "categories", i, "name")
		if !depts[c.Department] {
			v.fail(fmt.Sprintf("department %q is not one of the departments", c.Department), "categories", i, "department")
		}
	}

	levels := v.codes(len(p.Levels), func(i int) string { return p.Levels[i].Code }, "levels")
	for i, l := range p.Levels {
		v.text(l.Name, "levels", i, "name")
		if l.Description != nil {
			v.text(l.Description, "levels", i, "description")
		}
		if l.ReplyWithinText != "" {
			d, err := calendar.ParseDuration(l.ReplyWithinText)
			if err != nil {
				v.fail(err.Error(), "levels", i, "reply_within")
			}
			p.Levels[i].ReplyWithin = d
		}
		switch l.Review {
		case ReviewNone, ReviewDeptHead, ReviewManager:
		default:
			v.fail(`review must be "none", "dept_head" or "manager"`, "levels", i, "review")
		}
	}
	if !levels[p.DefaultLevel] {
		v.fail(fmt.Sprintf("default_level %q is not one of the levels", p.DefaultLevel), "default_level")
	}
	v.limits(p, levels)
	v.rules(p, levels)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ScenarioData returns the scenario file of a pack: packs/ID.scenarios.yaml
// for a built-in pack, FILE.scenarios.yaml next to a pack file FILE.yaml.
// The name says where it came from, for messages.
func ScenarioData(nameOrFile string) (name string, data []byte, err error) {
	if data, err := builtin.ReadFile("packs/" + nameOrFile + scenarioSuffix); err == nil {
		return nameOrFile + scenarioSuffix, data, nil
	}
	if _, err := builtin.ReadFile("packs/" + nameOrFile + ".yaml"); err == nil {
		return "", nil, fmt.Errorf("built-in pack %s has no scenario file", nameOrFile)
	}
	name = strings.TrimSuffix(nameOrFile, ".yaml") + scenarioSuffix
	data, err = os.ReadFile(name)
	return name, data, err
}
