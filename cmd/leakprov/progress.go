package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/internal/untrusted"
	"github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
)

// isTerminal reports whether w is a terminal, where progress is shown;
// tests replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressEvery is how many records pass between looks at the progress of
// a sample being scored; progressPause the least time between two
// redraws of the bar.
const (
	progressEvery = 4096
	progressPause = 100 * time.Millisecond
)

// progress is a progress bar on stderr: what is read, the records and
// bytes read so far, and records per second. A nil *progress shows
// nothing, so that commands call it whether or not stderr is a terminal.
type progress struct {
	w    io.Writer
	bar  *progressbar.ProgressBar
	last time.Time
}

// quietFlag registers -q, which silences progress and summaries.
func quietFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("q", false, "quiet: no progress bar or summary on standard error (warnings and errors still)")
}

// newProgress returns the progress bar of a command: nil (silent) when
// quiet or when stderr is not a terminal.
func newProgress(quiet bool) *progress {
	if quiet || !isTerminal(warnings) {
		return nil
	}
	return &progress{w: warnings}
}

// update shows that records records and bytes bytes of name have been
// read, at most every progressPause.
func (p *progress) update(name string, records, bytes int64) {
	if p == nil {
		return
	}
	now := time.Now()
	if p.bar != nil && now.Sub(p.last) < progressPause {
		return
	}
	p.last = now
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("records"),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetWidth(10),
			progressbar.OptionClearOnFinish(),
		)
	}
	desc := untrusted.Text(name) + ": " + strconv.FormatInt(records, 10) + " records"
	if bytes > 0 {
		desc += ", " + byteSize(bytes) + " read"
	}
	p.bar.Describe(desc)
	_ = p.bar.Set64(records) // it writes to stderr: an error there has nowhere to go
}

// finish clears the bar; a later update starts another.
func (p *progress) finish() {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Finish()
	p.bar = nil
}

// progressJoined is a sample read with a progress bar: a Joined whose All
// updates the bar as records pass, and clears it when they end. Every
// other method is the Joined's, so that scoring sees its members and the
// positions of its records.
type progressJoined struct {
	*sampleset.Joined
	p    *progress
	name string
}

// withProgress returns j read with the progress bar p, or j itself when p
// shows nothing.
func withProgress(j *sampleset.Joined, p *progress, name string) sampleset.Records {
	if p == nil {
		return j
	}
	return progressJoined{Joined: j, p: p, name: name}
}

// All iterates over the Joined's records, updating the bar every
// progressEvery records.
func (r progressJoined) All(ctx context.Context) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		defer r.p.finish()
		var n int64
		for rec, err := range r.Joined.All(ctx) {
			if n++; n%progressEvery == 0 {
				r.p.update(r.name, n, r.Joined.Bytes())
			}
			if !yield(rec, err) {
				return
			}
		}
	}
}

// tickContext is a context whose Err calls tick first. A Reader's All
// checks its context every thousand records or so, on the goroutine that
// reads, which makes Err the hook through which profile, whose reading
// happens inside sampleset.ReadProfile, follows a member's progress.
type tickContext struct {
	context.Context
	tick func()
}

// Err calls tick, then returns the context's error.
func (c tickContext) Err() error {
	c.tick()
	return c.Context.Err()
}

// memberProgress returns ctx, with a hook that shows the progress of m
// while it is read, when p shows anything.
func memberProgress(ctx context.Context, p *progress, m *sampleset.Member) context.Context {
	if p == nil {
		return ctx
	}
	return tickContext{Context: ctx, tick: func() { p.update(m.Path, m.Reader.Info().Records, m.Bytes()) }}
}

// indexSummary is the line index ends with: the records, each kind with
// its valid share, the signature's size and its filters' false-positive
// rate (the highest of them, with the target).
func indexSummary(sig *fingerprint.Signature, size int64) string {
	var kinds []string
	worst := 0.0
	if sig.Pairs != nil {
		worst = sig.Pairs.FalsePositiveRate()
	}
	fields := slices.Clone(sig.Fields)
	slices.SortFunc(fields, func(a, b *fingerprint.FieldSketch) int { return int(a.Kind) - int(b.Kind) })
	for _, f := range fields {
		if f.Filter != nil {
			worst = max(worst, f.Filter.FalsePositiveRate())
		}
		if f.Values == 0 {
			continue
		}
		kinds = append(kinds, fmt.Sprintf("%s %.1f%% valid", f.Kind, 100*float64(f.Valid)/float64(f.Values)))
	}
	if len(kinds) == 0 {
		kinds = []string{"no values"}
	}
	return fmt.Sprintf("%s: %d records; %s; signature %s; false-positive rate %.2g (target %g)",
		untrusted.Text(sig.Meta.Name), sig.Meta.Records, strings.Join(kinds, ", "), byteSize(size), worst, sig.Meta.FPR)
}

// byteSize writes a size in bytes with a binary unit.
func byteSize(b int64) string {
	if b < 1024 {
		return strconv.FormatInt(b, 10) + " B"
	}
	x := float64(b)
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := -1
	for x >= 1024 && i < len(units)-1 {
		x /= 1024
		i++
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + " " + units[i]
}

// indexProgress returns the index.Options.Progress hook that shows the
// records and bytes read over all inputs on p, or nil when p shows
// nothing.
func indexProgress(p *progress) func(index.Progress) {
	if p == nil {
		return nil
	}
	var records, bytes int64 // of the inputs done
	return func(pr index.Progress) {
		p.update(pr.Input, records+pr.Records, bytes+pr.Bytes)
		if pr.Done {
			records, bytes = records+pr.Records, bytes+pr.Bytes
		}
	}
}
