// Package schema generates the JSON Schemas (draft 2020-12) that docs/
// publishes for policy packs and their scenario files. The schemas are
// reflected from the Go types the loaders decode into, by their yaml
// struct tags (github.com/invopop/jsonschema with FieldNameTag "yaml"), so
// they follow the code; descriptions come from the types' doc comments,
// read from the source. The fixed sets the loader checks (kind and channel
// codes, clock names, roles …) and the forms of codes and durations are
// then added by hand below, each to a property named by type and key: a
// property that no longer exists is an error, not a silent omission.
//
// The schema helps editors and reviewers; the loader (policy.Parse) stays
// the authority: it also checks what a schema cannot say, such as a
// category's department being one of the departments.
//
// The published files are regenerated with
//
//	go test ./internal/policy/schema -update
//
// (or go generate ./internal/policy/schema), and a test fails when they
// differ from what the code generates.
package schema

//go:generate go test -run TestPublished -update .

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/evaluate"
	"github.com/ombud/ombud/internal/policy"
)

// Files the schemas are published as, relative to the module root.
const (
	PackFile      = "docs/policy-pack.schema.json"
	ScenariosFile = "docs/policy-pack-scenarios.schema.json"
)

// Patterns for the forms the loader accepts.
const (
	codePattern     = `^[a-z0-9][a-z0-9_-]*$`                               // policy codeRE, ruleIDRE
	durationPattern = `^[1-9][0-9]*(m|h|d|wd|bh)$`                          // calendar.ParseDuration
	dayPattern      = `^[1-9][0-9]*(d|wd)$`                                 // extensions.max_total
	retention       = `^([1-9][0-9]?y|permanent)$`                          // policy retentionRE
	datePattern     = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$` // YYYY-MM-DD
	signalPattern   = `^[a-z][a-z0-9_]*$`                                   // signals codeRE
	nonBlank        = `\S`
	duration        = "Nm minutes, Nh hours, Nd natural days, Nwd working days or Nbh business hours (bh needs calendar.hours), e.g. 2wd, 24h."
)

// notifyPattern is a notification recipient as policy.notifyTarget
// accepts it: role:<role>, department:<code>, dept_head, involved or
// central_office.
func notifyPattern() string {
	var roles []string
	for _, r := range auth.Roles {
		roles = append(roles, string(r))
	}
	return `^(dept_head|involved|central_office|role:(` + strings.Join(roles, "|") + `)|department:[a-z0-9][a-z0-9_-]*)$`
}

var (
	textType   = reflect.TypeFor[policy.Text]()
	reviewType = reflect.TypeFor[policy.Review]()
)

// Pack returns the JSON Schema of a policy pack, indented, ending in a
// newline. root is the module's root directory, where the Go sources are
// read for descriptions.
func Pack(root string) ([]byte, error) {
	docs, err := readDocs(root, "internal/policy")
	if err != nil {
		return nil, err
	}
	// A key whose yaml tag lacks omitempty is required, as the loader
	// requires those; refinePack makes the exceptions optional.
	r := &jsonschema.Reflector{
		FieldNameTag:   "yaml",
		ExpandedStruct: true,
		Anonymous:      true,
		Mapper:         packMapper,
		LookupComment:  docs.lookup,
	}
	s := r.Reflect(&policy.Pack{})
	s.Title = "Ombud policy pack"
	s.Description = "An organization's complaint-handling rulebook (制度) as Ombud loads it (docs/policy-packs.md). " +
		"The loader stays the authority: it also checks cross-references, such as a category's department being one of the departments."
	text := &jsonschema.Schema{
		Type:                 "object",
		Description:          docs.lookup(textType, ""),
		Properties:           jsonschema.NewProperties(),
		Required:             []string{"zh"},
		AdditionalProperties: jsonschema.FalseSchema,
	}
	text.Properties.Set("zh", &jsonschema.Schema{Type: "string", Pattern: nonBlank, Description: "Chinese (required)."})
	text.Properties.Set("en", &jsonschema.Schema{Type: "string", Description: "English (optional; Chinese is shown when it is missing)."})
	s.Definitions["Text"] = text
	f := &refiner{root: s, defs: s.Definitions}
	refinePack(f)
	if err := f.err(); err != nil {
		return nil, err
	}
	return marshal(s)
}

// Scenarios returns the JSON Schema of a pack's scenario file, whose
// cases are registrations (cases.Registration, by its json tags, as the
// API takes them).
func Scenarios(root string) ([]byte, error) {
	docs, err := readDocs(root, "internal/evaluate", "internal/cases")
	if err != nil {
		return nil, err
	}
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		ExpandedStruct:             true,
		Anonymous:                  true,
		RequiredFromJSONSchemaTags: true, // every key is optional to the decoder; required ones are listed below
		LookupComment:              docs.lookup,
	}
	s := r.Reflect(&evaluate.ScenarioFile{})
	s.Title = "Ombud policy pack scenarios"
	s.Description = "A policy pack's scenario file (packs/<id>.scenarios.yaml, docs/policy-packs.md#scenario-files): " +
		"cases from the rulebook's own text with the suggestion the pack must make; `ombud packs test` runs them."
	reg := &jsonschema.Reflector{
		Anonymous:                  true,
		RequiredFromJSONSchemaTags: true,
		LookupComment:              docs.lookup,
	}
	rs := reg.Reflect(&cases.Registration{})
	for name, d := range rs.Definitions {
		if _, dup := s.Definitions[name]; dup {
			return nil, fmt.Errorf("schema: type name %s is used by both the scenario file and the registration", name)
		}
		s.Definitions[name] = d
	}
	f := &refiner{root: s, defs: s.Definitions}
	refineScenarios(f)
	if err := f.err(); err != nil {
		return nil, err
	}
	return marshal(s)
}

// packMapper gives the types with a fixed JSON form theirs: a Text is
// the Text definition, a Review one of the review rules.
func packMapper(t reflect.Type) *jsonschema.Schema {
	switch t {
	case textType:
		return &jsonschema.Schema{Ref: "#/$defs/Text"}
	case reviewType:
		return &jsonschema.Schema{Type: "string", Enum: strs(policy.ReviewNone, policy.ReviewDeptHead, policy.ReviewManager)}
	}
	return nil
}

func refinePack(f *refiner) {
	root := "" // the pack itself
	top := map[string]string{
		"id":             "The pack's id (lower-case letters, digits, _ or -), e.g. hospital-taicang: what --pack and ?pack= name.",
		"version":        "The version of the rules, 1 or more: bump it when the rules change.",
		"name":           "The rulebook's title.",
		"organization":   "The organization whose rulebook this is.",
		"source":         "Where the rules come from (free text), e.g. the rulebook's title and date.",
		"central_office": "Department code of the central registry (多口归一): one of the departments.",
		"numbering":      "How case numbers look and when their serial restarts.",
		"kinds":          "The kinds of contact taken (咨询, 建议, 投诉, 举报), each with the prefix of its case numbers.",
		"channels":       "The intake channels used.",
		"departments":    "The departments that handle cases.",
		"categories":     "Subject categories, each routed to a default department.",
		"levels":         "Grades of seriousness, from the most to the least severe: the evaluator relies on that order.",
		"default_level":  "The level of a case no rule grades and the registrant did not grade: one of the levels.",
		"time_limits":    "Time limits per clock, kind and level; the first matching entry for a clock applies, a level's reply_within otherwise (docs/time-limits.md).",
		"supervision":    "How late cases are chased (督办): reminders and escalation.",
		"extensions":     "The rules for extending a time limit (延期).",
		"calendar":       "The organization's business hours, local days off and working days, and how day limits end.",
		"rules":          "Grading, routing and notification rules, evaluated on registration and on demand; every rule whose `when` holds fires, in file order.",
		"rewards":        "Reward rules for reports (举报奖励): data shown with the suggestion of a report they apply to.",
	}
	for key, d := range top {
		f.prop(root, key).Description = d
	}
	f.requireDescriptions(root)

	f.prop(root, "id").Pattern = codePattern
	f.prop(root, "version").Minimum = "1"
	code(f.prop(root, "central_office"), "")
	code(f.prop(root, "default_level"), "")
	for _, list := range []string{"kinds", "channels", "departments", "categories", "levels"} {
		f.prop(root, list).MinItems = ptr[uint64](1)
	}
	if s := f.prop(root, "signals"); s.AdditionalProperties != nil {
		s.PropertyNames = &jsonschema.Schema{Pattern: signalPattern}
		items(s.AdditionalProperties).Pattern = `[^!\s]`
	}

	f.prop("Numbering", "format").Pattern = `\{seq:[0-9]+\}`
	f.prop("Numbering", "reset").Enum = strs("monthly", "yearly", "never")

	f.prop("Kind", "code").Enum = strs(policy.Kinds...)
	f.prop("Kind", "code").Description = "One of the kinds of contact Ombud knows."
	f.prop("Kind", "label").Description = "What the kind is called."
	f.prop("Kind", "prefix").Description = "Begins the numbers of cases of the kind ({prefix} in numbering.format); several kinds need {prefix} in the format and distinct prefixes."
	f.optional("Kind", "prefix")
	f.prop("Channel", "code").Enum = strs(policy.Channels...)
	f.prop("Channel", "code").Description = "One of the channels Ombud knows (stable API codes)."
	f.prop("Channel", "label").Description = "What the channel is called."

	code(f.prop("Dept", "code"), "Unique among the departments.")
	f.prop("Dept", "name").Description = "The department's name."
	code(f.prop("Category", "code"), "Unique among the categories.")
	f.prop("Category", "name").Description = "The category's name."
	code(f.prop("Category", "department"), "The department cases of the category go to: one of the departments.")
	items(f.prop("Category", "keywords")).Pattern = nonBlank

	code(f.prop("Level", "code"), "Unique among the levels; quote digits (\"1\").")
	f.prop("Level", "name").Description = "The level's name."
	f.prop("Level", "description").Description = "When a case is of this level, in the rulebook's words."
	rw := f.prop("Level", "reply_within")
	rw.Pattern = durationPattern
	rw.Description = "The reply limit of the level when no time_limits entry sets one: " + duration
	f.optional("Level", "reply_within")
	f.prop("Level", "review").Description = "Who must approve a department's proposed reply: none, dept_head (the department head) or manager (the responsible leader, 分管领导)."
	f.prop("Level", "confirm_by").Enum = strs(policy.ConfirmRoles...)
	ret := f.prop("Level", "retention")
	ret.Pattern = retention
	ret.Description = "How long closed cases of the level are kept (R27): a number of years (\"5y\") or \"permanent\"."
	f.prop("Level", "sanctions").Description = "The sanctions the rulebook sets for the level (data; applying them is later work)."

	clock := f.prop("TimeLimit", "clock")
	clock.Enum = strs(policy.ClockNames...)
	clock.Description = "The step of a case the limit is on."
	within := f.prop("TimeLimit", "within")
	within.Pattern = durationPattern
	within.Description = duration
	kinds := f.prop("TimeLimit", "kinds")
	items(kinds).Enum = strs(policy.Kinds...)
	kinds.Description = "Only cases of these kinds (all when empty)."
	levels := f.prop("TimeLimit", "levels")
	code(items(levels), "")
	levels.Description = "Only cases at these levels (all when empty)."

	remind := items(f.prop("Supervision", "remind_at"))
	remind.ExclusiveMinimum, remind.ExclusiveMaximum = "0", "1"
	items(f.prop("Supervision", "escalate_to")).Enum = strs(policy.EscalationTargets...)

	f.prop("Extensions", "approver").Enum = strs("manager", "dept_head", "registrar")
	f.prop("Extensions", "max_total").Pattern = dayPattern
	items(f.prop("Extensions", "clocks")).Enum = strs(policy.ClockNames...)

	f.prop("CalendarRules", "closures").Description = "Local days off."
	f.prop("CalendarRules", "workdays").Description = "Local extra working days."
	f.prop("CalendarRules", "day_ends").Enum = strs("midnight", "close")
	date := f.prop("LocalDay", "date")
	date.Pattern = datePattern
	date.Description = "YYYY-MM-DD."
	f.prop("LocalDay", "name").Description = "What the day is, e.g. 院庆."

	f.prop("Rule", "id").Pattern = codePattern
	f.prop("Rule", "id").Description = "Unique among the rules: lower-case letters, digits, _ or -."
	when := f.prop("Rule", "when")
	when.Pattern = nonBlank
	when.Description = `The condition: an expr-lang boolean expression over the case, e.g. 'signal("media") || channel in ["media", "regulator"]' (docs/policy-packs.md, expression environment).`
	code(f.prop("Rule", "level"), "Suggests this level (the most severe of the firing rules wins): one of the levels.")
	code(f.prop("Rule", "category"), "Suggests this category: one of the categories.")
	code(f.prop("Rule", "department"), "Routes to this department instead of the category's: one of the departments.")
	code(items(f.prop("Rule", "departments")), "")
	f.prop("Rule", "departments").Description = "Further departments involved (copied, coordinated)."
	f.prop("Rule", "kind").Enum = strs(policy.Kinds...)
	f.prop("Rule", "kind").Description = "Suggests another kind, e.g. a 咨询 that is really a 投诉; one of the pack's kinds."
	notify(f.prop("Rule", "notify"))
	f.prop("Rule", "confirm_by").Enum = strs(policy.ConfirmRoles...)
	f.prop("Rule", "confirm_by").Description = "Who confirms the grade; overrides the level's confirm_by."
	f.prop("Rule", "reason").Description = "What the rule means, shown with the suggestion."
	f.prop("Rule", "source").Description = "The article of the rulebook the rule implements."

	f.prop("Reward", "id").Pattern = codePattern
	f.prop("Reward", "id").Description = "Lower-case letters, digits, _ or -."
	f.prop("Reward", "when").Description = "The condition (as a rule's `when`); the reward applies to every report when empty."
	f.prop("Reward", "text").Description = "The reward, in the rulebook's words."
	f.prop("Reward", "source").Description = "The article of the rulebook the reward implements."
}

func refineScenarios(f *refiner) {
	root := ""
	f.require(root, "scenarios")
	f.prop(root, "pack").Pattern = codePattern
	f.prop(root, "pack").Description = "The id of the pack the scenarios are for."
	f.prop(root, "scenarios").MinItems = ptr[uint64](1)

	f.require("Scenario", "name", "case")
	f.prop("Scenario", "name").Description = "What the case is, shown when it fails."
	f.prop("Scenario", "source").Description = "The article of the rulebook the scenario comes from."
	c := f.prop("Scenario", "case")
	*c = jsonschema.Schema{Ref: "#/$defs/Registration", Description: "A registration, as POST /api/v1/cases takes it; received_at is required, so that deadlines are stable."}
	f.prop("Scenario", "previous").Minimum = "0"
	f.prop("Scenario", "previous").Description = "Earlier cases by the same phone number."
	f.prop("Scenario", "expect").Description = "What the suggestion must be; only what is given is checked."

	code(f.prop("Expect", "level"), "")
	f.prop("Expect", "kind").Enum = strs(policy.Kinds...)
	f.prop("Expect", "category").Description = `The suggested category; "" for none.`
	f.prop("Expect", "department").Description = `The suggested department; "" for none.`
	code(items(f.prop("Expect", "departments")), "")
	f.prop("Expect", "departments").Description = "The departments involved: exactly this set."
	notify(f.prop("Expect", "notify"))
	f.prop("Expect", "notify").Description = "Recipients the suggestion must include."
	f.prop("Expect", "confirm_by").Enum = strs(policy.ConfirmRoles...)
	items(f.prop("Expect", "rules")).Pattern = codePattern
	f.prop("Expect", "rules").Description = "Rules that must have fired (others may too)."
	items(f.prop("Expect", "not_rules")).Pattern = codePattern
	f.prop("Expect", "not_rules").Description = "Rules that must not have fired."
	dl := f.prop("Expect", "deadlines")
	dl.PropertyNames = &jsonschema.Schema{Enum: strs(policy.ClockNames...)}
	if dl.AdditionalProperties != nil {
		dl.AdditionalProperties.Pattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$`
	}
	dl.Description = `Due times by clock, Asia/Shanghai, "YYYY-MM-DD HH:MM" with 24:00 for the end of a day.`

	f.require("Registration", "channel", "received_at", "subject", "content")
	f.prop("Registration", "kind").Enum = strs(policy.Kinds...)
	f.prop("Registration", "kind").Description = "The kind of contact; complaint when not given."
	f.prop("Registration", "channel").Enum = strs(policy.Channels...)
	subject := f.prop("Registration", "subject")
	subject.Pattern, subject.MaxLength = nonBlank, ptr[uint64](200)
	content := f.prop("Registration", "content")
	content.Pattern, content.MaxLength = nonBlank, ptr[uint64](20000)
	items(f.prop("Registration", "demands")).Enum = strs(cases.Demands...)
	code(f.prop("Registration", "level"), "Given by the registrant; when missing, the rules decide.")
	code(f.prop("Registration", "category"), "")
	f.require("Evidence", "type")
	f.prop("Evidence", "type").Enum = strs(cases.EvidenceTypes...)
	f.prop("Evidence", "count").Minimum = "0"
	f.prop("Complainant", "phone").Description = "The contact number."
	gs := f.prop("Complainant", "group_size")
	gs.Minimum, gs.Maximum = "0", "100000"
	gs.Description = "The number of complainants when several complain together (集体投诉); name is then the lead complainant (牵头人). 0 or 1: one person."
}

