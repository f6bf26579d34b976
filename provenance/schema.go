package provenance

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/regular"
	"github.com/leakprov/leakprov/internal/untrusted"
)

// Schema describes what an accused system holds: the facts the claim
// checks compare a leak against. Built-in schemas are embedded YAML files;
// users add their own in the same format (see LoadSchema).
type Schema struct {
	// Name is the schema's identifier, e.g. "diia-driver-licence".
	Name string `yaml:"name" json:"name"`
	// System is the system's human name.
	System  string `yaml:"system" json:"system"`
	Country string `yaml:"country" json:"country"`
	// Launched is the date the system opened to users (YYYY-MM-DD).
	Launched string `yaml:"launched" json:"launched,omitempty"`
	// Population is the most records of this kind that can exist (e.g.
	// licences issued in the country); 0 when unknown.
	Population int64 `yaml:"population" json:"population,omitempty"`
	// Holds lists the kinds the system holds; any other kind is not held.
	Holds []HeldKind `yaml:"holds" json:"holds"`
	// Notes give the facts' sources.
	Notes []string `yaml:"notes" json:"notes,omitempty"`
}

// HeldKind is one kind a system holds, with its precision and format.
type HeldKind struct {
	Kind canon.Kind `yaml:"kind" json:"kind"`
	// Precision of dates: "day" (default) or "year".
	Precision string `yaml:"precision" json:"precision,omitempty"`
	// Pattern is a regular expression the canonical value matches.
	Pattern string `yaml:"pattern" json:"pattern,omitempty"`
	// Check is the check-digit scheme values satisfy: rnokpp, iin,
	// aadhaar, inn or luhn.
	Check string `yaml:"check" json:"check,omitempty"`

	re *regexp.Regexp
}

// Held returns the schema's entry for kind k (name parts count as name).
func (s *Schema) Held(k canon.Kind) *HeldKind {
	if k.IsNamePart() {
		k = canon.Name
	}
	for i := range s.Holds {
		if s.Holds[i].Kind == k {
			return &s.Holds[i]
		}
	}
	return nil
}

// ErrSchema is wrapped by every schema validation error.
var ErrSchema = errors.New("schema")

// SchemaError locates a mistake in a schema file.
type SchemaError struct {
	File  string
	Line  int
	Field string
	Err   error
}

