package fingerprint

import "github.com/leakprov/leakprov/fingerprint/canon"

// Field is one typed value of a record, as a reader found it.
type Field struct {
	Kind  canon.Kind
	Value string
	// DateOrder reads an ambiguous birth date; it is decided per column.
	DateOrder canon.DateOrder
}

// Hashed is one field of a record after canonicalisation and hashing.
type Hashed struct {
	Kind   canon.Kind
	Status canon.Status
	// Hash is the value's hash; meaningful when Status.Hashable().
	Hash uint64
	// Canonical is the canonical form. It aliases the Encoder's buffer and is
	// valid until the Encoder's next call.
	Canonical []byte
}

// Encoder canonicalises and hashes records. The same Encoder settings on
// both sides (a source being indexed, a sample being scored) make the same
// fact hash the same. An Encoder reuses its buffers and is not safe for
// concurrent use; make one per goroutine.
type Encoder struct {
	hasher *Hasher
	region canon.Region
	buf    []byte
}

// NewEncoder returns an Encoder hashing with h and resolving national
// formats for region.
func NewEncoder(h *Hasher, region canon.Region) *Encoder {
	return &Encoder{hasher: h, region: region, buf: make([]byte, 0, 1024)}
}

// Hasher returns the Encoder's hasher.
func (e *Encoder) Hasher() *Hasher { return e.hasher }

// Region returns the Encoder's region.
func (e *Encoder) Region() canon.Region { return e.region }

// Encode appends the hashed form of every field in fields to dst, and, when
// the record has a name and a full birth date (day precision) that both
// canonicalise, one more entry of kind NameBirthDate for the pair. Entries with Status Invalid are
// included (they count as values seen) with no hash.
func (e *Encoder) Encode(dst []Hashed, fields []Field) []Hashed {
	e.buf = e.buf[:0]
	// Canonical forms are appended into one buffer; slices into it are only
	// taken once all appends are done, so growth never leaves them stale.
	type span struct{ a, b int }
	start := len(dst)
	spans := make([]span, 0, 8)
	name, date := -1, -1
	for _, f := range fields {
		a := len(e.buf)
		var st canon.Status
		e.buf, st = canon.Append(e.buf, f.Kind, f.Value, canon.Options{Region: e.region, DateOrder: f.DateOrder})
		k := f.Kind
		if k.IsNamePart() {
			k = canon.Name
		}
		h := Hashed{Kind: k, Status: st}
		if st.Hashable() {
			h.Hash = e.hasher.Sum64(k, e.buf[a:])
			if k == canon.Name && name < 0 {
				name = len(dst)
			}
			// Only a full date identifies a person together with a name:
			// a year of birth is shared by too many namesakes.
			if k == canon.BirthDate && date < 0 && canon.DatePrecision(e.buf[a:]) == "day" {
				date = len(dst)
			}
		}
		dst = append(dst, h)
		spans = append(spans, span{a, len(e.buf)})
	}
	if name >= 0 && date >= 0 {
		ns, ds := spans[name-start], spans[date-start]
		a := len(e.buf)
		e.buf = canon.AppendNameBirthDate(e.buf, e.buf[ns.a:ns.b], e.buf[ds.a:ds.b])
		st := canon.Valid
		if dst[name].Status != canon.Valid || dst[date].Status != canon.Valid {
			st = canon.CheckFailed
		}
		dst = append(dst, Hashed{Kind: canon.NameBirthDate, Status: st, Hash: e.hasher.Sum64(canon.NameBirthDate, e.buf[a:])})
		spans = append(spans, span{a, len(e.buf)})
	}
	for i := start; i < len(dst); i++ {
		s := spans[i-start]
		dst[i].Canonical = e.buf[s.a:s.b:s.b]
	}
	return dst
}
