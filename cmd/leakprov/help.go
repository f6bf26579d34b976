package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
)

// command is one command of the tool: how it is called and what it does.
type command struct {
	name  string
	args  string // the usage line after "leakprov NAME"
	about string
}

// commandList is the commands in the order the usage lists them.
var commandList = []command{
	{"index", "--name NAME -o OUT.lps [flags] INPUT...", "build a signature of a known dump"},
	{"score", "--catalog DIR|FILE... [flags] SAMPLE...", "score a leaked sample against a catalog of signatures"},
	{"profile", "[flags] INPUT...", "show how a file is read: format, encoding, columns and kinds"},
	{"inspect", "[flags] SIGNATURE", "describe a signature file"},
	{"compare", "[flags] A.lps B.lps", "dump-to-dump overlap of two signatures"},
	{"merge", "-o OUT.lps [--name NAME] [--snapshot YYYY-MM-DD] [flags] SHARD.lps...", "merge signatures of shards built with one --capacity"},
	{"schemas", "[flags]", "list the built-in schemas of accused systems"},
	{"keygen", "-o KEY", "make a secret key for signatures that may be shared"},
	{"version", "[flags]", "print the versions of the tool, its canonical forms and its file format"},
}

// lookupCommand returns the command named name.
func lookupCommand(name string) (command, bool) {
	i := slices.IndexFunc(commandList, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commandList[i], true
}

// usageText is the tool's usage: its commands.
func usageText() string {
	var b strings.Builder
	b.WriteString("usage: leakprov COMMAND [flags] ARGS\n\ncommands:\n")
	for _, c := range commandList {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.about)
	}
	b.WriteString("\nRun \"leakprov COMMAND -h\" for a command's arguments and flags, \"leakprov --version\" for the version.\n")
	return b.String()
}

// writeHelp writes a command's help: its usage line naming its arguments,
// what it does, then its flags.
func writeHelp(w io.Writer, fs *flag.FlagSet) {
	var b strings.Builder
	c, _ := lookupCommand(fs.Name())
	fmt.Fprintf(&b, "usage: leakprov %s %s\n\n%s.\n", fs.Name(), c.args, capitalise(c.about))
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) > 0 {
		b.WriteString("\nflags:\n")
	}
	for _, f := range flags {
		arg, use := flag.UnquoteUsage(f)
		b.WriteString("  " + dashes(f.Name) + f.Name)
		if arg != "" {
			b.WriteString(" " + arg)
		}
		b.WriteString("\n        " + use)
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "[]" {
			fmt.Fprintf(&b, " (default %s)", d)
		}
		b.WriteString("\n")
	}
	io.WriteString(w, b.String())
}

// dashes is how a flag is written: -o, --name.
func dashes(name string) string {
	if len(name) == 1 {
		return "-"
	}
	return "--"
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// flagError rewrites an error of fs.Parse for the user: an unknown flag
// with the nearest one, others with where to find the flags.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	name, unknown := strings.CutPrefix(msg, "flag provided but not defined: ")
	if !unknown {
		return usageError{fmt.Sprintf("%s (leakprov %s -h lists the flags)", msg, fs.Name())}
	}
	name = strings.TrimLeft(name, "-")
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if near := nearest(name, names); near != "" {
		return usageError{fmt.Sprintf("unknown flag %s%s: did you mean %s%s? (leakprov %s -h lists the flags)", dashes(name), name, dashes(near), near, fs.Name())}
	}
	return usageError{fmt.Sprintf("unknown flag %s%s (leakprov %s -h lists the flags)", dashes(name), name, fs.Name())}
}

