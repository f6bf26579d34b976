package canon

import (
	"strconv"
	"strings"
)

// Column is one column of a dump: its name, the kind of field it holds and
// how its ambiguous dates read. Readers detect columns; signatures record
// them (name and kind) for every input.
type Column struct {
	// Name is the header text; for JSON, the dotted key path; for a file
	// without a header, "column N" with N counted from 1.
	Name string `json:"name"`
	// Kind is the detected (or mapped) field kind.
	Kind Kind `json:"kind"`
	// DateOrder reads the column's ambiguous dates (birth_date only). It is
	// decided per column and not stored in signatures.
	DateOrder DateOrder `json:"-"`
}

// Shareable returns the column as it may leave the dump, in a signature or
// a report: itself, or, when its name looks like a value of an identifying
// kind (a phone, an e-mail, an ID, a card or document number: the first
// record taken for a header), named "column N" with N = i+1.
func (c Column) Shareable(i int, region Region) Column {
	for _, k := range []Kind{Phone, Email, NationalID, CardNumber, Passport, DriverLicence} {
		if _, st := Append(nil, k, c.Name, Options{Region: region}); st.Hashable() && strings.ContainsAny(c.Name, "0123456789@") {
			c.Name = "column " + strconv.Itoa(i+1)
			break
		}
	}
	return c
}

// Value is one value of a record after canonicalisation.
type Value struct {
	Kind   Kind
	Status Status
	// Form is the canonical form when Status.Hashable(), else nil. It
	// aliases the Normaliser's buffer and is valid until its next call.
	Form []byte
}

// A Normaliser canonicalises the records of one dump, each value once. For
// every record it gives each column's outcome, and the values that identify
// or describe the person in it: name parts (last, first, middle) are
// assembled into one name when no whole-name column has a value, and a
// name with a full birth date makes the (name, birth_date) pair. A
// Normaliser reuses its buffers and is not safe for concurrent use; make
// one per goroutine.
type Normaliser struct {
	cols   []Column
	region Region
	buf    []byte
	cspans []span // the forms of perCol
	vspans []span // the forms of vals
	perCol []Value
	vals   []Value
	parts  []byte
}

type span struct{ a, b int }

// NewNormaliser returns a Normaliser for records whose fields are cols,
// resolving national formats for region.
func NewNormaliser(region Region, cols []Column) *Normaliser {
	return &Normaliser{cols: cols, region: region, buf: make([]byte, 0, 1024),
		perCol: make([]Value, len(cols))}
}

// Region returns the region the Normaliser resolves national formats for.
func (n *Normaliser) Region() Region { return n.region }

// Columns returns the columns the Normaliser reads.
func (n *Normaliser) Columns() []Column { return n.cols }

// Normalise canonicalises rec, whose fields are aligned with the columns
// (missing trailing fields read as blank), and returns:
//
//   - columns: per column, the outcome for its value, trimmed of
//     surrounding space: [Empty] for a blank one; name parts canonicalised
//     each as a name;
//   - values: the record's values as a signature holds them, in column
//     order: every non-blank value except those of Other columns and name
//     parts (Invalid ones included, with no form: they count as values
//     seen); then a Name assembled from the parts, "last first middle",
//     when the record has parts and no whole-name value; then, when the
//     first valid-form name and the first day-precision birth date both
//     canonicalise, one NameBirthDate entry for the pair, Valid when both
//     are Valid and CheckFailed otherwise.
//
// Both slices belong to the Normaliser and are valid until its next call.
func (n *Normaliser) Normalise(rec []string) (columns, values []Value) {
	n.buf = n.buf[:0]
	n.cspans, n.vspans = n.cspans[:0], n.vspans[:0]
	n.vals = n.vals[:0]
	// Canonical forms are appended into one buffer; slices into it are only
	// taken once all appends are done, so growth never leaves them stale.
	var parts [3]int // column of the last, first and middle name; 0 = none, else index+1
	hasName := false
	for i, c := range n.cols {
		v := ""
		if i < len(rec) {
			v = trimSpace(rec[i])
		}
		a := len(n.buf)
		st := Empty
		if v != "" {
			n.buf, st = Append(n.buf, c.Kind, v, Options{Region: n.region, DateOrder: c.DateOrder})
		}
		n.perCol[i] = Value{Kind: c.Kind, Status: st}
		n.cspans = append(n.cspans, span{a, len(n.buf)})
		switch {
		case st == Empty:
		case c.Kind == LastName:
			parts[0] = i + 1
		case c.Kind == FirstName:
			parts[1] = i + 1
		case c.Kind == MiddleName:
			parts[2] = i + 1
		case c.Kind == Other:
		default:
			hasName = hasName || c.Kind == Name
			n.vals = append(n.vals, Value{Kind: c.Kind, Status: st})
			n.vspans = append(n.vspans, span{a, len(n.buf)})
		}
	}
	if !hasName && parts != [3]int{} {
		n.parts = n.parts[:0]
		for _, p := range parts {
			if p == 0 {
				continue
			}
			if len(n.parts) > 0 {
				n.parts = append(n.parts, ' ')
			}
			n.parts = append(n.parts, trimSpace(rec[p-1])...)
		}
		a := len(n.buf)
		var st Status
		n.buf, st = AppendName(n.buf, string(n.parts))
		n.vals = append(n.vals, Value{Kind: Name, Status: st})
		n.vspans = append(n.vspans, span{a, len(n.buf)})
	}
	n.pair()
	for i := range n.perCol {
		n.perCol[i].Form = n.form(n.cspans[i], n.perCol[i].Status)
	}
	for i := range n.vals {
		n.vals[i].Form = n.form(n.vspans[i], n.vals[i].Status)
	}
	return n.perCol, n.vals
}

// pair appends the (name, birth_date) entry when the record has both. Only
// a full date identifies a person together with a name: a year of birth is
// shared by too many namesakes.
func (n *Normaliser) pair() {
	name, date := -1, -1
	for i, v := range n.vals {
		if !v.Status.Hashable() {
			continue
		}
		s := n.vspans[i]
		switch {
		case v.Kind == Name && name < 0:
			name = i
		case v.Kind == BirthDate && date < 0 && DatePrecision(n.buf[s.a:s.b]) == "day":
			date = i
		}
	}
	if name < 0 || date < 0 {
		return
	}
	ns, ds := n.vspans[name], n.vspans[date]
	a := len(n.buf)
	n.buf = AppendNameBirthDate(n.buf, n.buf[ns.a:ns.b], n.buf[ds.a:ds.b])
	st := Valid
	if n.vals[name].Status != Valid || n.vals[date].Status != Valid {
		st = CheckFailed
	}
	n.vals = append(n.vals, Value{Kind: NameBirthDate, Status: st})
	n.vspans = append(n.vspans, span{a, len(n.buf)})
}

func (n *Normaliser) form(s span, st Status) []byte {
	if !st.Hashable() {
		return nil
	}
	return n.buf[s.a:s.b:s.b]
}
