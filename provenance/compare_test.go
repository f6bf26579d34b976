package provenance

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	fpindex "github.com/leakprov/leakprov/provenance/index"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emailDump builds the signature of a synthetic dump of one email column
// holding user{from}..user{to-1}@example.org.
func emailDump(t *testing.T, name string, from, to int) *fingerprint.Signature {
	t.Helper()
	var b strings.Builder
	b.WriteString("email\n")
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "user%d@example.org\n", i)
	}
	sig, err := fpindex.Build(t.Context(), fpindex.Options{Name: name, Region: canon.UA, Created: time.Unix(1735689600, 0)},
		fpindex.Reader(name+".csv", strings.NewReader(b.String())))
	require.NoErrorf(t, err, "index %s", name)
	return sig
}

// A comparison states the sketch values behind each figure, and says "too
// few to compare" for a figure resting on fewer than 50 of them.
func TestCompareStatesItsSketchCounts(t *testing.T) {
	for _, c := range []struct {
		what       string
		a, b       [2]int
		tooFew     bool
		wantInText []string
	}{
		{"two small dumps", [2]int{0, 600}, [2]int{300, 900}, true, []string{"too few to compare (n="}},
		{"two large dumps", [2]int{0, 30000}, [2]int{15000, 45000}, false, []string{"n="}},
	} {
		a, b := emailDump(t, "a", c.a[0], c.a[1]), emailDump(t, "b", c.b[0], c.b[1])
		cmp, err := Compare(a, b)
		require.NoErrorf(t, err, "%s: compare", c.what)
		require.Lenf(t, cmp.Kinds, 1, "%s: kinds compared", c.what)
		o := cmp.Kinds[0]
		assert.Equalf(t, c.tooFew, o.TooFew, "%s: too_few (sketches of %d and %d values)", c.what, o.SketchA, o.SketchB)
		assert.Equalf(t, c.tooFew, min(o.SketchA, o.SketchB) < 50, "%s: the sketches are as small as the case says (%d, %d)", c.what, o.SketchA, o.SketchB)
		var text bytes.Buffer
		require.NoError(t, cmp.WriteText(&text))
		for _, want := range c.wantInText {
			assert.Containsf(t, text.String(), want, "%s: text", c.what)
		}
		if c.tooFew {
			assert.NotContainsf(t, text.String(), pct(o.AInB.Estimate)+" [", "%s: no figure shown for a sketch of %d values", c.what, o.SketchA)
			continue
		}
		assert.NotContainsf(t, text.String(), "too few to compare (n=", "%s: text", c.what)
		for _, n := range []int{o.SketchA, o.SketchB, o.SketchA + o.SketchB - o.SketchShared} {
			assert.Containsf(t, text.String(), fmt.Sprintf("n=%d", n), "%s: the count behind each figure", c.what)
		}
		assert.InDeltaf(t, 0.5, o.AInB.Estimate, 0.15, "%s: half of A is in B", c.what)
	}
}
