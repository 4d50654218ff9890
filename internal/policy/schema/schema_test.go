package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/policy"
)

var update = flag.Bool("update", false, "rewrite the published schemas in docs/ from the code")

// root is the module root, seen from this package's directory (where go
// test runs).
const root = "../../.."

// TestPublished fails when a schema published in docs/ differs from what
// the Go types generate, so that it cannot drift from the code.
func TestPublished(t *testing.T) {
	for _, c := range []struct {
		file string
		gen  func(string) ([]byte, error)
	}{{PackFile, Pack}, {ScenariosFile, Scenarios}} {
		want, err := c.gen(root)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(root, c.file)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v; generate it with: go test ./internal/policy/schema -update", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date with the Go types (first difference at line %d); regenerate it with:\n"+
				"\tgo test ./internal/policy/schema -update   (or: go generate ./internal/policy/schema)", c.file, firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []byte) int {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

// TestRequired checks the keys the schema requires against the format's
// documentation (docs/policy-packs.md).
func TestRequired(t *testing.T) {
	s := decode(t, mustGen(t, Pack))
	for _, c := range []struct {
		path string
		want []string
	}{
		{"", []string{"id", "version", "name", "organization", "central_office", "numbering", "kinds", "channels",
			"departments", "categories", "levels", "default_level"}},
		{"$defs.Rule", []string{"id", "when", "reason"}},
		{"$defs.Text", []string{"zh"}},
		{"$defs.Level", []string{"code", "name", "review"}},
		{"$defs.Numbering", []string{"format", "reset"}},
	} {
		var got []string
		for _, k := range lookup(s, c.path+".required").([]any) {
			got = append(got, k.(string))
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s required = %v, want %v", c.path, got, want)
		}
	}
	// The loader rejects unknown keys: so does every object of the schema.
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "object" && v["additionalProperties"] == nil {
				t.Errorf("%s: an object without additionalProperties", path)
			}
			for k, x := range v {
				walk(path+"."+k, x)
			}
		case []any:
			for i, x := range v {
				walk(path+"."+strconv.Itoa(i), x)
			}
		}
	}
	walk("", s)
}

// TestEditorKeywords keeps the schemas to keywords that draft-07 has too
// (with $defs only as the target of JSON pointers), as the YAML
// extension of VS Code implements draft-07: it then checks everything the
// schemas say, and only loses descriptions beside a $ref.
func TestEditorKeywords(t *testing.T) {
	known := map[string]bool{}
	for _, k := range strings.Fields(`$schema $defs $ref title description type enum pattern format
		properties additionalProperties propertyNames required items minItems
		minimum maximum exclusiveMinimum exclusiveMaximum maxLength`) {
		known[k] = true
	}
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		for k, v := range s {
			if !known[k] {
				t.Errorf("%s: keyword %s", path, k)
			}
			switch k {
			case "$defs", "properties":
				for name, sub := range v.(map[string]any) {
					walk(path+"."+k+"."+name, sub.(map[string]any))
				}
			case "items", "additionalProperties", "propertyNames":
				if sub, ok := v.(map[string]any); ok {
					walk(path+"."+k, sub)
				}
			}
		}
	}
	walk("pack", decode(t, mustGen(t, Pack)))
	walk("scenarios", decode(t, mustGen(t, Scenarios)))
}

// TestShippedPacks validates every pack that ships with Ombud, the
// loader's test pack and the tutorial's files in docs/ against the
// schemas.
func TestShippedPacks(t *testing.T) {
	packSchema, scenarioSchema := compile(t, mustGen(t, Pack)), compile(t, mustGen(t, Scenarios))
	files, err := filepath.Glob(filepath.Join(root, "internal/policy/packs/*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("shipped packs: %v %v", files, err)
	}
	files = append(files, filepath.Join(root, "internal/policy/testdata/valid.yaml"))
	packs, scenarios := 0, 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sch := packSchema
		if strings.HasSuffix(file, ".scenarios.yaml") {
			sch, scenarios = scenarioSchema, scenarios+1
		} else {
			packs++
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			if err := validate(sch, data); err != nil {
				t.Error(err)
			}
		})
	}
	if packs < 2 || scenarios < 2 {
		t.Errorf("validated %d packs and %d scenario files", packs, scenarios)
	}

	doc, err := os.ReadFile(filepath.Join(root, "docs/policy-packs.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)<!-- file: ([a-z.-]+) -->\n```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("docs/policy-packs.md: no tutorial files")
	}
	for _, b := range blocks {
		name, sch := string(b[1]), packSchema
		if strings.HasSuffix(name, ".scenarios.yaml") {
			sch = scenarioSchema
		}
		if err := validate(sch, b[2]); err != nil {
			t.Errorf("docs/policy-packs.md, tutorial file %s: %v", name, err)
		}
	}
}

