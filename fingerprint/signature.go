package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Signature describes one source dump compactly: per kind, counts, a
// distinct count, a Bloom filter of hashed canonical values and a scaled
// MinHash; and a pair filter of the strong identifiers found together in a
// record. It holds hashes, never values. A Signature is not safe for
// concurrent modification; concurrent reads are safe.
type Signature struct {
	Meta   Metadata
	Fields []*FieldSketch // sorted by Kind, at most one per kind
	// Pairs holds PairHash of every two strong identifiers of one record
	// (NameBirthDate counting as one identifier).
	Pairs *Filter
	// PairsDistinct estimates the number of distinct pairs.
	PairsDistinct *Distinct
	// file is the SHA-256 of the file bytes the signature was decoded
	// from (see FileSHA256); zero for one built or merged in memory.
	file [sha256.Size]byte
}

// FileSHA256 returns, in lower-case hex, the SHA-256 of the whole file the
// signature was read from by ReadFile or UnmarshalBinary, as sha256sum
// prints it: what a report cites as the signature it compared with. It is
// "" for a signature built or merged in memory and not read back.
func (s *Signature) FileSHA256() string {
	if s.file == [sha256.Size]byte{} {
		return ""
	}
	return hex.EncodeToString(s.file[:])
}

// Tool names this module's version as the producer of signatures and
// reports.
const Tool = "leakprov 0.1.0"

// Metadata says where a signature came from and every parameter an answer
// depends on. It is stored as JSON in the signature file; fields are only
// ever added.
type Metadata struct {
	Name     string `json:"name"`
	Snapshot string `json:"snapshot,omitempty"` // YYYY-MM-DD
	// Description says what the dump is, and URL where it is documented
	// (a breach notice, an article): `index --description` and `--url`.
	// Reports show both beside the source's share. They are free text from
	// whoever made the signature, printed only through internal/untrusted.
	Description string    `json:"description,omitempty"`
	URL         string    `json:"url,omitempty"`
	Created     time.Time `json:"created"`
	Tool        string    `json:"tool"`
	// CanonVersion is the canonicalisation rules' version (CanonVersion).
	CanonVersion int          `json:"canon_version"`
	HashMode     HashMode     `json:"hash_mode"`
	KeyID        string       `json:"key_id,omitempty"`
	Region       canon.Region `json:"region,omitempty"`
	Records      uint64       `json:"records"`
	Skipped      uint64       `json:"skipped"`
	FPR          float64      `json:"fpr"`
	// Capacity is the fixed filter capacity of a sharded build, or 0 when the
	// filters were sized from the distinct counts.
	Capacity     uint64  `json:"capacity,omitempty"`
	MinHashScale uint64  `json:"minhash_scale"`
	Inputs       []Input `json:"inputs"`
}

// Input describes one input file of a signature.
type Input struct {
	Path     string         `json:"path"`
	SHA256   string         `json:"sha256"`
	Records  uint64         `json:"records"`
	Skipped  uint64         `json:"skipped"`
	Format   string         `json:"format,omitempty"`
	Encoding string         `json:"encoding,omitempty"`
	Columns  []canon.Column `json:"columns"`
}

// FieldSketch summarises the values of one kind in a source.
type FieldSketch struct {
	Kind canon.Kind
	// Values counts non-empty values; Valid those that canonicalise and pass
	// every check; CheckFailed those hashed with a wrong check digit.
	Values, Valid, CheckFailed uint64
	Distinct                   *Distinct
	Filter                     *Filter
	// MinHash holds, sorted, every distinct hash below the scale threshold
	// (FracMinHash).
	MinHash []uint64
	// MinDate and MaxDate bound the canonical dates (birth_date only); a
	// keyed signature keeps their year only (YYYY).
	MinDate, MaxDate string
	// Frequent counts the records holding each value (strong kinds only;
	// nil in a signature of an older writer).
	Frequent *Frequent
}

