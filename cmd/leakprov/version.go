package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// versionInfo is what `leakprov version` prints. Its JSON form names the
// fields as reports and notebooks do.
type versionInfo struct {
	// Module is the module version the binary was built from: a tag such
	// as v1.2.0 when installed with go install, "(devel)" from a checkout.
	Module string `json:"module_version"`
	// Commit is the VCS revision the binary was built from, when the
	// build recorded it; Modified says the work tree had changes.
	Commit   string `json:"commit,omitempty"`
	Time     string `json:"commit_time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	// Tool is what signatures record as their producer.
	Tool string `json:"tool"`
	// CanonVersion is the version of the canonical forms, FormatVersion
	// the newest signature file format written.
	CanonVersion  int    `json:"canon_version"`
	FormatVersion int    `json:"format_version"`
	Go            string `json:"go"`
}

// buildInfo is debug.ReadBuildInfo; tests replace it.
var buildInfo = debug.ReadBuildInfo

// currentVersion describes this binary.
func currentVersion() versionInfo {
	v := versionInfo{Module: "(devel)", Tool: fingerprint.Tool, CanonVersion: canon.Version,
		FormatVersion: fingerprint.FormatVersion, Go: runtime.Version()}
	bi, ok := buildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Module = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// WriteText writes the version for a terminal.
func (v versionInfo) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "leakprov %s\n", v.Module)
	if v.Commit != "" {
		fmt.Fprintf(&b, "commit %s", v.Commit)
		if v.Time != "" {
			fmt.Fprintf(&b, " (%s)", v.Time)
		}
		if v.Modified {
			b.WriteString(", with local changes")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "canonical forms version %d (CanonVersion)\n", v.CanonVersion)
	fmt.Fprintf(&b, "signature format version %d (FormatVersion)\n", v.FormatVersion)
	fmt.Fprintf(&b, "signatures made by %s, built with %s\n", v.Tool, v.Go)
	_, err := io.WriteString(w, b.String())
	return err
}

func cmdVersion(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	format := jsonOrText(fs)
	if _, err := parseExactly(fs, args, 0, "version takes no arguments"); err != nil {
		return err
	}
	if err := checkFormat(*format, "json", "text"); err != nil {
		return err
	}
	return output(stdout, *format, currentVersion())
}