// code makes s a code: lower-case letters, digits, _ or -.
func code(s *jsonschema.Schema, description string) {
	s.Pattern = codePattern
	if description != "" {
		s.Description = description
	}
}

// notify makes s a list of notification recipients.
func notify(s *jsonschema.Schema) {
	items(s).Pattern = notifyPattern()
	s.Description = "Who is told: role:<role> (every user with the role), department:<code> (every user of the department), " +
		"dept_head (the head of the routed department), involved (the users of every department involved), central_office."
}

// items returns the schema of the elements of an array, or s itself.
func items(s *jsonschema.Schema) *jsonschema.Schema {
	if s.Type == "array" && s.Items != nil {
		return s.Items
	}
	return s
}

// refiner edits the properties of a reflected schema by definition and
// key, and remembers the ones it could not find.
type refiner struct {
	root *jsonschema.Schema
	defs jsonschema.Definitions
	errs []error
}

// def returns the definition named name ("" for the root schema).
func (f *refiner) def(name string) *jsonschema.Schema {
	if name == "" {
		return f.root
	}
	if d, ok := f.defs[name]; ok && d.Properties != nil {
		return d
	}
	f.errs = append(f.errs, fmt.Errorf("schema: no type %s (was it renamed?)", name))
	return nil
}

// prop returns the schema of the property key of definition def. A
// missing property is recorded and a scratch schema returned.
func (f *refiner) prop(def, key string) *jsonschema.Schema {
	d := f.def(def)
	if d == nil {
		return &jsonschema.Schema{}
	}
	s, ok := d.Properties.Get(key)
	if !ok || s == nil {
		f.errs = append(f.errs, fmt.Errorf("schema: %s has no key %q (was it renamed or removed?)", name(def), key))
		return &jsonschema.Schema{}
	}
	return s
}

