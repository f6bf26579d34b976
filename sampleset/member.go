package sampleset

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leakprov/leakprov/internal/regular"
)

// Limits bound what reading one input's containers may cost, so that a
// compression bomb, an archive of a million entries or a name that climbs
// out of its archive is refused, with an error wrapping [ErrLimit] or
// [ErrUnsafeName], instead of filling the disk or the memory. The zero
// value of a field means its default.
type Limits struct {
	// MaxBytes bounds the bytes decompressed or extracted from one input,
	// all its members together (default 1 TiB).
	MaxBytes int64
	// MaxRatio bounds how many bytes a compressed stream or an archive
	// member may expand to per byte stored, once past its first MiB
	// (default 250: text dumps compress 5 to 20 times; bombs thousands).
	MaxRatio float64
	// MaxMembers bounds the entries of one archive (default 10,000).
	MaxMembers int
	// MaxDepth bounds archives inside archives: at the default, 2, an
	// archive inside an archive is read and one inside that is refused.
	MaxDepth int
}

// Defaults of Limits.
const (
	DefaultMaxBytes   = 1 << 40
	DefaultMaxRatio   = 250
	DefaultMaxMembers = 10_000
	DefaultMaxDepth   = 2
)

// ratioGrace is how many bytes a stream may expand to before MaxRatio
// applies: a short file's header alone compresses far better than text.
const ratioGrace = 1 << 20

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxRatio
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = DefaultMaxMembers
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	return l
}

// Member is one table-like stream of an input: a plain file, a file inside
// an archive, a table of a SQL dump or a sheet of a workbook.
type Member struct {
	// Path names the member: the input's path, then, for each container
	// it lies in, "!" and its name there: "users.csv", "leak.zip!users.csv",
	// "leak.zip!inner.tar!a.csv", "dump.sql!customers", "book.xlsx!Sheet1".
	// Standard input is Opener.StdinName.
	Path string
	// Reader reads the member's records. Its columns are sniffed already,
	// with the options Opener.Configure set.
	Reader *Reader

	sum   *byteSum  // the member's bytes as stored; nil for a table
	drain io.Reader // what of them the Reader has not read
	plain string    // the regular file that holds the member's bytes as they are, if one does
}

// SHA256 returns the hex SHA-256 of the member's bytes as stored (a plain
// or compressed file's own bytes, an archive member's bytes as
// extracted), after reading what the Reader left of them, and true; or ""
// and false for a table of a SQL dump or a sheet of a workbook, which has
// no bytes of its own (hash its records instead). Call it after reading
// the records.
func (m *Member) SHA256() (string, bool, error) {
	if m.sum == nil {
		return "", false, nil
	}
	if _, err := io.Copy(io.Discard, m.drain); err != nil {
		return "", true, &MemberError{Path: m.Path, Err: err}
	}
	return hex.EncodeToString(m.sum.h.Sum(nil)), true, nil
}

// Table reports whether the member is a table of a SQL dump or a sheet of
// a workbook, which has records but no bytes of its own.
func (m *Member) Table() bool { return m.sum == nil }

// Bytes returns how many of the member's bytes as stored have been read
// so far (0 for a table of a SQL dump or a sheet).
func (m *Member) Bytes() int64 {
	if m.sum == nil {
		return 0
	}
	return m.sum.n
}

// byteSum hashes and counts the bytes written to it.
type byteSum struct {
	h hash.Hash
	n int64
}

func newByteSum() *byteSum { return &byteSum{h: sha256.New()} }

func (s *byteSum) Write(b []byte) (int, error) {
	s.n += int64(len(b))
	return s.h.Write(b)
}

// Opener opens inputs (files, directories, globs, standard input),
// unpacks what contains several tables (archives: zip, 7z, tar; SQL
// dumps; XLSX workbooks) and what is compressed (gzip, bzip2, xz, zstd),
// all recognised by their content rather than their names, and yields
// every table-like stream inside as a [Member]. Members are never written
// to disk; an archive that needs random access but arrives as a stream
// (on standard input, or inside another archive) is spooled to a
// temporary file that is removed as soon as it is read (on Linux, before
// it is even written to).
//
// Set its fields before calling Members. An Opener is not safe for
// concurrent use.
type Opener struct {
	// Configure, when set, is called with every member's Reader before
	// its first record is read: set the Reader's options there.
	Configure func(*Reader)
	// Limits bound what reading the containers may cost.
	Limits Limits
	// Stdin is read for the path "-" (default os.Stdin).
	Stdin io.Reader
	// StdinName names standard input in member paths (default "stdin").
	StdinName string
	// TempDir holds temporary spools (default os.TempDir()).
	TempDir string
	// Skipped, when set, is called for every archive entry passed over,
	// with the reason: directories are not, but links, operating-system
	// metadata (__MACOSX/, .DS_Store, Thumbs.db) and binary files (images,
	// executables) are. A binary file given by itself is an error instead.
	Skipped func(path string, why error)
}