// basePack is a small valid pack that uses every section, for the cases
// below to break one thing at a time.
const basePack = `
id: test-pack
version: 1
name: {zh: 测试制度, en: Test rules}
organization: {zh: 测试单位}
source: none
central_office: office
numbering: {format: "{prefix}{yy}{mm}-{seq:3}", reset: monthly}
kinds:
  - {code: complaint, prefix: TS, label: {zh: 投诉}}
  - {code: report, prefix: JB, label: {zh: 举报}}
channels:
  - {code: phone, label: {zh: 电话}}
departments:
  - {code: office, name: {zh: 办公室}}
  - {code: pr, name: {zh: 公关部}}
categories:
  - {code: service, name: {zh: 服务}, department: office, keywords: [态度]}
levels:
  - {code: "1", name: {zh: 一级}, description: {zh: 严重}, reply_within: 24h, review: manager, confirm_by: manager, retention: permanent, sanctions: [{zh: 通报批评}]}
  - {code: "2", name: {zh: 二级}, review: none}
default_level: "2"
time_limits:
  - {clock: reply, within: 5wd, kinds: [complaint], levels: ["2"], source: 第五条}
  - {clock: first_contact, within: 4bh}
supervision: {remind_at: [0.5, 0.75], escalate_to: [dept_head, central_office, manager], tell_complainant_when_late: true}
extensions: {approver: dept_head, max_total: 10wd, clocks: [reply, completion]}
calendar:
  hours: "08:00-12:00,14:00-17:30"
  closures: [{date: 2026-12-31, name: 院庆}]
  workdays: [{date: "2026-12-26"}]
  extend_natural_days: false
  day_ends: close
rules:
  - id: level1-media
    when: 'signal("media") || channel in ["media", "regulator"]'
    level: "1"
    category: service
    department: office
    departments: [pr]
    kind: complaint
    notify: ["role:admin", "role:registrar", "role:handler", "role:dept_head", "role:manager", "role:auditor",
      "department:pr", "dept_head", "involved", "central_office"]
    confirm_by: dept_head
    reason: {zh: 媒体, en: Media}
    source: 第一条
rewards:
  - {id: verified, when: 'kind == "report"', text: {zh: 奖励}, source: 第二条}
  - {id: always, text: {zh: 感谢}}
signals:
  water: [黄水, 浑浊]
  injury: ["!住院"]
`