// Error returns "file:line: field: problem".
func (e *SchemaError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %v", loc, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

// Unwrap returns the underlying error (which wraps ErrSchema).
func (e *SchemaError) Unwrap() error { return e.Err }

// checkSchemes lists the check-digit schemes a schema may name.
var checkSchemes = map[string]bool{"rnokpp": true, "iin": true, "aadhaar": true, "inn": true, "luhn": true}

// ParseSchema reads a schema from YAML (JSON, being YAML, works too). Every
// mistake is reported as a *SchemaError naming the file, line and field;
// unknown fields are mistakes.
func ParseSchema(name string, data []byte) (*Schema, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &SchemaError{File: name, Line: yamlErrLine(err), Err: fmt.Errorf("%w: %v", ErrSchema, err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &SchemaError{File: name, Line: 1, Err: fmt.Errorf("%w: want a mapping of fields", ErrSchema)}
	}
	fail := func(n *yaml.Node, field, format string, a ...any) error {
		return &SchemaError{File: name, Line: n.Line, Field: field, Err: fmt.Errorf("%w: "+format, append([]any{ErrSchema}, a...)...)}
	}
	s := &Schema{}
	root := doc.Content[0]
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		seen[k.Value] = k
		switch k.Value {
		case "name", "system", "country", "launched":
			if v.Kind != yaml.ScalarNode {
				return nil, fail(v, k.Value, "want a single value")
			}
			switch k.Value {
			case "name":
				s.Name = v.Value
			case "system":
				s.System = v.Value
			case "country":
				s.Country = v.Value
			case "launched":
				if _, err := time.Parse("2006-01-02", v.Value); err != nil {
					return nil, fail(v, k.Value, "%q is not a date YYYY-MM-DD", v.Value)
				}
				s.Launched = v.Value
			}
		case "population":
			n, err := strconv.ParseInt(v.Value, 10, 64)
			if v.Kind != yaml.ScalarNode || err != nil || n < 0 {
				return nil, fail(v, k.Value, "%q is not a whole number of records", v.Value)
			}
			s.Population = n
		case "notes":
			if v.Kind != yaml.SequenceNode {
				return nil, fail(v, k.Value, "want a list of text")
			}
			for _, e := range v.Content {
				s.Notes = append(s.Notes, e.Value)
			}
		case "holds":
			if v.Kind != yaml.SequenceNode {
				return nil, fail(v, k.Value, "want a list of kinds")
			}
			for j, e := range v.Content {
				hk, err := parseHeld(e, fmt.Sprintf("holds[%d]", j), fail)
				if err != nil {
					return nil, err
				}
				if s.Held(hk.Kind) != nil {
					return nil, fail(e, fmt.Sprintf("holds[%d].kind", j), "%s is listed twice", hk.Kind)
				}
				s.Holds = append(s.Holds, hk)
			}
		default:
			return nil, fail(k, k.Value, "unknown field (want name, system, country, launched, population, holds, notes)")
		}
	}
	for _, req := range []string{"name", "holds"} {
		if seen[req] == nil {
			return nil, fail(root, req, "missing")
		}
	}
	if r, ok := canon.ParseRegion(s.Country); !ok {
		return nil, fail(seen["country"], "country", "%q is not a two-letter country code", s.Country)
	} else {
		s.Country = string(r)
	}
	return s, nil
}

func parseHeld(n *yaml.Node, at string, fail func(*yaml.Node, string, string, ...any) error) (HeldKind, error) {
	var hk HeldKind
	if n.Kind == yaml.ScalarNode {
		k, err := canon.ParseKind(n.Value)
		if err != nil {
			return hk, fail(n, at, "%q is not a kind", n.Value)
		}
		hk.Kind = k
		return hk, nil
	}
	if n.Kind != yaml.MappingNode {
		return hk, fail(n, at, "want a kind or a mapping with kind, precision, pattern, check")
	}
	hasKind := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := at + "." + k.Value
		if v.Kind != yaml.ScalarNode {
			return hk, fail(v, field, "want a single value")
		}
		switch k.Value {
		case "kind":
			kk, err := canon.ParseKind(v.Value)
			if err != nil || kk == canon.NameBirthDate {
				return hk, fail(v, field, "%q is not a kind", v.Value)
			}
			hk.Kind, hasKind = kk, true
		case "precision":
			if v.Value != "day" && v.Value != "year" {
				return hk, fail(v, field, "%q: want day or year", v.Value)
			}
			hk.Precision = v.Value
		case "pattern":
			re, err := regexp.Compile(v.Value)
			if err != nil {
				return hk, fail(v, field, "%v", err)
			}
			hk.Pattern, hk.re = v.Value, re
		case "check":
			if !checkSchemes[v.Value] {
				return hk, fail(v, field, "%q: want one of aadhaar, iin, inn, luhn, rnokpp", v.Value)
			}
			hk.Check = v.Value
		default:
			return hk, fail(k, field, "unknown field (want kind, precision, pattern, check)")
		}
	}
	if !hasKind {
		return hk, fail(n, at+".kind", "missing")
	}
	if hk.Precision != "" && hk.Kind != canon.BirthDate {
		return hk, fail(n, at+".precision", "only birth_date has a precision")
	}
	return hk, nil
}

func yamlErrLine(err error) int {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return 0
	}
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		n := 0
		for _, c := range msg[i+5:] {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	return 0
}

// Validate checks a schema built in code: a name, known check schemes,
// patterns that compile, each kind listed once and precision only on
// birth_date. It does not modify the schema, so one schema may be shared by
// concurrent Score calls.
func (s *Schema) Validate() error {
	_, err := s.compile()
	return err
}

