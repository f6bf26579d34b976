package provenance

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
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

func (l *rowLog) match(si int, kinds uint32, joint bool) {
	l.hits = append(l.hits, rowHit{src: int32(si), kinds: kinds, joint: joint})
}

// add closes the record being scored.
func (l *rowLog) add(ident bool) {
	l.ident = append(l.ident, ident)
	l.ends = append(l.ends, int32(len(l.hits)))
}

// writeRows writes the attribution as CSV: one line per record, in input
// order, naming the significant sources it matches in report order.
func (s *scorer) writeRows(ctx context.Context, w io.Writer, recs sampleset.Records, cols []canon.Column, files []FileInfo, values bool) error {
	l := s.rows
	if len(l.where) != len(l.ident) {
		return fmt.Errorf("provenance: rows: %d records read, %d scored", len(l.where), len(l.ident))
	}
	rank := make([]int, s.nsrc) // source → its place in the report
	for i, si := range s.order {
		rank[si] = i
	}
	cw := csv.NewWriter(w)
	head := RowColumns
	if values {
		head = append(head[:len(head):len(head)], make([]string, len(cols))...)
		for i, c := range cols {
			head[len(RowColumns)+i] = untrusted.CSV(c.Name)
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	var next func() ([]string, error, bool)
	if values {
		pull, stop := iter.Pull2(recs.All(ctx))
		defer stop()
		next = func() ([]string, error, bool) { return pull() }
	}
	line := make([]string, len(head))
	start := int32(0)
	for i, ident := range l.ident {
		pos := l.where[i]
		member := ""
		if pos.Member < len(files) {
			member = files[pos.Member].Path
		}
		hits := l.hits[start:l.ends[i]]
		start = l.ends[i]
		var matched, joint []string
		var kinds uint32
		placed := make([]rowHit, 0, len(hits))
		for _, h := range hits {
			if s.sig[h.src] {
				placed = append(placed, h)
			}
		}
		// Report order: insertion sort of a handful.
		for a := 1; a < len(placed); a++ {
			for b := a; b > 0 && rank[placed[b].src] < rank[placed[b-1].src]; b-- {
				placed[b], placed[b-1] = placed[b-1], placed[b]
			}
		}
		for _, h := range placed {
			name := s.cat.Sources[h.src].Meta.Name
			matched = append(matched, name)
			if h.joint {
				joint = append(joint, name)
			}
			kinds |= h.kinds
		}
		status := RowUnidentified
		switch {
		case ident && len(matched) > 0:
			status = RowMatched
		case ident:
			status = RowUnmatched
		}
		line = line[:len(RowColumns)]
		line[0] = strconv.FormatInt(pos.Row, 10)
		line[1] = untrusted.CSV(member)
		line[2] = status
		line[3] = untrusted.CSV(strings.Join(matched, ";"))
		line[4] = untrusted.CSV(strings.Join(joint, ";"))
		line[5] = kindNames(kinds)
		if values {
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