// TestAgreesWithLoader breaks the base pack one key at a time: the schema
// and the loader must both reject each broken pack, and both accept the
// variations that are valid.
func TestAgreesWithLoader(t *testing.T) {
	sch := compile(t, mustGen(t, Pack))
	bad := []struct {
		name    string
		edit    func(m map[string]any)
		at, why string // instance location and keyword of the schema's error
	}{
		{"unknown key", set("colour", "red"), "", "additionalProperties"},
		{"unknown key in a level", set("levels.0.colour", "red"), "/levels/0", "additionalProperties"},
		{"unknown key in a rule", set("rules.0.then", "x"), "/rules/0", "additionalProperties"},
		{"bad duration", set("levels.0.reply_within", "2 weeks"), "/levels/0/reply_within", "pattern"},
		{"zero duration", set("time_limits.0.within", "0d"), "/time_limits/0/within", "pattern"},
		{"duration without unit", set("time_limits.1.within", "24"), "/time_limits/1/within", "pattern"},
		{"text without zh", set("name", map[string]any{"en": "Test rules"}), "/name", "required"},
		{"blank zh", set("organization.zh", "  "), "/organization/zh", "pattern"},
		{"text in another language", set("categories.0.name.fr", "Service"), "/categories/0/name", "additionalProperties"},
		{"text as a string", set("kinds.0.label", "投诉"), "/kinds/0/label", "type"},
		{"bad reset", set("numbering.reset", "weekly"), "/numbering/reset", "enum"},
		{"format without serial", set("numbering.format", "{prefix}{yy}{mm}"), "/numbering/format", "pattern"},
		{"missing numbering", del("numbering"), "", "required"},
		{"version 0", set("version", 0), "/version", "minimum"},
		{"upper-case id", set("id", "Test"), "/id", "pattern"},
		{"no channels", set("channels", []any{}), "/channels", "minItems"},
		{"unknown kind", set("kinds.1.code", "praise"), "/kinds/1/code", "enum"},
		{"unknown channel", set("channels.0.code", "pigeon"), "/channels/0/code", "enum"},
		{"bad department code", set("categories.0.department", "Office"), "/categories/0/department", "pattern"},
		{"bad review", set("levels.1.review", "boss"), "/levels/1/review", "enum"},
		{"bad confirm_by", set("levels.0.confirm_by", "boss"), "/levels/0/confirm_by", "enum"},
		{"bad retention", set("levels.0.retention", "forever"), "/levels/0/retention", "pattern"},
		{"sanction without zh", set("levels.0.sanctions.0", map[string]any{"en": "x"}), "/levels/0/sanctions/0", "required"},
		{"unknown clock", set("time_limits.0.clock", "lunch"), "/time_limits/0/clock", "enum"},
		{"unknown kind in a limit", set("time_limits.0.kinds.0", "praise"), "/time_limits/0/kinds/0", "enum"},
		{"reminder past the limit", set("supervision.remind_at.1", 1.5), "/supervision/remind_at/1", "exclusiveMaximum"},
		{"unknown escalation", set("supervision.escalate_to.0", "ceo"), "/supervision/escalate_to/0", "enum"},
		{"bad approver", set("extensions.approver", "ceo"), "/extensions/approver", "enum"},
		{"extension in hours", set("extensions.max_total", "5h"), "/extensions/max_total", "pattern"},
		{"bad day_ends", set("calendar.day_ends", "noon"), "/calendar/day_ends", "enum"},
		{"bad date", set("calendar.closures.0.date", "2026-13-01"), "/calendar/closures/0/date", "pattern"},
		{"rule without reason", del("rules.0.reason"), "/rules/0", "required"},
		{"rule without when", del("rules.0.when"), "/rules/0", "required"},
		{"blank when", set("rules.0.when", " "), "/rules/0/when", "pattern"},
		{"bad rule id", set("rules.0.id", "Level 1"), "/rules/0/id", "pattern"},
		{"unknown role", set("rules.0.notify.0", "role:boss"), "/rules/0/notify/0", "pattern"},
		{"unknown recipient", set("rules.0.notify.0", "everyone"), "/rules/0/notify/0", "pattern"},
		{"reward without text", del("rewards.0.text"), "/rewards/0", "required"},
		{"bad signal kind", set("signals.Water", []any{"黄水"}), "/signals", "propertyNames"},
		{"empty signal word", set("signals.water.0", "!"), "/signals/water/0", "pattern"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			data := edited(t, c.edit)
			err := validate(sch, data)
			if err == nil {
				t.Fatalf("the schema accepts:\n%s", data)
			}
			if !failsAt(err, c.at, c.why) {
				t.Errorf("want a %s error at %q; got %v", c.why, c.at, err)
			}
			if _, err := policy.Parse("pack.yaml", data); err == nil {
				t.Errorf("the loader accepts what the schema rejects:\n%s", data)
			}
		})
	}

	good := []struct {
		name string
		edit func(m map[string]any)
	}{
		{"as it is", func(map[string]any) {}},
		{"optional sections left out", func(m map[string]any) {
			for _, k := range []string{"source", "time_limits", "supervision", "extensions", "calendar", "rewards", "signals"} {
				delete(m, k)
			}
			m["rules"] = []any{map[string]any{"id": "r", "when": "true", "level": "1", "reason": map[string]any{"zh": "总是"}}}
		}},
		{"one kind without prefix", func(m map[string]any) {
			setPath(m, "numbering", map[string]any{"format": "{yyyy}-{seq:5}", "reset": "never"})
			setPath(m, "kinds", []any{map[string]any{"code": "complaint", "label": map[string]any{"zh": "投诉"}}})
			delete(m, "rewards")
			setPath(m, "time_limits.0.kinds", []any{"complaint"})
		}},
		{"every kind, channel and clock", func(m map[string]any) {
			var kinds, channels, limits []any
			for i, k := range policy.Kinds {
				kinds = append(kinds, map[string]any{"code": k, "prefix": strconv.Itoa(i), "label": map[string]any{"zh": k}})
			}
			for _, c := range policy.Channels {
				channels = append(channels, map[string]any{"code": c, "label": map[string]any{"zh": c}})
			}
			for _, c := range policy.ClockNames {
				limits = append(limits, map[string]any{"clock": c, "within": "30m"})
			}
			m["kinds"], m["channels"], m["time_limits"] = kinds, channels, limits
		}},
		{"every role", func(m map[string]any) {
			var notify []any
			for _, r := range auth.Roles {
				notify = append(notify, "role:"+string(r))
			}
			setPath(m, "rules.0.notify", notify)
			setPath(m, "rules.0.confirm_by", "registrar")
			setPath(m, "extensions.approver", "registrar")
		}},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			data := edited(t, c.edit)
			if _, err := policy.Parse("pack.yaml", data); err != nil {
				t.Fatalf("the loader rejects the case (fix the case): %v", err)
			}
			if err := validate(sch, data); err != nil {
				t.Errorf("the schema rejects what the loader accepts: %v\n%s", err, data)
			}
		})
	}
}