// DistinctCount estimates the number of distinct hashed values.
func (f *FieldSketch) DistinctCount() uint64 {
	return f.Distinct.Estimate()
}

// Field returns the sketch of kind k, or nil.
func (s *Signature) Field(k canon.Kind) *FieldSketch {
	for _, f := range s.Fields {
		if f.Kind == k {
			return f
		}
	}
	return nil
}

// MinHashThreshold returns the largest hash kept by a FracMinHash of the
// given scale: hashes h with h <= MinHashThreshold(scale) are kept, about one
// in scale.
func MinHashThreshold(scale uint64) uint64 {
	if scale <= 1 {
		return ^uint64(0)
	}
	return ^uint64(0) / scale
}

// Errors a signature operation can return, checkable with errors.Is.
var (
	// ErrIncompatible: two signatures (or a signature and a sample's
	// settings) were made with different keys, hash modes, normaliser
	// versions or parameters, so their hashes cannot be compared.
	ErrIncompatible = errors.New("fingerprint: incompatible signatures")
)

// Compatible reports, as an error naming both, whether values hashed for a
// and b can be compared: the same hash mode and key, and normaliser
// versions that are equal or both from canon.CompatibleSince to
// canon.Version. Versions in that span canonicalise only some rare values
// differently (canon.Differences names them), which cannot match across
// them; every other value can. [Merge] asks for one normaliser version.
func Compatible(a, b *Metadata) error {
	switch {
	case a.CanonVersion != b.CanonVersion && !(canonComparable(a.CanonVersion) && canonComparable(b.CanonVersion)):
		return fmt.Errorf("%w: %s has normaliser version %d, %s has %d (this leakprov compares versions %d to %d)",
			ErrIncompatible, a.Name, a.CanonVersion, b.Name, b.CanonVersion, canon.CompatibleSince, canon.Version)
	case a.HashMode != b.HashMode:
		return fmt.Errorf("%w: %s is hashed %s, %s is hashed %s", ErrIncompatible, a.Name, a.HashMode, b.Name, b.HashMode)
	case a.KeyID != b.KeyID:
		return fmt.Errorf("%w: %s has key %s, %s has key %s", ErrIncompatible, a.Name, keyName(a.KeyID), b.Name, keyName(b.KeyID))
	}
	return nil
}

// canonComparable reports whether values of normaliser version v can be
// looked up among those of canon.Version.
func canonComparable(v int) bool {
	_, ok := canon.Differences(v)
	return ok
}

func keyName(id string) string {
	if id == "" {
		return "none (unkeyed)"
	}
	return id
}

// CompatibleHasher reports whether h hashes like the signature's maker and
// values canonicalised under canon.Version can be looked up in it: the
// signature's normaliser version must be canon.Version or an older one that
// canon.Differences describes (see [Compatible]).
func (s *Signature) CompatibleHasher(h *Hasher) error {
	m := Metadata{Name: "the sample's settings", CanonVersion: canon.Version, HashMode: h.Mode(), KeyID: h.KeyID()}
	return Compatible(&s.Meta, &m)
}

