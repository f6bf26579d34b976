package provenance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/leakprov/leakprov/fingerprint"
)

// Catalog is a set of compatible source signatures. A Catalog is safe for
// concurrent reads once loaded.
type Catalog struct {
	Sources []*fingerprint.Signature
	// Paths holds each source's file, parallel to Sources ("" when added in
	// memory).
	Paths []string
}

// ErrEmptyCatalog is returned when a catalog has no signatures.
var ErrEmptyCatalog = errors.New("provenance: catalog holds no signatures")

// SignatureExt is the file extension of signature files in a catalog
// directory.
const SignatureExt = ".lps"

// LoadCatalog reads signature files; a directory contributes every *.lps
// file in it, in name order. The signatures must be compatible with each
// other (same key, hash mode and normaliser version); the error of an
// incompatible pair names both files.
func LoadCatalog(paths ...string) (*Catalog, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		var inDir []string
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), SignatureExt) {
				inDir = append(inDir, filepath.Join(p, e.Name()))
			}
		}
		sort.Strings(inDir)
		files = append(files, inDir...)
	}
	// Read (and check) the files on every core, add them in order.
	sigs, errs := make([]*fingerprint.Signature, len(files)), make([]error, len(files))
	next := make(chan int, len(files))
	for i := range files {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(len(files), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				sigs[i], errs[i] = fingerprint.ReadFile(files[i])
			}
		}()
	}
	wg.Wait()
	c := &Catalog{}
	for i, f := range files {
		if errs[i] != nil {
			return nil, fmt.Errorf("catalog: %s: %w", f, errs[i])
		}
		if err := c.Add(sigs[i], f); err != nil {
			return nil, err
		}
	}
	if len(c.Sources) == 0 {
		return nil, fmt.Errorf("%w (%s)", ErrEmptyCatalog, strings.Join(paths, ", "))
	}
	return c, nil
}

// ErrSaturated is returned for a source whose filters are too full to
// answer: every lookup would look like a match.
var ErrSaturated = errors.New("provenance: source filter saturated")

// saturationFactor is how far above its own target a source filter's
// false-positive rate may be before the source is refused.
const saturationFactor = 10

// Add adds a signature, checking it against those already in the catalog.
// Two sources may not share a name, and a source whose filters are
// saturated (false-positive rate over ten times the rate it was built for,
// e.g. a --capacity far too small) is refused.
func (c *Catalog) Add(s *fingerprint.Signature, path string) error {
	if err := checkSaturation(s); err != nil {
		return fmt.Errorf("catalog: %s: %w", label(path, s), err)
	}
	for i, o := range c.Sources {
		if err := fingerprint.Compatible(&o.Meta, &s.Meta); err != nil {
			return fmt.Errorf("catalog: %s and %s: %w", c.label(i), label(path, s), err)
		}
		if o.Meta.Name == s.Meta.Name {
			return fmt.Errorf("catalog: %s and %s both name the source %q", c.label(i), label(path, s), s.Meta.Name)
		}
	}
	c.Sources = append(c.Sources, s)
	c.Paths = append(c.Paths, path)
	return nil
}

func (c *Catalog) label(i int) string { return label(c.Paths[i], c.Sources[i]) }

func label(path string, s *fingerprint.Signature) string {
	if path != "" {
		return path
	}
	return s.Meta.Name
}

// CheckHasher reports whether values hashed by h can be looked up in every
// source; the error names the first file that cannot.
func (c *Catalog) CheckHasher(h *fingerprint.Hasher) error {
	for i, s := range c.Sources {
		if err := s.CompatibleHasher(h); err != nil {
			return fmt.Errorf("catalog: %s: %w", c.label(i), err)
		}
	}
	return nil
}

func checkSaturation(s *fingerprint.Signature) error {
	limit := saturationFactor * s.Meta.FPR
	if limit <= 0 {
		return nil
	}
	check := func(what string, f *fingerprint.Filter) error {
		if f != nil && f.FalsePositiveRate() > limit {
			return fmt.Errorf("%w: the %s filter answers yes to %.2g of values never added (built for %g); rebuild it with a larger --capacity",
				ErrSaturated, what, f.FalsePositiveRate(), s.Meta.FPR)
		}
		return nil
	}
	for _, f := range s.Fields {
		if err := check(f.Kind.String(), f.Filter); err != nil {
			return err
		}
	}
	return check("pairs", s.Pairs)
}
