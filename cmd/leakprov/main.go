// Command leakprov tells whether leaked data is a new breach or recycled
// from known dumps. It is a thin client of the packages sampleset,
// fingerprint and provenance; see shared/DESIGN.md for the CLI contract.
//
//	leakprov index   --name NAME [--snapshot YYYY-MM-DD] [--region CC] [--key-file F] [--fpr P]
//	                 [--capacity N] [--force] -o OUT.lps INPUT...
//	leakprov score   --catalog DIR|FILE... [--region CC] [--key-file F] [--schema NAME|FILE]
//	                 [--claimed-records N] [--format json|text|markdown|html] [--expect VERDICT]
//	                 [--sample N [--seed S]] [--show-values] SAMPLE
//	leakprov profile [--region CC] [--format json|text] INPUT
//	leakprov inspect [--format json|text] SIGNATURE
//	leakprov compare [--format json|text] A.lps B.lps
//	leakprov merge   [--force] -o OUT.lps SHARD.lps...
//	leakprov schemas [--format json|text]
//	leakprov keygen  -o KEY
//
// An INPUT or SAMPLE is a regular file, or "-" for standard input. Data
// goes to stdout, messages to stderr. Exit status: 0 on success, 1
// when an --expect check fails, 2 on bad input or usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

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

// expectError marks a failed --expect check.
type expectError struct{ got, want provenance.Verdict }

func (e expectError) Error() string {
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
}

const usage = `usage: leakprov COMMAND [flags] ARGS

commands:
  index    build a signature of a known dump
  score    score a leaked sample against a catalog of signatures
  profile  show how a file is read: format, encoding, columns and kinds
  inspect  describe a signature file
  compare  dump-to-dump overlap of two signatures
  merge    merge signatures of shards built with one --capacity
  schemas  list the built-in schemas of accused systems
  keygen   make a secret key for signatures that may be shared

Run "leakprov COMMAND -h" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// warnings is where commands write warnings: run's stderr.
var warnings io.Writer = os.Stderr

// stdin is what an input of "-" reads; tests replace it.
var stdin io.Reader = os.Stdin

func run(args []string, stdout, stderr io.Writer) int {
	warnings = stderr
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return exitBad
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "leakprov: unknown command %q\n%s", args[0], usage)
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
	fmt.Fprintf(stderr, "leakprov %s: %s\n", args[0], untrusted.Text(err.Error()))
	return exitBad
}

// parse parses flags that may come before, between or after the positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(os.Stderr)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usageError{err.Error()}
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

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
