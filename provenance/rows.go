package provenance

import (
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/untrusted"
	"github.com/leakprov/leakprov/sampleset"
)

// Row statuses of the per-record attribution (Options.Rows).
const (
	// RowMatched: the record matches a significant source.
	RowMatched = "matched"
	// RowUnmatched: the record has a strong identifier and matches no
	// significant source: it is new as far as the catalog knows.
	RowUnmatched = "unmatched"
	// RowUnidentified: the record has no strong identifier to match on, or
	// only values that many records share (Report.Sample.FrequentValues).
	RowUnidentified = "unidentified"
)

// RowColumns are the columns of the per-record attribution, in order; with
// Options.ShowValues the sample's columns follow.
var RowColumns = []string{"row", "member", "status", "sources", "joint_sources", "kinds"}

// ErrRereadRows means Options.Rows with ShowValues was given records that
// cannot be read a second time (a *sampleset.Reader): pass a
// *sampleset.Joined or a *sampleset.Set.
var ErrRereadRows = errors.New("provenance: the values of rows need records that can be read again")

// rowLog is the attribution of every record scored, in input order: which
// sources each matched, on which kinds, and whether jointly.
type rowLog struct {
	where []sampleset.Position // per record, from the reading goroutine
	ident []bool               // per record
	ends  []int32              // per record: the end of its matches in hits
	hits  []rowHit             // the matches of every record, one after another
}

// rowHit is one record's match of one source.
type rowHit struct {
	src   int32
	kinds uint32 // bit k: kind k matched
	joint bool
}

// keepRows returns a log for the rows of recs and the function that
// records, on the reading goroutine, where each record comes from.
func keepRows(recs sampleset.Records) (*rowLog, func([]string)) {
	l := &rowLog{}
	pr, _ := recs.(interface{ Position() sampleset.Position })
	return l, func([]string) {
		if pr != nil {
			l.where = append(l.where, pr.Position())
		} else {
			l.where = append(l.where, sampleset.Position{Row: int64(len(l.where) + 1)})
		}
	}
}

func (l *rowLog) match(si int, kinds uint32, joint bool) {
	l.hits = append(l.hits, rowHit{src: int32(si), kinds: kinds, joint: joint})
}

// add closes the record being scored.
func (l *rowLog) add(ident bool) {
	l.ident = append(l.ident, ident)
	l.ends = append(l.ends, int32(len(l.hits)))
}

// PartRows is the per-record attribution of one part of a sample scored
// in parts (ReadPartRows, then ScoreTalliesRows): the lines Score writes
// to Options.Rows for the part's records, in their order, so that each
// part's rows are written where the part is read, one file a part
// (WriteCSV). The files of every part, in part order and less all but
// the first header, are the file Score writes of the whole sample.
//
// A PartRows is not safe for concurrent use. MarshalBinary and
// UnmarshalBinary carry it between processes.
type PartRows struct {
	part    int
	members []string // the part's members' paths
	sources []string // the significant sources, in report order
	recs    []rowRec
	hits    []uint32 // per match: the source's place in sources << 1 | joint
}

// rowRec is one record's line: where it comes from (its member an index
// into PartRows.members), its status and the kinds its matches are on.
type rowRec struct {
	pos    sampleset.Position
	status uint8 // an index into rowStatuses
	kinds  uint32
	end    int32 // of its matches in PartRows.hits
}

var rowStatuses = [...]string{RowMatched, RowUnmatched, RowUnidentified}

// Part returns the part's number, from 0.
func (p *PartRows) Part() int { return p.part }

// Len returns how many records the part has.
func (p *PartRows) Len() int { return len(p.recs) }

