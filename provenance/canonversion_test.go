package provenance

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A source built with an older normaliser version is scored, compared and
// catalogued with current ones, and the report says which values cannot
// match it; a version canon cannot compare is refused.
func TestScoreOlderNormaliserVersion(t *testing.T) {
	require.Equal(t, 2, canon.Version, "the sentence below is version 1's")
	h := unkeyed(t)
	world := synth.People(canon.UA, 51, 800)
	old := index(t, h, "bank-2016", "2016-10-01", canon.UA, table(t, world[:500], bankCols))
	old.Meta.CanonVersion = 1
	current := index(t, h, "social-2013", "2013-04-01", canon.UA, table(t, world[300:800], bankCols))
	cat := &Catalog{}
	require.NoError(t, cat.Add(old, "bank-2016.lps"), "a version 1 source in the catalog")
	require.NoError(t, cat.Add(current, "social-2013.lps"), "a version %d source next to it", canon.Version)

	rep := score(t, cat, table(t, world[:400], bankCols), Options{Hasher: h})
	want := "bank-2016 was built with normaliser version 1: values written with non-ASCII digits or full-width forms, " +
		"e-mail addresses in non-NFC form or past the RFC 5321 length limits, and e-mail domains with reserved or invalid IDNA labels " +
		"cannot match it; re-index it for exact figures."
	assert.Contains(t, rep.Evidence, want, "evidence: %q", rep.Evidence)
	n := 0
	for _, e := range rep.Evidence {
		if strings.Contains(e, "normaliser version") {
			n++
		}
	}
	assert.Equal(t, 1, n, "one line, for the old source only: %q", rep.Evidence)
	versions := map[string]int{}
	for _, s := range rep.Sources {
		versions[s.Name] = s.CanonVersion
	}
	assert.Equal(t, map[string]int{"bank-2016": 1, "social-2013": canon.Version}, versions, "canon_version of each source")
	var b bytes.Buffer
	require.NoError(t, rep.Render(&b, "json"))
	var js struct {
		Sources []struct {
			Name         string `json:"name"`
			CanonVersion int    `json:"canon_version"`
		} `json:"sources"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &js))
	for _, s := range js.Sources {
		assert.Equal(t, versions[s.Name], s.CanonVersion, "JSON canon_version of %s", s.Name)
	}
	// The old source still explains what it holds.
	for _, s := range rep.Sources {
		if s.Name == "bank-2016" {
			assert.InDelta(t, 1.0, s.Records.Estimate, 0.02, "records of the version 1 source")
		}
	}

	cmp, err := Compare(old, current)
	require.NoError(t, err, "compare a version 1 and a version %d signature", canon.Version)
	assert.NotEmpty(t, cmp.Kinds)

	future := index(t, h, "future", "", canon.UA, table(t, world[:10], bankCols))
	future.Meta.CanonVersion = canon.Version + 1
	_, err = Compare(current, future)
	assert.ErrorIs(t, err, fingerprint.ErrIncompatible, "compare with a newer normaliser version")
	alone := &Catalog{}
	require.NoError(t, alone.Add(future, "future.lps"), "a catalog of one newer source loads")
	assert.ErrorIs(t, alone.CheckHasher(h), fingerprint.ErrIncompatible, "but cannot be scored by this version")
	assert.ErrorIs(t, cat.Add(future, "future.lps"), fingerprint.ErrIncompatible, "nor join a catalog of current sources")
}
