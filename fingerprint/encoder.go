package fingerprint

import "github.com/leakprov/leakprov/fingerprint/canon"

// Hashed is one value of a record after canonicalisation and hashing.
type Hashed struct {
	canon.Value
	// Hash is the hash of Form; meaningful when Status.Hashable().
	Hash uint64
}

// Encoder canonicalises and hashes the records of one dump, each value
// once (see [canon.Normaliser]). The same Encoder settings on both sides (a
// source being indexed, a sample being scored) make the same fact hash the
// same. An Encoder reuses its buffers and is not safe for concurrent use;
// make one per goroutine.
type Encoder struct {
	hasher *Hasher
	norm   *canon.Normaliser
	cols   []canon.Value
}

// NewEncoder returns an Encoder of records whose fields are cols, hashing
// with h and resolving national formats for region.
func NewEncoder(h *Hasher, region canon.Region, cols []canon.Column) *Encoder {
	return &Encoder{hasher: h, norm: canon.NewNormaliser(region, cols)}
}

// Region returns the Encoder's region.
func (e *Encoder) Region() canon.Region { return e.norm.Region() }

// Encode appends to dst the hashed form of every value rec holds as a
// signature holds it ([canon.Normaliser.Normalise]: name parts assembled,
// Other columns left out, and the record's name+birth_date pair). Entries
// with Status Invalid are included (they count as values seen) with no
// hash. Their forms alias the Encoder's buffer and are valid until its
// next call.
func (e *Encoder) Encode(dst []Hashed, rec []string) []Hashed {
	var vals []canon.Value
	e.cols, vals = e.norm.Normalise(rec)
	for _, v := range vals {
		h := Hashed{Value: v}
		if v.Status.Hashable() {
			h.Hash = e.hasher.Sum64(v.Kind, v.Form)
		}
		dst = append(dst, h)
	}
	return dst
}

// Columns returns, per column, the outcome of canonicalising the value of
// the record last encoded ([canon.Empty] for a blank one). The slice and
// its forms are valid until the Encoder's next call.
func (e *Encoder) Columns() []canon.Value { return e.cols }