// TestScenarioSchemaRejects checks the scenario schema on broken files.
func TestScenarioSchemaRejects(t *testing.T) {
	sch := compile(t, mustGen(t, Scenarios))
	base := `
pack: test-pack
scenarios:
  - name: 一级
    source: 第一条
    case:
      kind: complaint
      channel: phone
      received_at: "2026-09-30T10:00:00+08:00"
      subject: 态度
      content: 态度恶劣，已向电视台反映。
      complainant: {name: 王先生, phone: "13800000001", group_size: 2}
      respondent: {department: office}
      demands: [apology]
      evidence: [{type: photo, count: 2}]
    previous: 1
    expect:
      level: "1"
      category: ""
      departments: [office, pr]
      notify: ["role:manager", "department:pr"]
      confirm_by: manager
      rules: [level1-media]
      not_rules: [level3]
      deadlines: {reply: "2026-10-09 24:00", first_contact: "2026-09-30 14:00"}
`
	if err := validate(sch, []byte(base)); err != nil {
		t.Fatalf("base: %v", err)
	}
	for _, c := range []struct {
		name    string
		edit    func(m map[string]any)
		at, why string
	}{
		{"unknown key in a case", set("scenarios.0.case.colour", "red"), "/scenarios/0/case", "additionalProperties"},
		{"case without received_at", del("scenarios.0.case.received_at"), "/scenarios/0/case", "required"},
		{"bad channel", set("scenarios.0.case.channel", "pigeon"), "/scenarios/0/case/channel", "enum"},
		{"unknown expectation", set("scenarios.0.expect.grade", "1"), "/scenarios/0/expect", "additionalProperties"},
		{"unknown clock", set("scenarios.0.expect.deadlines.lunch", "2026-10-09 12:00"), "/scenarios/0/expect/deadlines", "propertyNames"},
		{"bad due time", set("scenarios.0.expect.deadlines.reply", "2026-10-09"), "/scenarios/0/expect/deadlines/reply", "pattern"},
		{"no scenarios", set("scenarios", []any{}), "/scenarios", "minItems"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := parse(t, []byte(base))
			c.edit(m)
			data, err := yaml.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			err = validate(sch, data)
			if err == nil {
				t.Fatalf("the schema accepts:\n%s", data)
			}
			if !failsAt(err, c.at, c.why) {
				t.Errorf("want a %s error at %q; got %v", c.why, c.at, err)
			}
		})
	}
}