// Merge returns the union of signatures built apart (shards of one dump).
// They must be compatible, share the normaliser version (a merged filter
// of two versions would be neither), FPR (hash-function count) and MinHash
// scale; a filter whose size is a multiple of the other's is folded to it,
// which is exact. The result's name is a's, its region theirs ("" when they
// differ), its snapshot the latest of the two.
func Merge(a, b *Signature) (*Signature, error) {
	if err := Compatible(&a.Meta, &b.Meta); err != nil {
		return nil, err
	}
	if a.Meta.CanonVersion != b.Meta.CanonVersion {
		return nil, fmt.Errorf("%w: %s has normaliser version %d, %s has %d: shards merge only under one version; re-index the older",
			ErrIncompatible, a.Meta.Name, a.Meta.CanonVersion, b.Meta.Name, b.Meta.CanonVersion)
	}
	if a.Meta.FPR != b.Meta.FPR || a.Meta.MinHashScale != b.Meta.MinHashScale {
		return nil, fmt.Errorf("%w: %s has fpr %g and MinHash scale %d, %s has fpr %g and scale %d",
			ErrIncompatible, a.Meta.Name, a.Meta.FPR, a.Meta.MinHashScale, b.Meta.Name, b.Meta.FPR, b.Meta.MinHashScale)
	}
	// Inputs are compared by hash in a map: n + m, not n × m.
	held := make(map[string]bool, len(a.Meta.Inputs))
	for _, ia := range a.Meta.Inputs {
		if ia.SHA256 != "" {
			held[ia.SHA256] = true
		}
	}
	for _, ib := range b.Meta.Inputs {
		if held[ib.SHA256] {
			return nil, fmt.Errorf("%w: %s and %s both hold input %s (sha256 %s): merging it twice would double its counts",
				ErrIncompatible, a.Meta.Name, b.Meta.Name, ib.Path, ib.SHA256)
		}
	}
	out := &Signature{Meta: a.Meta}
	out.Meta.Inputs = append(slices.Clone(a.Meta.Inputs), b.Meta.Inputs...)
	out.Meta.Records += b.Meta.Records
	out.Meta.Skipped += b.Meta.Skipped
	out.Meta.Snapshot = max(a.Meta.Snapshot, b.Meta.Snapshot)
	if a.Meta.Region != b.Meta.Region {
		out.Meta.Region = "" // shards of several regions: none can be named
	}
	out.Meta.Created = a.Meta.Created
	if b.Meta.Created.After(out.Meta.Created) {
		out.Meta.Created = b.Meta.Created
	}
	if a.Meta.Capacity != b.Meta.Capacity {
		out.Meta.Capacity = 0
	}
	var err error
	if out.Pairs, err = unionFilters(a.Pairs, b.Pairs); err != nil {
		return nil, fmt.Errorf("merge %s and %s: pairs: %w", a.Meta.Name, b.Meta.Name, err)
	}
	if out.PairsDistinct, err = unionDistinct(a.PairsDistinct, b.PairsDistinct); err != nil {
		return nil, err
	}
	for k := canon.Kind(0); k < canon.KindCount; k++ {
		fa, fb := a.Field(k), b.Field(k)
		if fa == nil && fb == nil {
			continue
		}
		f, err := mergeField(fa, fb)
		if err != nil {
			return nil, fmt.Errorf("merge %s and %s: %s: %w", a.Meta.Name, b.Meta.Name, k, err)
		}
		out.Fields = append(out.Fields, f)
	}
	if err := checkMergedFill(out, a, b); err != nil {
		return nil, err
	}
	out.coarsenDates()
	// Sums of counts below 2^53 cannot wrap, but may pass 2^53, and the
	// inputs may pass the metadata cap: say so now, not when writing.
	if err := checkMeta(&out.Meta); err != nil {
		return nil, fmt.Errorf("%w: merge %s and %s: %v", ErrTooLarge, a.Meta.Name, b.Meta.Name, err)
	}
	for _, f := range out.Fields {
		if err := checkField(f, &out.Meta); err != nil {
			return nil, fmt.Errorf("%w: merge %s and %s: %s: %v", ErrTooLarge, a.Meta.Name, b.Meta.Name, f.Kind, err)
		}
	}
	return out, nil
}

// coarsenDates keeps only the year of a keyed signature's date bounds (the
// oldest and youngest birth dates of a dump): a keyed signature is made to
// be shared, and SECURITY.md promises no more than the year.
func (s *Signature) coarsenDates() {
	if s.Meta.HashMode == Unkeyed {
		return
	}
	for _, f := range s.Fields {
		f.MinDate, f.MaxDate = f.MinDate[:min(len(f.MinDate), 4)], f.MaxDate[:min(len(f.MaxDate), 4)]
	}
}