// partRows turns the log l of a scorer of s's scoring into the lines of
// one part, once s (the scorer of the whole sample) has made its report:
// the sources l names that are significant, in report order. Members
// are the paths of the members l's positions point at.
func (s *scorer) partRows(part int, l *rowLog, members []string) (*PartRows, error) {
	if len(l.where) != len(l.ident) {
		return nil, fmt.Errorf("provenance: rows: %d records read, %d scored", len(l.where), len(l.ident))
	}
	rank := make([]int, s.nsrc) // source → its place among the significant
	p := &PartRows{part: part, members: members, recs: make([]rowRec, len(l.ident))}
	for _, si := range s.order {
		if s.sig[si] {
			rank[si] = len(p.sources)
			p.sources = append(p.sources, s.cat.Sources[si].Meta.Name)
		}
	}
	start := int32(0)
	for i, ident := range l.ident {
		hits := l.hits[start:l.ends[i]]
		start = l.ends[i]
		from := len(p.hits)
		var kinds uint32
		for _, h := range hits {
			if !s.sig[h.src] {
				continue
			}
			m := uint32(rank[h.src]) << 1
			if h.joint {
				m |= 1
			}
			// Report order: insertion sort of a handful.
			p.hits = append(p.hits, m)
			for b := len(p.hits) - 1; b > from && p.hits[b] < p.hits[b-1]; b-- {
				p.hits[b], p.hits[b-1] = p.hits[b-1], p.hits[b]
			}
			kinds |= h.kinds
		}
		st := uint8(2) // unidentified
		switch {
		case ident && len(p.hits) > from:
			st = 0
		case ident:
			st = 1
		}
		pos := l.where[i]
		if pos.Member < 0 || pos.Member >= max(len(members), 1) {
			return nil, fmt.Errorf("provenance: rows: record %d of member %d, of %d", i, pos.Member, len(members))
		}
		p.recs[i] = rowRec{pos: pos, status: st, kinds: kinds, end: int32(len(p.hits))}
	}
	return p, nil
}

