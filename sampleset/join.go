package sampleset

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// MemberInfo describes one member as read: its path, its columns and what
// its Reader's Info says.
type MemberInfo struct {
	Path    string         `json:"path"`
	Columns []canon.Column `json:"columns"`
	// SHA256 is the member's SHA-256 (see Member.SHA256; a table's is its
	// records', see RecordSum), once it is read to its end.
	SHA256 string `json:"sha256,omitempty"`
	Info
}

// Joined is the members of several inputs read as one stream of records,
// as a sample made of several files, tables or sheets is scored: its
// columns are the union of the members' columns (a column of the same
// name and kind in two members is one column), and each member's records
// are laid out on them, empty where the member has no such column. Each
// member keeps the column kinds detected in it.
//
// A Joined reads its inputs twice: once to learn every member's columns,
// then to read the records. Standard input is first spooled to a
// temporary file, removed when the Joined is closed. A Joined is not safe
// for concurrent use.
type Joined struct {
	o       *Opener
	paths   []string
	cols    []canon.Column
	layout  [][]int // member i's column j is column layout[i][j]
	members []MemberInfo
	info    Info
	spool   *os.File
	pos     Position // of the record All yielded last
	cur     *Member  // the member All reads
	read    int64    // bytes as stored of the members All read before cur
}

// Position locates a record in its input: the member it comes from (an
// index into Members) and its 1-based data record number there, counting
// the bad records skipped before it (not the header).
type Position struct {
	Member int
	Row    int64
}

// Join opens the inputs at paths as one stream of records, reading the
// members' columns now (see [Joined]).
func (o *Opener) Join(ctx context.Context, paths ...string) (*Joined, error) {
	j := &Joined{o: o, paths: slices.Clone(paths)}
	if i := slices.Index(paths, "-"); i >= 0 {
		if slices.Contains(paths[i+1:], "-") {
			return nil, fmt.Errorf("%w: standard input (-) given twice", ErrConfig)
		}
		if err := j.spoolStdin(); err != nil {
			return nil, err
		}
	}
	for m, err := range j.members0(ctx) {
		if err != nil {
			j.Close()
			return nil, err
		}
		cols, _ := m.Reader.Columns() // sniffed already
		idx := make([]int, len(cols))
		for k, c := range cols {
			at := slices.Index(j.cols, c)
			if at < 0 {
				at = len(j.cols)
				j.cols = append(j.cols, c)
			}
			idx[k] = at
		}
		if len(j.layout) == 0 {
			j.info = m.Reader.Info()
			j.info.ExtraKeyNames = nil
		}
		j.layout = append(j.layout, idx)
		j.members = append(j.members, MemberInfo{Path: m.Path, Columns: cols})
	}
	if len(j.members) == 0 {
		j.Close()
		return nil, fmt.Errorf("%w: no table in %v", ErrNoMembers, paths)
	}
	return j, nil
}

// spoolStdin copies standard input to an unlinked temporary file.
func (j *Joined) spoolStdin() error {
	in := j.o.Stdin
	if in == nil {
		in = os.Stdin
	}
	f, err := os.CreateTemp(j.o.TempDir, "leakprov-stdin-*")
	if err != nil {
		return err
	}
	j.spool = f
	removed := os.Remove(f.Name()) == nil
	if !removed {
		defer os.Remove(f.Name())
	}
	lim := j.o.Limits.withDefaults().MaxBytes
	n, err := io.Copy(f, io.LimitReader(in, lim+1))
	if err == nil && n > lim {
		err = &MemberError{Path: "stdin", Err: fmt.Errorf("%w: over %d bytes", ErrLimit, lim)}
	}
	if err != nil {
		return err
	}
	return nil
}

// members0 iterates over the members, standard input read from its spool.
func (j *Joined) members0(ctx context.Context) iter.Seq2[*Member, error] {
	o := *j.o
	if j.layout != nil {
		o.Skipped = nil // told in the first pass
	}
	if j.spool != nil {
		if _, err := j.spool.Seek(0, io.SeekStart); err != nil {
			return func(yield func(*Member, error) bool) { yield(nil, err) }
		}
		o.Stdin = j.spool
	}
	return o.Members(ctx, j.paths...)
}

// Columns returns the union of the members' columns.
func (j *Joined) Columns() ([]canon.Column, error) { return j.cols, nil }

// Members describes every member: its columns, and, once the records are
// read, its counts.
func (j *Joined) Members() []MemberInfo { return j.members }

// Info adds up the Info of the members read to their end: their records
// and skips; its format, encoding, compression and region are the first
// member's.
func (j *Joined) Info() Info { return j.info }