// --- helpers ---

func mustGen(t *testing.T, gen func(string) ([]byte, error)) []byte {
	t.Helper()
	data, err := gen(root)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// lookup follows a dotted path of keys.
func lookup(v any, path string) any {
	for _, k := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		v = v.(map[string]any)[k]
	}
	return v
}

func compile(t *testing.T, schema []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "file:///schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// validate checks a YAML document against the schema, as an editor does:
// the YAML is read as the JSON it stands for.
func validate(sch *jsonschema.Schema, yamlData []byte) error {
	var n yaml.Node
	if err := yaml.Unmarshal(yamlData, &n); err != nil {
		return err
	}
	v, err := jsonValue(&n)
	if err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// jsonValue converts a YAML node to the value JSON would hold: mappings
// become map[string]any (keys as written), sequences []any, and scalars
// strings, numbers, booleans or nil by their resolved tag. Timestamps
// stay strings, as the loader reads them.
func jsonValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return jsonValue(n.Content[0])
	case yaml.AliasNode:
		return jsonValue(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := jsonValue(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var merged []map[string]any
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, vn := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key must be a scalar", k.Line)
			}
			v, err := jsonValue(vn)
			if err != nil {
				return nil, err
			}
			if k.ShortTag() == "!!merge" { // << : *anchor or [*a, *b]
				list, ok := v.([]any)
				if !ok {
					list = []any{v}
				}
				for _, x := range list {
					m, ok := x.(map[string]any)
					if !ok {
						return nil, fmt.Errorf("line %d: << merges a mapping", k.Line)
					}
					merged = append(merged, m)
				}
				continue
			}
			if _, dup := out[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q appears twice", k.Line, k.Value)
			}
			out[k.Value] = v
		}
		for _, m := range merged {
			for k, v := range m {
				if _, ok := out[k]; !ok {
					out[k] = v
				}
			}
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str", "!!timestamp", "!!binary":
			return n.Value, nil
		case "!!null":
			return nil, nil
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, err
		}
		return v, nil
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}

// failsAt reports whether one of the errors in err is at instance
// location at (a JSON pointer, "" for the document) for the keyword why.
// The location of a propertyNames error is not compared: the validator
// (v6.0.3) does not copy it, and a later sibling overwrites it.
func failsAt(err error, at, why string) bool {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	var match func(e *jsonschema.ValidationError) bool
	match = func(e *jsonschema.ValidationError) bool {
		loc := ""
		if len(e.InstanceLocation) > 0 {
			loc = "/" + strings.Join(e.InstanceLocation, "/")
		}
		kw := e.ErrorKind.KeywordPath()
		if len(kw) > 0 && kw[len(kw)-1] == why && (loc == at || why == "propertyNames") {
			return true
		}
		return slices.ContainsFunc(e.Causes, match)
	}
	return match(ve)
}

func parse(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		t.Fatal(err)
	}
	v, err := jsonValue(&n)
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

// edited returns the base pack with edit applied, as YAML.
func edited(t *testing.T, edit func(map[string]any)) []byte {
	t.Helper()
	m := parse(t, []byte(basePack))
	edit(m)
	data, err := yaml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func set(path string, v any) func(map[string]any) {
	return func(m map[string]any) { setPath(m, path, v) }
}

func del(path string) func(map[string]any) {
	return func(m map[string]any) { setPath(m, path, deleted{}) }
}

type deleted struct{}

// setPath sets (or, with deleted{}, removes) the value at a dotted path of
// keys and list indexes.
func setPath(m map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	var cur any = m
	for i, k := range keys {
		last := i == len(keys)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if _, ok := v.(deleted); ok {
					delete(c, k)
				} else {
					c[k] = v
				}
				return
			}
			cur = c[k]
		case []any:
			j, err := strconv.Atoi(k)
			if err != nil || j >= len(c) {
				panic("setPath: bad index " + k + " in " + path)
			}
			if last {
				c[j] = v
				return
			}
			cur = c[j]
		default:
			panic("setPath: no " + path)
		}
	}
}