func (f *refiner) optional(def, key string) {
	f.prop(def, key)
	if d := f.def(def); d != nil {
		d.Required = slices.DeleteFunc(d.Required, func(k string) bool { return k == key })
	}
}

func (f *refiner) require(def string, keys ...string) {
	for _, k := range keys {
		f.prop(def, k)
		if d := f.def(def); d != nil && !slices.Contains(d.Required, k) {
			d.Required = append(d.Required, k)
		}
	}
}

// requireDescriptions records every property of def without a
// description: a new top-level section must say what it is (a doc
// comment on its field is enough).
func (f *refiner) requireDescriptions(def string) {
	d := f.def(def)
	if d == nil {
		return
	}
	for key, s := range d.Properties.FromOldest() {
		if s.Description == "" {
			f.errs = append(f.errs, fmt.Errorf("schema: %s key %q has no description: give its field a doc comment", name(def), key))
		}
	}
}

func (f *refiner) err() error { return errors.Join(f.errs...) }

func name(def string) string {
	if def == "" {
		return "the root"
	}
	return def
}

// docs are the doc comments of the Go types of some packages, by import
// path, type and field.
type docs map[string]string

// readDocs reads the doc comments of the types in the (non-test) Go files
// of dirs, relative to the module root.
func readDocs(root string, dirs ...string) (docs, error) {
	d := docs{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("schema: no Go files in %s: give the module root", filepath.Join(root, dir))
		}
		pkg := "github.com/ombud/ombud/" + dir
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			for _, decl := range f.Decls {
				g, ok := decl.(*ast.GenDecl)
				if !ok || g.Tok != token.TYPE {
					continue
				}
				for _, spec := range g.Specs {
					ts := spec.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil && len(g.Specs) == 1 {
						doc = g.Doc
					}
					d[pkg+"."+ts.Name.Name] = doc.Text()
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, field := range st.Fields.List {
						text := field.Doc.Text()
						if text == "" {
							text = field.Comment.Text()
						}
						for _, n := range field.Names {
							d[pkg+"."+ts.Name.Name+"."+n.Name] = text
						}
					}
				}
			}
		}
	}
	return d, nil
}

