package provenance

// Scoring a sample in parts, read on other goroutines, processes or
// machines: ReadPart for each part, ScoreTallies once for all.

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
)

// ErrTally is wrapped by the errors of tallies that cannot be scored
// together: a bad encoding, two of one part, tallies of other columns.
var ErrTally = errors.New("provenance: tallies do not make one sample")

// Tally is what reading one part of a sample gives: every record's strong
// identifiers, and the statistics of its columns, dates, fabrication
// checks and schema conformance; all that Score learns of a record before
// the sample's frequent values and duplicates are known. The tallies of a
// sample's parts, read apart (ReadPart, on as many machines as there are
// parts), are scored together by ScoreTallies into the report Score makes
// of the whole sample. It costs about 10 bytes per identifier, and holds
// in the clear up to 2,048 values of each kind decoys are made of (phones,
// IDs, documents, names with birth dates; see decoys.go) that a worker
// read: keep tallies where the sample itself may be.
//
// A Tally is not safe for concurrent use. MarshalBinary and
// UnmarshalBinary carry it between processes.
type Tally struct {
	part    int
	cols    []canon.Column
	region  canon.Region
	info    sampleset.Info
	members []sampleset.MemberInfo
	state   []byte // the scorer's read state (appendReadState)
}

// ReadPart reads recs, part number part (from 0, in the sample's order) of
// a sample laid out on the sample's columns (sampleset.Joined.Within), and
// returns its tally. o.Region must be the whole sample's (SampleRegion of
// the Joined of every part), o.Hasher and o.Schema those ScoreTallies will
// be given; o.Rows is refused (see ReadPartRows).
func ReadPart(ctx context.Context, cat *Catalog, recs sampleset.Records, part int, o Options) (*Tally, error) {
	return readPart(ctx, cat, recs, part, o, false)
}

// ReadPartRows is ReadPart for a score that attributes every record
// (ScoreTalliesRows): the tally also keeps each record's place, and
// costs about 4 bytes more per record. It reads on one goroutine, so that
// the records keep their order.
func ReadPartRows(ctx context.Context, cat *Catalog, recs sampleset.Records, part int, o Options) (*Tally, error) {
	return readPart(ctx, cat, recs, part, o, true)
}

func readPart(ctx context.Context, cat *Catalog, recs sampleset.Records, part int, o Options, rows bool) (*Tally, error) {
	if o.Rows != nil {
		return nil, fmt.Errorf("%w: Options.Rows is Score's: ScoreTalliesRows gives each part's rows", ErrTally)
	}
	if o.Region == "" {
		return nil, fmt.Errorf("%w: the sample's region is not set", ErrTally)
	}
	sc, h, cols, err := prepare(cat, recs, o)
	if err != nil {
		return nil, err
	}
	tallies, err := readAll(ctx, sc, h, cols, recs, max(o.Workers, 1), rows)
	if err != nil {
		return nil, err
	}
	t := &Tally{part: part, cols: cols, region: sc.region, info: recs.Info()}
	if l, ok := recs.(interface{ Members() []sampleset.MemberInfo }); ok {
		t.members = l.Members()
	}
	// Each worker's state, length-prefixed: decoded, they are the tallies
	// ScoreTallies matches, as Score's workers' would be.
	for _, s := range tallies {
		b, err := s.appendReadState(nil)
		if err != nil {
			return nil, err
		}
		t.state = binary.AppendUvarint(t.state, uint64(len(b)))
		t.state = append(t.state, b...)
	}
	return t, nil
}

// ScoreTallies scores the tallies of every part of a sample, in any
// order, as Score scores the whole sample: the same report, to the byte,
// for the same catalog and options. The sample's Info and files are the
// parts' joined in part order, as a sampleset.Joined of every part gives
// them.
func ScoreTallies(ctx context.Context, cat *Catalog, tallies []*Tally, o Options) (*Report, error) {
	r, _, err := scoreTallies(ctx, cat, tallies, o, false)
	return r, err
}

// ScoreTalliesRows is ScoreTallies for tallies ReadPartRows read: it also
// returns each part's rows, in part order, the lines Score would write to
// Options.Rows for the part's records.
func ScoreTalliesRows(ctx context.Context, cat *Catalog, tallies []*Tally, o Options) (*Report, []*PartRows, error) {
	return scoreTallies(ctx, cat, tallies, o, true)
}