// Members iterates over the members of the inputs at paths, in order:
// standard input for "-"; the matches of a glob the shell did not expand
// (one that names no file) in sorted order; a directory's regular files,
// walked in sorted order; an archive's entries in stored order; a SQL
// dump's tables in the dump's order. Each member is valid until the next
// iteration; the first error ends the iteration.
func (o *Opener) Members(ctx context.Context, paths ...string) iter.Seq2[*Member, error] {
	return func(yield func(*Member, error) bool) {
		w := &walker{o: o, ctx: ctx, yield: yield, lim: o.Limits.withDefaults(), tmpl: &Reader{}}
		if o.Configure != nil {
			o.Configure(w.tmpl) // the record limits, for readers of SQL dumps
		}
		w.tmpl.MaxRecordBytes = cmp.Or(max(w.tmpl.MaxRecordBytes, 0), DefaultMaxRecordBytes)
		w.tmpl.MaxFields = cmp.Or(max(w.tmpl.MaxFields, 0), DefaultMaxFields)
		for _, p := range paths {
			w.total = 0
			err := w.input(p)
			if errors.Is(err, errStop) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// Files iterates over the regular files the inputs at paths name, in the
// order Members reads them: a glob's matches, a directory's files (links,
// special files and operating-system metadata passed over, as Skipped is
// told). Nothing is read. Standard input ("-") is an error: it is no
// file. The first error ends the iteration.
func (o *Opener) Files(ctx context.Context, paths ...string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		w := &walker{o: o, ctx: ctx, list: func(p string) error {
			if !yield(p, nil) {
				return errStop
			}
			return nil
		}}
		for _, p := range paths {
			if p == "-" {
				yield("", errors.New("sampleset: standard input is no file"))
				return
			}
			err := w.input(p)
			if errors.Is(err, errStop) {
				return
			}
			if err != nil {
				yield("", err)
				return
			}
		}
	}
}

// errStop says the consumer of Members stopped the iteration.
var errStop = errors.New("stop")

// walker is the state of one Members iteration.
type walker struct {
	o     *Opener
	ctx   context.Context
	yield func(*Member, error) bool
	lim   Limits
	tmpl  *Reader // a Reader as Configure sets it
	total int64   // bytes extracted from the current input
	// list, when set, is given the path of every file instead of its
	// members (Files).
	list func(path string) error
}

// input yields the members of one path argument.
func (w *walker) input(p string) error {
	if p == "-" {
		in := w.o.Stdin
		if in == nil {
			in = os.Stdin
		}
		return w.stream(source{path: cmp.Or(w.o.StdinName, "stdin"), r: in, sum: newByteSum()})
	}
	fi, err := os.Stat(p)
	if errors.Is(err, os.ErrNotExist) && strings.ContainsAny(p, "*?[") {
		matches, gerr := filepath.Glob(p)
		if gerr != nil {
			return fmt.Errorf("%s: %w", p, gerr)
		}
		if len(matches) == 0 {
			return fmt.Errorf("%s: no file matches the pattern: %w", p, os.ErrNotExist)
		}
		sort.Strings(matches)
		for _, m := range matches {
			if err := w.input(m); err != nil {
				return err
			}
		}
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return w.dir(p)
	}
	return w.file(p)
}

// dir yields the members of the regular files under a directory, walked
// in sorted order; links and other special files are passed over.
func (w *walker) dir(root string) error {
	return filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			w.skip(p, errors.New("not a regular file"))
			return nil
		}
		if osMetadata(p) {
			w.skip(p, errMetadata)
			return nil
		}
		return w.file(p)
	})
}

// file yields the members of one regular file.
func (w *walker) file(p string) error {
	if w.list != nil {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		f, _, err := regular.Open(p) // a FIFO is refused, not listed
		if err != nil {
			return err
		}
		f.Close()
		return w.list(p)
	}
	f, fi, err := regular.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return w.stream(source{path: p, r: f, ra: f, size: fi.Size(), sum: newByteSum(), plain: p})
}

// skip reports an entry passed over.
func (w *walker) skip(path string, why error) {
	if w.o.Skipped != nil {
		w.o.Skipped(path, why)
	}
}

// errMetadata is why operating-system metadata files are passed over.
var errMetadata = errors.New("operating-system metadata, not data")

// osMetadata reports whether a path is a file an operating system leaves
// beside data: macOS resource forks and folder settings, Windows
// thumbnails and folder settings.
func osMetadata(p string) bool {
	p = filepath.ToSlash(p)
	base := p[strings.LastIndexByte(p, '/')+1:]
	return strings.HasPrefix(p, "__MACOSX/") || strings.Contains(p, "/__MACOSX/") ||
		base == ".DS_Store" || strings.HasPrefix(base, "._") || base == "Thumbs.db" || base == "desktop.ini"
}

// emit yields a member, configured and sniffed. A binary stream inside an
// archive is passed over.
func (w *walker) emit(m *Member, depth int) error {
	if w.o.Configure != nil {
		w.o.Configure(m.Reader)
	}
	m.Reader.Name = m.Path
	if _, err := m.Reader.Columns(); err != nil {
		if depth > 0 && errors.Is(err, ErrBinary) {
			w.skip(m.Path, ErrBinary)
			return nil
		}
		return err
	}
	if !w.yield(m, nil) {
		return errStop
	}
	return nil
}