// nearest returns the candidate nearest to s by edit distance, when it is
// near enough to be what was meant (at most 2 edits, fewer than s has
// letters), or the one candidate s starts; else "".
func nearest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD && d < len(s) {
			best, bestD = c, d
		}
	}
	if best != "" {
		return best
	}
	var prefixed []string
	for _, c := range candidates {
		if len(s) >= 2 && strings.HasPrefix(c, s) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, counted in
// bytes (flag and command names are ASCII), with an adjacent swap
// counting as one edit. Inputs longer than 64 bytes are not compared.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return max(len(a), len(b))
	}
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// packagePrefix matches the package names the library's errors start
// with, wherever wrapping left them in a message.
var packagePrefix = regexp.MustCompile(`(^|[\s(])(sampleset|provenance|fingerprint|index): `)

// stripPrefixes removes the package prefixes from an error message,
// leaving the rest: "leak.csv:3: sampleset: bad quote" is "leak.csv:3: bad
// quote".
func stripPrefixes(msg string) string { return packagePrefix.ReplaceAllString(msg, "$1") }

// hasFlag reports whether args, a command's arguments, set the flag name.
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimLeft(a, "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// kindNames lists the kinds a column may be mapped to.
func kindNames() string {
	var names []string
	for k := canon.Kind(0); k < canon.KindCount; k++ {
		if k != canon.NameBirthDate {
			names = append(names, k.String())
		}
	}
	return strings.Join(names, ", ")
}

// hint says what to do about err, an error of the command cmd called with
// args, or "" when the message says it already.
func hint(cmd string, args []string, err error) string {
	var pe *sampleset.ParseError
	var re *sampleset.RegionError
	switch {
	case errors.Is(err, sampleset.ErrAmbiguousEncoding):
		return "name the encoding with --encoding, e.g. --encoding windows-1251, koi8-u, koi8-r or cp866 (leakprov profile --encoding NAME shows how the file then reads)"
	case errors.As(err, &re):
		return fmt.Sprintf("the values are %s's: give --region %s or leave --region out; add --force-region to keep --region %s all the same", re.Detected, re.Detected, re.Region)
	case errors.Is(err, sampleset.ErrUnknownEncoding):
		return "--encoding takes a name such as utf-8, utf-16le, windows-1251, koi8-u, koi8-r, cp866 or iso-8859-5"
	case errors.As(err, &pe) && !hasFlag(args, "skip-bad"):
		if errors.Is(err, sampleset.ErrEncoding) && !hasFlag(args, "encoding") {
			return "if the file is not UTF-8, name its encoding with --encoding; or add --skip-bad to count and skip such records"
		}
		return "add --skip-bad to count and skip malformed records instead of stopping at the first"
	case errors.Is(err, index.ErrNoIdentifiers):
		return "name a column's kind with --map COLUMN=KIND (kinds: " + kindNames() + "); leakprov profile shows the columns as detected"
	case errors.Is(err, index.ErrCapacity):
		return "--capacity is for shards to be merged: give every shard the distinct values of the whole dump, or leave it out to size the filters to the data"
	case errors.Is(err, provenance.ErrUnknownSchema):
		return "leakprov schemas lists the built-in schemas; --schema also takes a YAML or JSON file"
	case errors.Is(err, fingerprint.ErrIncompatible):
		return keyHint(cmd, args, err.Error())
	}
	return ""
}

// keyHint says what to do when signatures, or a sample and a catalog,
// were hashed apart.
func keyHint(cmd string, args []string, msg string) string {
	keyed, unkeyed := strings.Index(msg, fingerprint.KeyedSipHash.String()), strings.Index(msg, fingerprint.Unkeyed.String())
	switch {
	case cmd != "score":
		if keyed >= 0 && unkeyed >= 0 || strings.Contains(msg, " has key ") {
			return "signatures hashed with different keys (or one with none) cannot be merged or compared: index them all with one --key-file"
		}
	case !hasFlag(args, "key-file") && keyed >= 0:
		return "the catalog is keyed: add --key-file KEY, the key it was built with"
	case hasFlag(args, "key-file") && unkeyed >= 0 && keyed > unkeyed:
		return "the catalog is unkeyed: leave --key-file out"
	case strings.Contains(msg, " has key "):
		return "the catalog was built with another key: give --key-file the key it was built with"
	}
	return ""
}