func scoreTallies(ctx context.Context, cat *Catalog, tallies []*Tally, o Options, rows bool) (*Report, []*PartRows, error) {
	if o.Rows != nil {
		return nil, nil, fmt.Errorf("%w: Options.Rows is Score's: ScoreTalliesRows gives each part's rows", ErrTally)
	}
	if len(tallies) == 0 {
		return nil, nil, fmt.Errorf("%w: no tallies", ErrTally)
	}
	if len(cat.Sources) == 0 {
		return nil, nil, ErrEmptyCatalog
	}
	o.Thresholds = o.Thresholds.withDefaults()
	if err := o.Thresholds.Validate(); err != nil {
		return nil, nil, err
	}
	ts := slices.Clone(tallies)
	slices.SortFunc(ts, func(a, b *Tally) int { return cmp.Compare(a.part, b.part) })
	first := ts[0]
	for i, t := range ts {
		switch {
		case t.part != i:
			return nil, nil, fmt.Errorf("%w: part %d is missing or given twice", ErrTally, i)
		case !slices.Equal(t.cols, first.cols):
			return nil, nil, fmt.Errorf("%w: part %d is laid out on other columns than part 0", ErrTally, t.part)
		case t.region != first.region:
			return nil, nil, fmt.Errorf("%w: part %d was read under region %q, part 0 under %q", ErrTally, t.part, t.region, first.region)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	o.Region = first.region
	h := o.Hasher
	if h == nil {
		var err error
		if h, err = fingerprint.NewHasher(nil); err != nil {
			return nil, nil, err
		}
	}
	if err := cat.CheckHasher(h); err != nil {
		return nil, nil, err
	}
	sc, err := newScoring(cat, first.region, o.Schema, h)
	if err != nil {
		return nil, nil, err
	}
	info := first.info
	info.Records, info.Skipped, info.ExtraKeys, info.ExtraKeyNames = 0, 0, 0, nil
	var members []sampleset.MemberInfo
	var scorers []*scorer
	partScorer := make([]*scorer, len(ts)) // with rows: each part's one scorer
	for _, t := range ts {
		from := len(scorers)
		for b := t.state; len(b) > 0; {
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)-k) {
				return nil, nil, fmt.Errorf("%w: part %d: a bad state length", ErrTally, t.part)
			}
			s := newScorer(sc, len(first.cols))
			if err := s.decodeReadState(b[k : k+int(n)]); err != nil {
				return nil, nil, fmt.Errorf("%w: part %d: %w", ErrTally, t.part, err)
			}
			scorers = append(scorers, s)
			b = b[k+int(n):]
		}
		if rows {
			if len(scorers) != from+1 || scorers[from].rows == nil {
				return nil, nil, fmt.Errorf("%w: part %d was not read with rows (ReadPartRows)", ErrTally, t.part)
			}
			partScorer[t.part] = scorers[from]
		}
		info.Add(t.info)
		members = append(members, t.members...)
	}
	if len(scorers) == 0 {
		return nil, nil, fmt.Errorf("%w: no state in the tallies", ErrTally)
	}
	s := matchAll(scorers)
	r := s.report(info, first.cols, nil, o)
	if len(members) == 0 {
		members = []sampleset.MemberInfo{{Path: o.SamplePath, Columns: first.cols, Info: info}}
	}
	r.Sample.Files = fileInfos(members, s.region)
	if !rows {
		return r, nil, nil
	}
	out := make([]*PartRows, len(ts))
	off := 0
	for i, t := range ts {
		paths := make([]string, max(len(t.members), 1))
		if len(t.members) == 0 {
			paths[0] = o.SamplePath
		}
		for m := range t.members {
			paths[m] = r.Sample.Files[off+m].Path
		}
		off += len(t.members)
		var err error
		if out[i], err = s.partRows(i, partScorer[i].rows, paths); err != nil {
			return nil, nil, fmt.Errorf("%w: part %d: %w", ErrTally, i, err)
		}
	}
	return r, out, nil
}

// tallyVersion is the version of a Tally's encoding.
const tallyVersion = 1

// tallyHead is the part of a Tally's encoding before its state: JSON.
type tallyHead struct {
	Version int                    `json:"v"`
	Part    int                    `json:"part"`
	Columns []canon.Column         `json:"columns"`
	Orders  []int                  `json:"date_orders"`
	Region  canon.Region           `json:"region"`
	Info    sampleset.Info         `json:"info"`
	Members []sampleset.MemberInfo `json:"members"`
}

// MarshalBinary encodes the tally: the length of a JSON head, the head,
// then the read state.
func (t *Tally) MarshalBinary() ([]byte, error) {
	h := tallyHead{Version: tallyVersion, Part: t.part, Columns: t.cols, Orders: make([]int, len(t.cols)),
		Region: t.region, Info: t.info, Members: t.members}
	for i, c := range t.cols {
		h.Orders[i] = int(c.DateOrder)
	}
	head, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(make([]byte, 0, len(head)+len(t.state)+10), uint64(len(head)))
	return append(append(out, head...), t.state...), nil
}

// UnmarshalBinary decodes a tally MarshalBinary encoded, leaving the
// receiver untouched on an error. The state itself is checked when
// ScoreTallies decodes it.
func (t *Tally) UnmarshalBinary(data []byte) error {
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)-k) {
		return fmt.Errorf("%w: bad head length", ErrTally)
	}
	var h tallyHead
	if err := json.Unmarshal(data[k:k+int(n)], &h); err != nil {
		return fmt.Errorf("%w: %v", ErrTally, err)
	}
	switch {
	case h.Version != tallyVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrTally, h.Version, tallyVersion)
	case h.Part < 0 || len(h.Columns) == 0 || len(h.Orders) != len(h.Columns):
		return fmt.Errorf("%w: part %d, %d columns, %d date orders", ErrTally, h.Part, len(h.Columns), len(h.Orders))
	}
	for i, o := range h.Orders {
		if o < 0 || o > int(canon.MonthFirst) {
			return fmt.Errorf("%w: date order %d", ErrTally, o)
		}
		h.Columns[i].DateOrder = canon.DateOrder(o)
	}
	*t = Tally{part: h.Part, cols: h.Columns, region: h.Region, info: h.Info, members: h.Members,
		state: data[k+int(n):]}
	return nil
}