// MergeFiles reads the signature files of shards and merges them in order
// (see Merge); an error names the file it came from.
func MergeFiles(paths ...string) (*Signature, error) {
	if len(paths) == 0 {
		return nil, errors.New("fingerprint: no signatures to merge")
	}
	var acc *Signature
	for _, p := range paths {
		s, err := ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if acc == nil {
			acc = s
			continue
		}
		if acc, err = Merge(acc, s); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return acc, nil
}

// maxMergedFPR is how far above its target a merged filter's
// false-positive rate may rise before Merge refuses: folding a filter sized
// for many values into one sized for few is exact, but the result can be
// too full to answer.
const maxMergedFPR = 2

// checkMergedFill refuses a merge whose filters came out too full: shards
// sized apart (no common --capacity) folded into the smaller size, or a
// fixed capacity too small for the union.
func checkMergedFill(out, a, b *Signature) error {
	limit := maxMergedFPR * out.Meta.FPR
	check := func(what string, f *Filter) error {
		if f != nil && f.FalsePositiveRate() > limit {
			return fmt.Errorf("%w: merging %s and %s leaves the %s filter with false-positive rate %.2g, above %.2g: "+
				"build the shards with one --capacity large enough for the whole dump",
				ErrIncompatible, a.Meta.Name, b.Meta.Name, what, f.FalsePositiveRate(), limit)
		}
		return nil
	}
	if err := check("pairs", out.Pairs); err != nil {
		return err
	}
	for _, f := range out.Fields {
		if err := check(f.Kind.String(), f.Filter); err != nil {
			return err
		}
	}
	return nil
}

func mergeField(a, b *FieldSketch) (*FieldSketch, error) {
	if a == nil {
		a, b = b, a
	}
	f := &FieldSketch{Kind: a.Kind, Values: a.Values, Valid: a.Valid, CheckFailed: a.CheckFailed,
		MinDate: a.MinDate, MaxDate: a.MaxDate, MinHash: slices.Clone(a.MinHash)}
	var err error
	if b == nil {
		f.Distinct, f.Filter = a.Distinct.clone(), a.Filter
		if f.Filter != nil {
			f.Filter, err = a.Filter.Fold(a.Filter.Bits())
		}
		if a.Frequent != nil {
			f.Frequent = a.Frequent.fold(a.Frequent.bits)
		}
		return f, err
	}
	f.Frequent = unionFrequent(a.Frequent, b.Frequent)
	f.Values += b.Values
	f.Valid += b.Valid
	f.CheckFailed += b.CheckFailed
	f.MinDate = minDate(a.MinDate, b.MinDate)
	f.MaxDate = max(a.MaxDate, b.MaxDate)
	f.MinHash = unionSorted(a.MinHash, b.MinHash)
	if f.Distinct, err = unionDistinct(a.Distinct, b.Distinct); err != nil {
		return nil, err
	}
	f.Filter, err = unionFilters(a.Filter, b.Filter)
	return f, err
}

func minDate(a, b string) string {
	if a == "" || (b != "" && b < a) {
		return b
	}
	return a
}

func unionFilters(a, b *Filter) (*Filter, error) {
	if a != nil && b != nil && a.Blocked() && b.Blocked() {
		x, y := max(a.blocks, b.blocks), min(a.blocks, b.blocks)
		if x%y != 0 {
			return nil, fmt.Errorf("%w: filters of %d and %d blocks do not fold into one: build the shards with one --capacity",
				ErrIncompatible, a.blocks, b.blocks)
		}
	}
	switch {
	case a == nil && b == nil:
		return nil, nil
	case a == nil:
		return b.Fold(b.Bits())
	case b == nil:
		return a.Fold(a.Bits())
	}
	return a.Union(b)
}

// unionSorted merges two sorted, duplicate-free slices.
func unionSorted(a, b []uint64) []uint64 {
	out := make([]uint64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}
