package sampleset

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/bodgit/sevenzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// source is a stream to open: a file, standard input, or an entry of an
// archive, with the path it is named by.
type source struct {
	path  string
	r     io.Reader
	ra    io.ReaderAt // the same bytes with random access, or nil
	size  int64
	depth int // archives around it
	// compressed names the compression already undone on r ("" if none).
	compressed string
	// sum, when set, hashes the bytes read from r: they are the member's
	// bytes as stored.
	sum *byteSum
	// hash and drain are the hash of the bytes as stored and the reader of
	// what is left of them: set by stream, kept when it only decompresses.
	hash  *byteSum
	drain io.Reader
	// plain is the path of the regular file r reads when its bytes are
	// the member's own, as stored (not decompressed, not extracted).
	plain string
}

// Magic numbers of containers.
var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicBzip2 = []byte("BZh")
	magicXz    = []byte{0xfd, '7', 'z', 'X', 'Z', 0}
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicZip   = []byte("PK\x03\x04")
	magicZip0  = []byte("PK\x05\x06") // an empty zip archive
	magic7z    = []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}
)

// isTar reports whether a block starts a POSIX or GNU tar archive.
func isTar(head []byte) bool {
	return len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar"))
}

// stream yields the members of one stream, recognising what it is.
func (w *walker) stream(s source) error {
	r := s.r
	if s.sum != nil {
		r = io.TeeReader(r, s.sum)
	}
	br := bufio.NewReaderSize(r, bufferSize)
	if s.sum != nil {
		s.hash, s.drain = s.sum, br
	}
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return &MemberError{Path: s.path, Err: err}
	}
	comp := ""
	switch {
	case bytes.HasPrefix(head, magicGzip):
		comp = "gzip"
	case bytes.HasPrefix(head, magicBzip2) && len(head) > 3 && head[3] >= '1' && head[3] <= '9':
		comp = "bzip2"
	case bytes.HasPrefix(head, magicXz):
		comp = "xz"
	case bytes.HasPrefix(head, magicZstd):
		comp = "zstd"
	}
	if comp != "" {
		if s.compressed != "" {
			return &MemberError{Path: s.path, Err: fmt.Errorf("%w: compressed twice (%s inside %s)", ErrLimit, comp, s.compressed)}
		}
		in := new(int64)
		dec, closeDec, err := decompress(comp, &countReader{r: br, n: in})
		if err != nil {
			return &MemberError{Path: s.path, Err: fmt.Errorf("%w: %s: %w", ErrArchive, comp, err)}
		}
		defer closeDec()
		inner := s
		inner.r, inner.ra, inner.size, inner.compressed, inner.sum, inner.plain = &limited{w: w, path: s.path, r: dec, in: in}, nil, -1, comp, nil, ""
		return w.stream(inner)
	}
	switch {
	case bytes.HasPrefix(head, magicZip), bytes.HasPrefix(head, magicZip0):
		return w.random(s, br, w.zip)
	case bytes.HasPrefix(head, magic7z):
		return w.random(s, br, w.sevenZip)
	case isTar(head):
		if err := w.deeper(s, "tar"); err != nil {
			return err
		}
		return w.tar(s, br)
	}
	win, err := br.Peek(sniffWindow)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return &MemberError{Path: s.path, Err: err}
	}
	if sniffSQL(win, err == io.EOF) {
		return w.sqlDump(s, br)
	}
	rd := NewReader(br)
	rd.info.Compression = s.compressed
	return w.emit(&Member{Path: s.path, Reader: rd, sum: s.hash, drain: s.drain, plain: s.plain}, s.depth)
}

// deeper refuses an archive nested deeper than the limit.
func (w *walker) deeper(s source, kind string) error {
	if s.depth >= w.lim.MaxDepth {
		return &MemberError{Path: s.path, Err: fmt.Errorf("%w: a %s archive nested %d deep (at most %d archives inside one another)",
			ErrLimit, kind, s.depth+1, w.lim.MaxDepth)}
	}
	return nil
}

// decompress returns the decompressed stream of r and its closer.
func decompress(kind string, r io.Reader) (io.Reader, func(), error) {
	switch kind {
	case "gzip":
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return z, func() { z.Close() }, nil
	case "bzip2":
		return bzip2.NewReader(r), func() {}, nil
	case "xz":
		z, err := xz.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return z, func() {}, nil
	default: // zstd
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
		if err != nil {
			return nil, nil, err
		}
		return z, z.Close, nil
	}
}