// WriteCSV writes the part's lines as CSV, [RowColumns] first. With recs
// non-nil, the part's records read again (a *sampleset.Joined or
// *sampleset.Within of the part, as it was read), each line ends in its
// record's fields, as Score's rows with Options.ShowValues do; their
// columns follow RowColumns in the header.
func (p *PartRows) WriteCSV(ctx context.Context, w io.Writer, recs sampleset.Records) error {
	cw := csv.NewWriter(w)
	head := RowColumns
	var next func() ([]string, error, bool)
	if recs != nil {
		cols, err := recs.Columns()
		if err != nil {
			return err
		}
		head = append(head[:len(head):len(head)], make([]string, len(cols))...)
		for i, c := range cols {
			head[len(RowColumns)+i] = untrusted.CSV(c.Name)
		}
		pull, stop := iter.Pull2(recs.All(ctx))
		defer stop()
		next = func() ([]string, error, bool) { return pull() }
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := make([]string, len(head))
	var matched, joint []string
	start := int32(0)
	for _, r := range p.recs {
		member := ""
		if r.pos.Member < len(p.members) {
			member = p.members[r.pos.Member]
		}
		matched, joint = matched[:0], joint[:0]
		for _, m := range p.hits[start:r.end] {
			name := p.sources[m>>1]
			matched = append(matched, name)
			if m&1 != 0 {
				joint = append(joint, name)
			}
		}
		start = r.end
		line = line[:len(RowColumns)]
		line[0] = strconv.FormatInt(r.pos.Row, 10)
		line[1] = untrusted.CSV(member)
		line[2] = rowStatuses[r.status]
		line[3] = untrusted.CSV(strings.Join(matched, ";"))
		line[4] = untrusted.CSV(strings.Join(joint, ";"))
		line[5] = kindNames(r.kinds)
		if next != nil {
			rec, err, ok := next()
			if !ok {
				return ErrRereadRows
			}
			if err != nil {
				return err
			}
			for _, v := range rec {
				line = append(line, untrusted.CSV(v))
			}
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// kindNames joins the names of the kinds set in mask with ";".
func kindNames(mask uint32) string {
	var b strings.Builder
	for k := canon.Kind(0); k < canon.KindCount; k++ {
		if mask&(1<<k) != 0 {
			if b.Len() > 0 {
				b.WriteByte(';')
			}
			b.WriteString(k.String())
		}
	}
	return b.String()
}

// partRowsVersion is the version of a PartRows' encoding, its first byte.
const partRowsVersion = 1

// partRowsHead is the part of a PartRows' encoding before its records:
// JSON.
type partRowsHead struct {
	Part    int      `json:"part"`
	Members []string `json:"members"`
	Sources []string `json:"sources"`
}

// MarshalBinary encodes the rows: the version, the length of a JSON head
// (the part, its members' paths, the significant sources in report
// order), the head; then the number of records, their places as a read
// state's places section has them, and per record its status (byte), its
// kinds, its number of matches and each match (the source's place in the
// head's sources << 1 | joint), every number a uvarint.
func (p *PartRows) MarshalBinary() ([]byte, error) {
	head, err := json.Marshal(partRowsHead{Part: p.part, Members: p.members, Sources: p.sources})
	if err != nil {
		return nil, err
	}
	w := &stateWriter{b: make([]byte, 0, 1+binary.MaxVarintLen64+len(head)+8*len(p.recs)+2*len(p.hits))}
	w.b = append(w.b, partRowsVersion)
	w.uvarint(uint64(len(head)))
	w.b = append(w.b, head...)
	w.count(len(p.recs))
	where := make([]sampleset.Position, len(p.recs))
	for i, r := range p.recs {
		where[i] = r.pos
	}
	w.places(where)
	start := int32(0)
	for _, r := range p.recs {
		w.b = append(w.b, r.status)
		w.uvarint(uint64(r.kinds))
		w.uvarint(uint64(r.end - start))
		for _, m := range p.hits[start:r.end] {
			w.uvarint(uint64(m))
		}
		start = r.end
	}
	if w.err != nil {
		return nil, fmt.Errorf("%w: rows: %w", ErrTally, w.err)
	}
	return w.b, nil
}

// UnmarshalBinary decodes rows MarshalBinary encoded. It checks all of
// data (every place, status, kind and match, and that they agree) and
// leaves the receiver untouched on an error, which wraps ErrTally.
func (p *PartRows) UnmarshalBinary(data []byte) error {
	r := &stateReader{b: data, end: len(data)}
	if v := r.u8(); v != partRowsVersion && r.err == nil {
		r.fail("version %d, want %d", v, partRowsVersion)
	}
	n := r.length(1, "the head")
	var h partRowsHead
	if r.err == nil {
		if err := json.Unmarshal(data[r.off:r.off+n], &h); err != nil {
			r.fail("the head: %v", err)
		}
		r.off += n
	}
	if r.err == nil && (h.Part < 0 || len(h.Members) == 0 || len(h.Sources) > math.MaxInt32>>1) {
		r.fail("part %d of %d members, %d sources", h.Part, len(h.Members), len(h.Sources))
	}
	nrec := r.length(3, "the records")
	where := r.places(nrec)
	q := &PartRows{part: h.Part, members: h.Members, sources: h.Sources, recs: make([]rowRec, 0, len(where))}
	for i := 0; i < len(where) && r.err == nil; i++ {
		rec := rowRec{pos: where[i], status: r.u8()}
		kinds, nh := r.uvarint(), r.length(1, "the matches")
		last := -1
		for range nh {
			m := r.uvarint()
			if rank := int(m >> 1); m>>1 >= uint64(len(h.Sources)) || rank <= last {
				r.fail("record %d: a match of source %d after %d, of %d", i, m>>1, last, len(h.Sources))
				break
			} else {
				last = rank
			}
			q.hits = append(q.hits, uint32(m))
		}
		switch {
		case r.err != nil:
		case rec.pos.Member >= len(h.Members):
			r.fail("record %d of member %d, of %d", i, rec.pos.Member, len(h.Members))
		case int(rec.status) >= len(rowStatuses):
			r.fail("record %d of status %d", i, rec.status)
		case kinds >= 1<<canon.KindCount || (kinds == 0) != (nh == 0):
			r.fail("record %d of kinds %#x, %d matches", i, kinds, nh)
		case (rec.status == 0) != (nh > 0):
			r.fail("record %d %s, of %d matches", i, rowStatuses[rec.status], nh)
		}
		rec.kinds, rec.end = uint32(kinds), int32(len(q.hits))
		q.recs = append(q.recs, rec)
	}
	if r.err == nil && r.off != len(data) {
		r.fail("%d bytes after the rows", len(data)-r.off)
	}
	if r.err != nil {
		return fmt.Errorf("%w: rows: %w", ErrTally, r.err)
	}
	*p = *q
	return nil
}
