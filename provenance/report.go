package provenance

import (
	"errors"
	"fmt"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// ReportVersion is the version of the report's JSON contract. Fields are
// only ever added under one version; renaming or dropping one needs a new
// version.
const ReportVersion = 1

// Verdict is the answer for a sample as a whole. Its string forms are part
// of the CLI and JSON contract.
type Verdict string

// Verdicts, from the explained share and the [Thresholds].
const (
	// Recycled: known dumps explain at least Thresholds.RecycledAt.
	Recycled Verdict = "recycled"
	// New: known dumps explain at most Thresholds.NewAt.
	New Verdict = "new"
	// Mixed: in between.
	Mixed Verdict = "mixed"
	// Insufficient: fewer than Thresholds.MinIdentified records carry a
	// strong identifier.
	Insufficient Verdict = "insufficient"
)

// Verdicts lists every verdict.
var Verdicts = []Verdict{Recycled, New, Mixed, Insufficient}

// ErrVerdict is returned by [ParseVerdict] for a word that is no verdict.
var ErrVerdict = errors.New("provenance: unknown verdict")

// ParseVerdict returns the verdict named s.
func ParseVerdict(s string) (Verdict, error) {
	for _, v := range Verdicts {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("%w %q: want recycled, new, mixed or insufficient", ErrVerdict, s)
}

// Report is the answer for one sample: which sources explain it and how
// much, what is left, and the claim and fabrication evidence. Its JSON form
// (report_version 1) is the CLI's stable contract.
type Report struct {
	ReportVersion int    `json:"report_version"`
	Tool          string `json:"tool"`
	// ToolVersion is the version of this module in the program that made
	// the report, from its build information ("v1.2.0"; "(devel)" when
	// built from a checkout), and ToolCommit the VCS revision the program
	// was built from, when the build recorded it ("+dirty" when modified).
	ToolVersion string `json:"tool_version,omitempty"`
	ToolCommit  string `json:"tool_commit,omitempty"`
	// Created is when the report was made (Options.Created: UTC, to the
	// second).
	Created time.Time  `json:"created"`
	Sample  SampleInfo `json:"sample"`
	Verdict Verdict    `json:"verdict"`
	// VerdictCertain is false when the 95% interval of Explained straddles
	// a threshold (Thresholds.RecycledAt or NewAt), so that shares within
	// it would give another verdict ([Thresholds.VerdictsWithin]); an
	// evidence sentence then names the interval and the threshold. An
	// Insufficient verdict, decided by a count, is certain.
	VerdictCertain bool           `json:"verdict_certain"`
	Explained      Interval       `json:"explained"`
	Residual       Interval       `json:"residual"`
	Sources        []SourceResult `json:"sources"`
	// Ties lists the tie groups: significant sources whose matched record
	// sets are the same but for false positives (see [SourceResult]'s
	// TieGroup), each by name in the order of Sources; empty when there
	// are none.
	Ties        [][]string   `json:"ties"`
	NovelFields []canon.Kind `json:"novel_fields"`
	// Claim is set when a schema of the accused system was given.
	Claim       *Claim       `json:"claim,omitempty"`
	Fabrication Fabrication  `json:"fabrication"`
	Time        TimeEvidence `json:"time"`
	Thresholds  Thresholds   `json:"thresholds"`
	Evidence    []string     `json:"evidence"`
}

// SampleInfo describes the scored sample.
type SampleInfo struct {
	Path string `json:"path"`
	// Records is the number of records scored; Identified those carrying at
	// least one strong identifier. Distinct counts the identified records
	// once each, the denominator of every record share: Duplicates are the
	// identified records that carry exactly the identifiers of an earlier
	// one (Identified = Distinct + Duplicates), DuplicateShare their share
	// of Identified.
	Records        int     `json:"records"`
	Identified     int     `json:"identified"`
	Distinct       int     `json:"distinct"`
	Duplicates     int     `json:"duplicates"`
	DuplicateShare float64 `json:"duplicate_share"`
	// FrequentValues are the identifiers held by unusually many of the
	// sample's records (placeholders, shared values), left out of the
	// matching, most held first (at most 20); FrequentOnly counts the
	// records that carry no other identifier, which are not identified.
	FrequentValues []FrequentValue `json:"frequent_values"`
	FrequentOnly   int             `json:"frequent_only"`
	Skipped        int64           `json:"skipped"`
	Region         string          `json:"region,omitempty"`
	Format         string          `json:"format,omitempty"`
	Encoding       string          `json:"encoding,omitempty"`
	Columns        []ColumnInfo    `json:"columns"`
	// Sampling is set when a uniform sample of the input was scored.
	Sampling *Sampling `json:"sampling,omitempty"`
	// Files describes each member of the sample: a file, an archive
	// member, a table of a SQL dump or a sheet, in the order read.
	Files []FileInfo `json:"files"`
}

// FrequentValue is a value held by unusually many of the sample's
// records: its kind, how many distinct records hold it and their share of
// the sample's distinct records. The value itself is not reported.
type FrequentValue struct {
	Kind    canon.Kind `json:"kind"`
	Records int        `json:"records"`
	Share   float64    `json:"share"`
	// Value is the value's canonical form, with Options.ShowValues only
	// (see Report.NameFrequentValues); "" otherwise.
	Value string `json:"value,omitempty"`
	hash  uint64 // its hash, to find it again
}

// FileInfo describes one member of the sample as it was read.
type FileInfo struct {
	Path        string `json:"path"`
	Format      string `json:"format"`
	Encoding    string `json:"encoding"`
	Compression string `json:"compression,omitempty"`
	// SHA256 is the SHA-256 of the member's bytes as read, when known.
	SHA256  string         `json:"sha256,omitempty"`
	Records int64          `json:"records"`
	Skipped int64          `json:"skipped"`
	Columns []canon.Column `json:"columns"`
}

// Sampling records how a sample was drawn, so it can be drawn again.
type Sampling struct {
	Size  int    `json:"size"`
	Total int64  `json:"total"`
	Seed  uint64 `json:"seed"`
}

// ColumnInfo describes one column of the sample: its name, kind and the
// share of its non-empty values that are valid.
type ColumnInfo struct {
	canon.Column
	Valid float64 `json:"valid"`
}

// SourceResult is how much of the sample one source explains.
type SourceResult struct {
	Name     string `json:"name"`
	Snapshot string `json:"snapshot"`
	Path     string `json:"path,omitempty"`
	// Region is the region the source was indexed under.
	Region string `json:"region,omitempty"`
	// Description and URL are what the source's signature says of it
	// (index --description, --url): free text from whoever made it.
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	// DataClasses lists the kinds of data the source holds (values of
	// them were indexed), as breach catalogues list a breach's data
	// classes, in kind order.
	DataClasses []canon.Kind `json:"data_classes"`
	// SignatureSHA256 is the SHA-256 of the source's signature file as the
	// catalog loaded it ("" for a signature added in memory);
	// SignatureCreated when the signature was made; HashMode how it hashes
	// values ("xxhash64-unkeyed", "siphash24-keyed") and KeyID the public
	// ID of its key ("" when unkeyed). Together they name exactly what the
	// sample was compared with.
	SignatureSHA256  string    `json:"signature_sha256,omitempty"`
	SignatureCreated time.Time `json:"signature_created,omitzero"`
	HashMode         string    `json:"hash_mode,omitempty"`
	KeyID            string    `json:"key_id,omitempty"`
	// CanonVersion is the normaliser version the source's signature was
	// built with (canon.Version, or an older one whose differences
	// canon.Differences names and the evidence states); 0 when unknown.
	CanonVersion int `json:"canon_version,omitempty"`
	// Records: share of identified records matching the source on any strong
	// identifier (or name+birth_date), corrected as Explained is, for
	// false positives and namesakes, its low bound for the chance of
	// made-up values too (see docs/method.md). Joint: share matching on two
	// identifiers together, the same record. Exclusive: share explained by
	// this source and by no source picked before it (greedy cover); for a
	// source in a tie group, the share the group explains and no source
	// picked before it, the same on every member (so the exclusive shares
	// of a report add up to the explained share when each tie group is
	// counted once).
	Records   Interval                   `json:"records"`
	Joint     Interval                   `json:"joint"`
	Exclusive Interval                   `json:"exclusive"`
	Fields    map[canon.Kind]FieldResult `json:"fields"`
	// TieGroup is, for a significant source whose matched records are
	// the same as another's (Jaccard similarity of the two sets at least
	// 0.95 once the false and chance matches expected of each are allowed
	// for), the number of its group in Report.Ties, counted from 1; 0 (left
	// out) for a source in no tie. The sample cannot tell the members of a
	// group apart: the exclusive share is the group's.
	TieGroup int `json:"tie_group,omitempty"`
	// NestedIn names the significant sources, in the order of
	// Report.Sources, that match at least 95% of the records this one
	// matches (false and chance matches allowed for) and more records in
	// all, when this one is in no tie with them: a source nested in
	// another explains little or nothing alone, which is no sign that it
	// is unrelated to the sample.
	NestedIn []string `json:"nested_in,omitempty"`
	// JointTestable counts the identified records with two identifiers of
	// kinds the source holds: the records a joint match could be found in.
	JointTestable int `json:"joint_testable"`
	// SourceRecords is the source dump's record count.
	SourceRecords uint64 `json:"source_records"`
	// FrequentOnly counts the identified records whose identifiers found in
	// the source are all values many of its records hold (placeholders,
	// shared numbers: see Report.Sample.FrequentValues for the rule, here
	// on the source's records): they are not counted as matching it.
	FrequentOnly int `json:"frequent_only,omitempty"`
	// ExpectedByChance is the number of matching records that filter false
	// positives and chance collisions (the chance model) would give if the
	// sample had nothing to do with the source.
	ExpectedByChance float64 `json:"expected_by_chance"`
	// Significant is true when the matching records are too many to be
	// false positives or chance (Poisson tail below 0.001): only then is the
	// overlap evidence.
	Significant bool `json:"significant"`
}

// FieldResult is the containment of the sample's values of one kind in a
// source, corrected for the filter's false-positive rate.
type FieldResult struct {
	Interval
	// Chance is the hit rate a source of this size would get by chance.
	Chance float64 `json:"chance"`
	// Values and Hits are the raw counts behind the estimate.
	Values int `json:"values"`
	Hits   int `json:"hits"`
	// Held reports whether the source holds this kind at all.
	Held bool `json:"held"`
	// AtChance is true when the match rate is no higher than chance: no
	// evidence either way.
	AtChance bool `json:"at_chance"`
}

// Claim holds the findings about the accused system.
type Claim struct {
	Schema string `json:"schema"`
	System string `json:"system,omitempty"`
	// Launched is when the system opened to users, from the schema.
	Launched string `json:"launched,omitempty"`
	// BeforeLaunch is, when the schema gives a launch date and dated
	// sources explain part of the sample, the share of those explained
	// records that a significant source whose snapshot predates the launch
	// also matches: data that existed before the system did. The
	// predates-launch finding fails when it is over half.
	BeforeLaunch *Interval `json:"before_launch,omitempty"`
	Consistent   bool      `json:"consistent"`
	Findings     []Finding `json:"findings"`
}

// Finding is one claim check.
type Finding struct {
	Check  string `json:"check"`
	Passed bool   `json:"passed"`
	Detail string `json:"detail"`
}

// Fabrication holds the checks of the sample's values that real data
// passes and fabricated data tends to fail: check digits, the facts a
// national ID encodes against the record's, how birth dates and IDs are
// spread, and values shared by different people (see the package
// documentation for the method).
type Fabrication struct {
	// Suspected is true when a check of weight "strong" is flagged, or
	// checks of weight "weak" of two kinds or more are.
	Suspected bool               `json:"suspected"`
	Checks    []FabricationCheck `json:"checks"`
}

// FabricationCheck is one check over the sample's values of one kind.
type FabricationCheck struct {
	Kind canon.Kind `json:"kind"`
	// Check names the test: "check-digit", "format",
	// "embedded-birth-date", "embedded-date-plausible", "region-code",
	// "sequential", "one-name", "day-spread", "age" or "1-january" (the
	// package documentation says what each counts).
	Check string `json:"check"`
	// Valid is Passed / Values.
	Valid  float64 `json:"valid"`
	Values int     `json:"values"`
	Passed int     `json:"passed"`
	// Flagged is true when the check fails beyond what real data shows: by
	// the check's own rule, at 95% confidence and on at least 30 values.
	Flagged bool `json:"flagged"`
	// Weight says how a flagged check counts towards Fabrication.Suspected:
	// "strong" alone, "weak" only with a weak one of another kind; ""
	// never (the check only informs).
	Weight string `json:"weight,omitempty"`
	// Region and Scheme are the rules the check applied: the region the
	// values were read under and its national ID scheme ("UA" and
	// "rnokpp"; "any" when the region has no scheme of its own and each
	// value was taken under whichever scheme it fits), "luhn" for cards.
	Region canon.Region `json:"region,omitempty"`
	Scheme string       `json:"scheme,omitempty"`
	// Malformed counts the values with no form under Scheme at all (a
	// wrong length, letters): another region's IDs or another kind of
	// number, not counted as failed check digits when Flagged is decided.
	Malformed int `json:"malformed,omitempty"`
	// Alternative, on a check-digit check of national IDs, is the other
	// region whose rules pass the most of the values that fail Region's,
	// when they pass at least half of them: those IDs may be that region's,
	// read under the wrong one. When they pass 90% the check is not
	// flagged.
	Alternative *FabricationAlternative `json:"alternative,omitempty"`
	// Expected is, for a check of how values are spread, the share that
	// would pass in real data (day-spread: the share of dates on the
	// 29th-31st; 1-january: the share not on 1 January).
	Expected float64 `json:"expected,omitempty"`
	// Sampling is the share of the distinct values a check that keeps
	// per-value state (sequential, one-name) kept, chosen by hash so that
	// its memory stays bounded; absent when it kept every value.
	Sampling float64 `json:"sampling,omitempty"`
}

// FabricationAlternative is the share of the values failing a check-digit
// check that pass under another region's rules.
type FabricationAlternative struct {
	Region canon.Region `json:"region"`
	Scheme string       `json:"scheme"`
	Valid  float64      `json:"valid"`
	Passed int          `json:"passed"`
}

// TimeEvidence compares the sample's dates with the sources' snapshots.
type TimeEvidence struct {
	// Newest and Oldest give, per date kind, the sample's extreme values:
	// YYYY-MM (or YYYY for a year-only date) unless Options.ShowValues.
	Newest map[canon.Kind]string `json:"newest"`
	Oldest map[canon.Kind]string `json:"oldest"`
	// Horizon is the newest snapshot among the sources that explain part of
	// the sample: the recycled data is no fresher than this.
	Horizon string            `json:"horizon,omitempty"`
	Sources []SourceFreshness `json:"sources"`
	// BySnapshot weighs the horizon: per snapshot date of the significant
	// sources, oldest first, the share of the explained records that a
	// dump taken on or before that date matches. The last entry's date is
	// the horizon, and its share 1; an early date with a share near 1 says
	// the recycled part is much older than the horizon.
	BySnapshot []SnapshotShare `json:"by_snapshot"`
	// DatedRecords counts the explained records that a significant source
	// with a snapshot date matches: the denominator of BySnapshot's shares
	// (and of Claim.BeforeLaunch). Records explained only by undated
	// sources are left out of both.
	DatedRecords int `json:"dated_records"`
}

// SnapshotShare is the share of the explained records already in dumps
// taken on or before one date.
type SnapshotShare struct {
	Snapshot string `json:"snapshot"`
	// Share is of TimeEvidence.DatedRecords, corrected for the false and
	// chance matches the sources of that date or earlier are expected to
	// give, with its 95% interval; Records is the count it is made from.
	Share   Interval `json:"share"`
	Records int      `json:"records"`
}

// SourceFreshness counts sample records dated after a source's snapshot:
// records that cannot have come from it.
type SourceFreshness struct {
	Name          string `json:"name"`
	Snapshot      string `json:"snapshot"`
	AfterSnapshot int    `json:"after_snapshot"`
}

// Thresholds turn the explained share into a verdict.
type Thresholds struct {
	// RecycledAt: explained ≥ this is "recycled" (default 0.90).
	RecycledAt float64 `json:"recycled_at"`
	// NewAt: explained ≤ this is "new" (default 0.10).
	NewAt float64 `json:"new_at"`
	// MinIdentified: fewer identified records than this is "insufficient"
	// (default 30).
	MinIdentified int `json:"min_identified"`
	// NovelBelow: a strong kind whose containment is below this in every
	// source is novel (default 0.10).
	NovelBelow float64 `json:"novel_below"`
}

// DefaultThresholds returns the thresholds of shared/DESIGN.md.
func DefaultThresholds() Thresholds {
	return Thresholds{RecycledAt: 0.90, NewAt: 0.10, MinIdentified: 30, NovelBelow: 0.10}
}

// withDefaults fills each zero field with its default, so that a caller
// may set only the thresholds it cares about.
func (t Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds()
	if t.RecycledAt == 0 {
		t.RecycledAt = d.RecycledAt
	}
	if t.NewAt == 0 {
		t.NewAt = d.NewAt
	}
	if t.MinIdentified == 0 {
		t.MinIdentified = d.MinIdentified
	}
	if t.NovelBelow == 0 {
		t.NovelBelow = d.NovelBelow
	}
	return t
}

// ErrThresholds is wrapped by Validate's errors.
var ErrThresholds = errors.New("provenance: bad thresholds")

// Validate checks that the thresholds are shares in order:
// 0 ≤ NewAt < RecycledAt ≤ 1, 0 < NovelBelow ≤ 1, MinIdentified ≥ 1.
func (t Thresholds) Validate() error {
	switch {
	case !(0 <= t.NewAt && t.NewAt < t.RecycledAt && t.RecycledAt <= 1):
		return fmt.Errorf("%w: want 0 ≤ new-at (%g) < recycled-at (%g) ≤ 1 (shares, not percentages)", ErrThresholds, t.NewAt, t.RecycledAt)
	case !(0 < t.NovelBelow && t.NovelBelow <= 1):
		return fmt.Errorf("%w: novel-below %g is not a share in (0, 1]", ErrThresholds, t.NovelBelow)
	case t.MinIdentified < 1:
		return fmt.Errorf("%w: min-identified %d is below 1", ErrThresholds, t.MinIdentified)
	}
	return nil
}