// countReader counts the bytes read through it into *n.
type countReader struct {
	r io.Reader
	n *int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

// limited enforces the limits on what a compressed stream or an archive
// entry expands to: in counts the bytes stored (nil: stored is known in
// advance), out the bytes it gave.
type limited struct {
	w      *walker
	path   string
	r      io.Reader
	in     *int64
	stored int64
	out    int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.out += int64(n)
	l.w.total += int64(n)
	stored := l.stored
	if l.in != nil {
		stored = *l.in
	}
	switch {
	case l.w.total > l.w.lim.MaxBytes:
		return n, &MemberError{Path: l.path, Err: fmt.Errorf("%w: over %d bytes extracted from the input", ErrLimit, l.w.lim.MaxBytes)}
	case l.out > ratioGrace && float64(l.out) > l.w.lim.MaxRatio*float64(max(stored, 1)):
		return n, &MemberError{Path: l.path, Err: fmt.Errorf("%w: %d bytes expand to over %d (more than %g times: a compression bomb?)",
			ErrLimit, stored, l.out, l.w.lim.MaxRatio)}
	}
	if err != nil && err != io.EOF {
		err = &MemberError{Path: l.path, Err: fmt.Errorf("%w: %w", ErrArchive, err)}
	}
	return n, err
}

// entryName checks an archive entry's name and returns it with forward
// slashes.
func entryName(container, name string) (string, error) {
	n := strings.ReplaceAll(name, `\`, "/")
	bad := path.IsAbs(n) || (len(n) > 1 && n[1] == ':') || n == ""
	for _, e := range strings.Split(n, "/") {
		bad = bad || e == ".."
	}
	if bad {
		return "", &MemberError{Path: container + "!" + name, Err: fmt.Errorf("%w: %q", ErrUnsafeName, name)}
	}
	return strings.TrimPrefix(n, "./"), nil
}

// random reads an archive that needs random access: from the file itself,
// or else from a temporary spool of the stream.
func (w *walker) random(s source, br *bufio.Reader, read func(source, io.ReaderAt, int64) error) error {
	if s.ra != nil {
		return read(s, s.ra, s.size)
	}
	f, err := os.CreateTemp(w.o.TempDir, "leakprov-spool-*")
	if err != nil {
		return err
	}
	// Unlinked at once where the system allows it: nothing is left behind
	// even if the process is killed.
	removed := os.Remove(f.Name()) == nil
	defer func() {
		f.Close()
		if !removed {
			os.Remove(f.Name())
		}
	}()
	n, err := io.Copy(f, io.LimitReader(br, w.lim.MaxBytes-w.total+1))
	if err != nil {
		return &MemberError{Path: s.path, Err: err}
	}
	if w.total += n; w.total > w.lim.MaxBytes {
		return &MemberError{Path: s.path, Err: fmt.Errorf("%w: over %d bytes extracted from the input", ErrLimit, w.lim.MaxBytes)}
	}
	return read(s, f, n)
}

// entry is what the archive readers know of one entry.
type entry struct {
	name     string
	dir      bool
	regular  bool
	stored   int64 // compressed size, or -1 if unknown
	declared int64 // uncompressed size declared, or -1
}

// child returns the source of an archive entry, or nil (and reports it)
// when the entry is passed over.
func (w *walker) child(s source, kind string, e entry, count *int) (*source, error) {
	if e.dir {
		return nil, nil
	}
	*count++
	if *count > w.lim.MaxMembers {
		return nil, &MemberError{Path: s.path, Err: fmt.Errorf("%w: a %s archive of over %d entries", ErrLimit, kind, w.lim.MaxMembers)}
	}
	name, err := entryName(s.path, e.name)
	if err != nil {
		return nil, err
	}
	p := s.path + "!" + name
	if !e.regular {
		w.skip(p, errors.New("a link or special file, not data"))
		return nil, nil
	}
	if osMetadata(name) {
		w.skip(p, errMetadata)
		return nil, nil
	}
	if e.stored >= 0 && e.declared > ratioGrace && float64(e.declared) > w.lim.MaxRatio*float64(max(e.stored, 1)) {
		return nil, &MemberError{Path: p, Err: fmt.Errorf("%w: %d bytes declared to expand to %d (more than %g times: a compression bomb?)",
			ErrLimit, e.stored, e.declared, w.lim.MaxRatio)}
	}
	return &source{path: p, depth: s.depth + 1, sum: newByteSum(), size: e.declared}, nil
}

// zip yields the members of a zip archive, or the sheets of an XLSX
// workbook.
func (w *walker) zip(s source, ra io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return &MemberError{Path: s.path, Err: fmt.Errorf("%w: zip: %w", ErrArchive, err)}
	}
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		names[i] = f.Name
	}
	if isXLSX(names) {
		return w.workbook(s, ra, size) // a table container, not an archive
	}
	if err := w.deeper(s, "zip"); err != nil {
		return err
	}
	if len(zr.File) > w.lim.MaxMembers {
		return &MemberError{Path: s.path, Err: fmt.Errorf("%w: a zip archive of %d entries (at most %d)", ErrLimit, len(zr.File), w.lim.MaxMembers)}
	}
	count := 0
	for _, f := range zr.File {
		mode := f.Mode()
		c, err := w.child(s, "zip", entry{name: f.Name, dir: mode.IsDir() || strings.HasSuffix(f.Name, "/"),
			regular: mode.IsRegular(), stored: int64(f.CompressedSize64), declared: int64(f.UncompressedSize64)}, &count)
		if err != nil || c == nil {
			if err != nil {
				return err
			}
			continue
		}
		if f.Flags&0x1 != 0 {
			return &MemberError{Path: c.path, Err: fmt.Errorf("%w: the entry is encrypted", ErrArchive)}
		}
		rc, err := f.Open()
		if err != nil {
			return &MemberError{Path: c.path, Err: fmt.Errorf("%w: %w", ErrArchive, err)}
		}
		c.r = &limited{w: w, path: c.path, r: rc, stored: int64(f.CompressedSize64)}
		if off, err := f.DataOffset(); err == nil && f.Method == zip.Store {
			// A stored archive inside is read in place, not spooled.
			c.ra = io.NewSectionReader(ra, off, int64(f.UncompressedSize64))
		}
		err = w.stream(*c)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// sevenZip yields the members of a 7z archive.
func (w *walker) sevenZip(s source, ra io.ReaderAt, size int64) error {
	if err := w.deeper(s, "7z"); err != nil {
		return err
	}
	zr, err := sevenzip.NewReader(ra, size)
	if err != nil {
		return &MemberError{Path: s.path, Err: fmt.Errorf("%w: 7z: %w", ErrArchive, err)}
	}
	if len(zr.File) > w.lim.MaxMembers {
		return &MemberError{Path: s.path, Err: fmt.Errorf("%w: a 7z archive of %d entries (at most %d)", ErrLimit, len(zr.File), w.lim.MaxMembers)}
	}
	count := 0
	for _, f := range zr.File {
		mode := f.FileInfo().Mode()
		// 7z records no compressed size per entry (entries share solid
		// streams): the ratio is checked over the whole archive instead.
		c, err := w.child(s, "7z", entry{name: f.Name, dir: mode.IsDir(), regular: mode.IsRegular(), stored: -1, declared: int64(f.UncompressedSize)}, &count)
		if err != nil || c == nil {
			if err != nil {
				return err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return &MemberError{Path: c.path, Err: fmt.Errorf("%w: %w", ErrArchive, err)}
		}
		c.r = &limited{w: w, path: c.path, r: rc, stored: size}
		err = w.stream(*c)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// tar yields the members of a tar archive, read as a stream.
func (w *walker) tar(s source, br *bufio.Reader) error {
	tr := tar.NewReader(br)
	count := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &MemberError{Path: s.path, Err: fmt.Errorf("%w: tar: %w", ErrArchive, err)}
		}
		c, err := w.child(s, "tar", entry{name: h.Name, dir: h.Typeflag == tar.TypeDir,
			regular: h.Typeflag == tar.TypeReg || h.Typeflag == tar.TypeRegA, stored: -1, declared: h.Size}, &count)
		if err != nil {
			return err
		}
		if c == nil {
			continue
		}
		// The stream holding the tar is what the limits count.
		c.r = tr
		if err := w.stream(*c); err != nil {
			return err
		}
		if err := w.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// sqlDump yields the tables of a SQL dump as members.
func (w *walker) sqlDump(s source, br *bufio.Reader) error {
	d := newSQLDump(s.path, br, w.tmpl.MaxRecordBytes, w.tmpl.MaxFields)
	for {
		name, t, err := d.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		m := &Member{Path: s.path + "!" + name, Reader: newTableReader("", t)}
		m.Reader.info.Compression = s.compressed
		if err := w.emit(m, s.depth); err != nil {
			return err
		}
	}
}

// workbook yields the sheets of an XLSX workbook as members.
func (w *walker) workbook(s source, ra io.ReaderAt, size int64) error {
	wb, err := openWorkbook(s.path, ra, size, xlsxLimits{maxBytes: max(w.lim.MaxBytes-w.total, 1), maxRatio: w.lim.MaxRatio,
		maxRecordBytes: w.tmpl.MaxRecordBytes, maxFields: w.tmpl.MaxFields})
	if err != nil {
		return err
	}
	defer wb.Close()
	for i, name := range wb.sheets() {
		t, err := wb.sheet(i)
		if err != nil {
			return err
		}
		if err := w.emit(&Member{Path: s.path + "!" + name, Reader: newTableReader("", t)}, s.depth); err != nil {
			return err
		}
	}
	return nil
}
