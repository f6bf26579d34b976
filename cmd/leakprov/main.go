// Command leakprov tells whether leaked data is a new breach or recycled
// from known dumps. It is a thin client of the packages sampleset,
// fingerprint and provenance; see shared/DESIGN.md for the CLI contract.
//
//	leakprov index   --name NAME [--snapshot YYYY-MM-DD] [--region CC] [--key-file F] [--fpr P]
//	                 [--capacity N] [--force] [-q] -o OUT.lps INPUT...
//	leakprov score   --catalog DIR|FILE... [--region CC] [--key-file F] [--schema NAME|FILE]
//	                 [--claimed-records N] [--format FORMAT] [--expect VERDICT [--expect-uncertain-ok]]
//	                 [--sample N [--seed S]] [--show-values] [-q] SAMPLE...
//	leakprov profile [--region CC] [--format json|text] [-q] INPUT...
//	leakprov inspect [--format json|text] SIGNATURE
//	leakprov compare [--format json|text] A.lps B.lps
//	leakprov merge   [--name NAME] [--snapshot YYYY-MM-DD] [--force] -o OUT.lps SHARD.lps...
//	leakprov schemas [--format json|text]
//	leakprov keygen  -o KEY
//	leakprov version [--format json|text]     (also leakprov --version)
//
// "leakprov COMMAND -h" starts with the command's usage line, then lists
// its flags. An INPUT or SAMPLE is a regular file, an archive, a
// directory, or "-" for standard input. Data goes to stdout, messages to
// stderr; index, score and profile show a progress bar there when it is a
// terminal, and index ends with a one-line summary, unless -q. Exit
// status: 0 on success, 1 when an --expect check fails (another verdict,
// or the expected one while uncertain, unless --expect-uncertain-ok), 2 on
// bad input or usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/leakprov/leakprov/internal/untrusted"
	"github.com/leakprov/leakprov/provenance"
)

const (
	exitOK     = 0
	exitExpect = 1
	exitBad    = 2
)

// usageError marks errors in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// expectError marks a failed --expect check: another verdict, or the
// expected one while uncertain (could lists the verdicts its interval
// allows).
type expectError struct {
	got, want provenance.Verdict
	explained provenance.Interval
	could     []provenance.Verdict
}

func (e expectError) Error() string {
	if e.got == e.want && len(e.could) > 1 {
		others := make([]string, 0, len(e.could))
		for _, v := range e.could {
			if v != e.got {
				others = append(others, string(v))
			}
		}
		return fmt.Sprintf("verdict %s, expected %s, but uncertain: the explained share's 95%% interval %.1f%%–%.1f%% allows %s too (--expect-uncertain-ok accepts it)",
			e.got, e.want, 100*e.explained.Low, 100*e.explained.High, strings.Join(others, " or "))
	}
	return fmt.Sprintf("verdict %s, expected %s", e.got, e.want)
}

var commands = map[string]func(ctx context.Context, args []string, stdout io.Writer) error{
	"index":   cmdIndex,
	"score":   cmdScore,
	"profile": cmdProfile,
	"inspect": cmdInspect,
	"compare": cmdCompare,
	"merge":   cmdMerge,
	"schemas": cmdSchemas,
	"keygen":  cmdKeygen,
	"version": cmdVersion,
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// warnings is where commands write warnings, progress and summaries:
// run's stderr.
var warnings io.Writer = os.Stderr

// stdin is what an input of "-" reads; tests replace it.
var stdin io.Reader = os.Stdin

func run(args []string, stdout, stderr io.Writer) int {
	warnings = stderr
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText())
		return exitBad
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stderr, usageText())
		return exitOK
	case "help":
		if len(args) == 1 {
			fmt.Fprint(stderr, usageText())
			return exitOK
		}
		return run([]string{args[1], "-h"}, stdout, stderr)
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		names := make([]string, 0, len(commands))
		for _, c := range commandList {
			names = append(names, c.name)
		}
		msg := fmt.Sprintf("unknown command %q", args[0])
		if near := nearest(args[0], names); near != "" {
			msg += fmt.Sprintf(": did you mean %q?", near)
		}
		fmt.Fprintf(stderr, "leakprov: %s\n\n%s", untrusted.Text(msg), usageText())
		return exitBad
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := cmd(ctx, args[1:], stdout)
	var ee expectError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ee):
		fmt.Fprintf(stderr, "leakprov: %s\n", untrusted.Text(err.Error()))
		return exitExpect
	}
	// The one place errors reach the user: without the package names the
	// library's messages start with, and with what to do about them.
	fmt.Fprintf(stderr, "leakprov %s: %s\n", args[0], untrusted.Text(stripPrefixes(err.Error())))
	if h := hint(args[0], args[1:], err); h != "" {
		fmt.Fprintf(stderr, "hint: %s\n", h)
	}
	return exitBad
}

// parse parses flags that may come before, between or after the positional
// arguments, and returns the positional ones. -h writes the command's
// usage line and flags to stderr and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				writeHelp(warnings, fs)
				return nil, err
			}
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// isSet reports whether the flag name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