// All iterates over the records of every member in turn, laid out on the
// union of the columns. A record is valid until the next iteration.
func (j *Joined) All(ctx context.Context) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		i := 0
		out := make([]string, len(j.cols))
		j.info.Records, j.info.Skipped, j.info.ExtraKeys, j.info.ExtraKeyNames = 0, 0, 0, nil
		j.cur, j.read = nil, 0
		for m, err := range j.members0(ctx) {
			if err == nil && i >= len(j.layout) {
				err = fmt.Errorf("%w: the inputs changed while read: more members than at first", ErrConfig)
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if cols, _ := m.Reader.Columns(); len(cols) != len(j.layout[i]) || m.Path != j.members[i].Path {
				yield(nil, fmt.Errorf("%w: %s changed while read", ErrConfig, m.Path))
				return
			}
			idx := j.layout[i]
			j.cur = m
			var sum *RecordSum
			if m.Table() {
				sum = NewRecordSum()
			}
			// Every record is copied into out before it is yielded, so the
			// reader may hand back the same slice each time (its strings
			// are never reused): one allocation a record fewer.
			m.Reader.ReuseRecord = true
			for rec, err := range m.Reader.All(ctx) {
				if err != nil {
					yield(nil, err)
					return
				}
				if sum != nil {
					sum.Add(rec)
				}
				clear(out)
				for k, v := range rec {
					out[idx[k]] = v
				}
				mi := m.Reader.Info()
				j.pos = Position{Member: i, Row: mi.Records + mi.Skipped}
				if !yield(out, nil) {
					return
				}
			}
			j.cur, j.read = nil, j.read+m.Bytes()
			mi := m.Reader.Info()
			j.members[i].Info = mi
			if sum != nil {
				j.members[i].SHA256 = sum.Sum()
			} else if h, _, err := m.SHA256(); err != nil {
				yield(nil, err)
				return
			} else {
				j.members[i].SHA256 = h
			}
			j.info.Add(mi)
			i++
		}
	}
}

// Add adds the counts of another input read after i's to i, as a Joined
// adds up its members: records, skips and extra keys, and the first
// extra key names (at most 16, each once); i keeps its format, encoding,
// compression and region.
func (i *Info) Add(next Info) {
	i.Records += next.Records
	i.Skipped += next.Skipped
	i.ExtraKeys += next.ExtraKeys
	for _, k := range next.ExtraKeyNames {
		if len(i.ExtraKeyNames) < maxExtraKeyNames && !slices.Contains(i.ExtraKeyNames, k) {
			i.ExtraKeyNames = append(i.ExtraKeyNames, k)
		}
	}
}

// Position returns where the record All yielded last comes from.
func (j *Joined) Position() Position { return j.pos }

// Bytes returns how many bytes of the inputs as stored All has read so
// far (see [Member.Bytes]: tables of SQL dumps and sheets of workbooks
// count none), for a progress report. Call it from the loop over All.
func (j *Joined) Bytes() int64 {
	if j.cur != nil {
		return j.read + j.cur.Bytes()
	}
	return j.read
}

// Close removes the spool of standard input, if any.
func (j *Joined) Close() error {
	if j.spool == nil {
		return nil
	}
	return j.spool.Close()
}

// Within returns j's records laid out on cols, the columns of a sample j
// is one part of (those of a Joined over every part: a superset of j's),
// so that parts read apart line their records up as the whole sample's
// Joined does. It fails, wrapping ErrConfig, when a column of j is not
// among cols. Its Info and Members are j's.
func (j *Joined) Within(cols []canon.Column) (*Within, error) {
	idx := make([]int, len(j.cols))
	for i, c := range j.cols {
		if idx[i] = slices.Index(cols, c); idx[i] < 0 {
			return nil, fmt.Errorf("%w: column %q (%s) is not among the sample's", ErrConfig, c.Name, c.Kind)
		}
	}
	return &Within{j: j, cols: slices.Clone(cols), idx: idx}, nil
}

// Within is a Joined's records laid out on a sample's columns (see
// Joined.Within). It is not safe for concurrent use.
type Within struct {
	j    *Joined
	cols []canon.Column
	idx  []int // the Joined's column i is column idx[i]
}

// Columns returns the sample's columns.
func (w *Within) Columns() ([]canon.Column, error) { return w.cols, nil }

// Info is the Joined's.
func (w *Within) Info() Info { return w.j.Info() }

// Members is the Joined's.
func (w *Within) Members() []MemberInfo { return w.j.Members() }

// Position returns where the record All yielded last comes from in the
// Joined (see Joined.Position).
func (w *Within) Position() Position { return w.j.Position() }

// All iterates over the Joined's records, laid out on the sample's
// columns. A record is valid until the next iteration.
func (w *Within) All(ctx context.Context) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		out := make([]string, len(w.cols))
		for rec, err := range w.j.All(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			clear(out)
			for i, v := range rec {
				out[w.idx[i]] = v
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}