// lookup returns the description of type t, or of its field: the doc
// comment on one line, a leading field name replaced by its key.
func (d docs) lookup(t reflect.Type, field string) string {
	key := t.PkgPath() + "." + t.Name()
	if field != "" {
		key += "." + field
	}
	text := strings.Join(strings.Fields(d[key]), " ")
	if field == "" || text == "" {
		return text
	}
	sf, ok := t.FieldByName(field)
	if !ok {
		return text
	}
	tag, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
	if tag == "" {
		tag, _, _ = strings.Cut(sf.Tag.Get("json"), ",")
	}
	for _, goName := range []string{field, strings.TrimSuffix(field, "Text")} {
		if rest, ok := strings.CutPrefix(text, goName); ok && tag != "" && (rest == "" || rest[0] == ' ' || rest[0] == ':') {
			return "`" + tag + "`" + rest
		}
	}
	return text
}

func marshal(s *jsonschema.Schema) ([]byte, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	// encoding/json writes <, > and & as \u003c, \u003e and \u0026; the
	// descriptions read better as written ("role:<role>").
	b := bytes.ReplaceAll(out.Bytes(), []byte(`\u003c`), []byte("<"))
	b = bytes.ReplaceAll(b, []byte(`\u003e`), []byte(">"))
	b = bytes.ReplaceAll(b, []byte(`\u0026`), []byte("&"))
	if !json.Valid(b) {
		return nil, errors.New("schema: invalid JSON after unescaping <, > and &")
	}
	return b, nil
}

func strs[S ~string](values ...S) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