// compile validates the schema and returns its compiled patterns by kind.
func (s *Schema) compile() (map[canon.Kind]*regexp.Regexp, error) {
	fail := func(field, format string, a ...any) error {
		return &SchemaError{File: s.Name, Field: field, Err: fmt.Errorf("%w: "+format, append([]any{ErrSchema}, a...)...)}
	}
	if s.Name == "" {
		return nil, &SchemaError{File: "schema", Field: "name", Err: fmt.Errorf("%w: missing", ErrSchema)}
	}
	out := map[canon.Kind]*regexp.Regexp{}
	seen := map[canon.Kind]bool{}
	for i, hk := range s.Holds {
		at := fmt.Sprintf("holds[%d]", i)
		switch {
		case seen[hk.Kind]:
			return nil, fail(at+".kind", "%s is listed twice", hk.Kind)
		case hk.Check != "" && !checkSchemes[hk.Check]:
			return nil, fail(at+".check", "unknown scheme %q", hk.Check)
		case hk.Precision != "" && (hk.Kind != canon.BirthDate || (hk.Precision != "day" && hk.Precision != "year")):
			return nil, fail(at+".precision", "%q: only birth_date has a precision, day or year", hk.Precision)
		}
		seen[hk.Kind] = true
		if hk.Pattern == "" {
			continue
		}
		re := hk.re
		if re == nil {
			var err error
			if re, err = regexp.Compile(hk.Pattern); err != nil {
				return nil, fail(at+".pattern", "%v", err)
			}
		}
		out[hk.Kind] = re
	}
	return out, nil
}

//go:embed schemas/*.yaml
var builtinFS embed.FS

// BuiltinSchemas returns the embedded schemas of the seed systems, sorted
// by name.
func BuiltinSchemas() ([]*Schema, error) {
	ents, err := fs.ReadDir(builtinFS, "schemas")
	if err != nil {
		return nil, err
	}
	var out []*Schema
	for _, e := range ents {
		b, err := builtinFS.ReadFile("schemas/" + e.Name())
		if err != nil {
			return nil, err
		}
		s, err := ParseSchema("schemas/"+e.Name(), b)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ErrUnknownSchema is returned by LoadSchema for a name that is neither a
// built-in schema nor a readable file.
var ErrUnknownSchema = errors.New("unknown schema")

// maxSchemaFile bounds a schema file: the built-in ones are under 2 KiB.
const maxSchemaFile = 1 << 20

// LoadSchema returns the built-in schema called nameOrFile, or reads a
// schema file (YAML or JSON): a regular file of at most 1 MiB.
func LoadSchema(nameOrFile string) (*Schema, error) {
	all, err := BuiltinSchemas()
	if err != nil {
		return nil, err
	}
	for _, s := range all {
		if s.Name == nameOrFile {
			return s, nil
		}
	}
	b, err := regular.ReadFile(nameOrFile, maxSchemaFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			names := make([]string, len(all))
			for i, s := range all {
				names[i] = s.Name
			}
			return nil, fmt.Errorf("%w %q: not a built-in schema (%s) nor a file", ErrUnknownSchema, nameOrFile, strings.Join(names, ", "))
		}
		return nil, err
	}
	return ParseSchema(nameOrFile, b)
}

// WriteSchemas writes a table of schemas for a terminal, one line each:
// name, country, system and the kinds held.
func WriteSchemas(w io.Writer, schemas []*Schema) error {
	var b strings.Builder
	for _, s := range schemas {
		kinds := make([]canon.Kind, len(s.Holds))
		for i, h := range s.Holds {
			kinds[i] = h.Kind
		}
		fmt.Fprintf(&b, "%-24s %-2s %-30s holds %s\n", untrusted.Text(s.Name), untrusted.Text(s.Country), untrusted.Text(s.System), kindList(kinds))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
