package canon

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The oracle test compares the fast path of AppendPhone with libphonenumber
// (github.com/nyaruka/phonenumbers: Parse with the region, IsValidNumber,
// Format E164) on synthetic numbers of each fast-path country written in
// many ways.
//
// The reference is libphonenumber itself, except for the spellings that
// AppendPhone accepts on purpose and libphonenumber does not know; for those
// the reference parses the equivalent standard spelling instead:
//   - the old Ukrainian "8 0XX" form: the number with the 8 removed;
//   - "00" as an international prefix in RU and KZ (libphonenumber knows
//     only "810" there): the number with "00" replaced by "+";
//   - a number written with the calling code of a fast-path country but no
//     '+' ("79123456789") that libphonenumber does not read under the
//     region (it strips only the region's own code, and for KZ only when
//     the rest fits Kazakh ranges): the digits with '+' in front;
//   - one input in seven written with the digits of another script or in
//     full-width forms (libphonenumber reads only full-width and
//     Arabic-Indic digits): the same input in ASCII.
// Both the raw agreement (libphonenumber on the input exactly as written)
// and the agreement with the reference are logged; the assertion is on the
// reference.

// phoneOracleCases is the number of synthetic inputs per country.
const phoneOracleCases = 10_000

// phoneOracleMinAgreement is the share of inputs on which the fast path
// must agree with the reference, per country.
const phoneOracleMinAgreement = 0.999

// phoneOracleCase is one synthetic input, the input the reference parses
// and the rendering used, for messages.
type phoneOracleCase struct {
	input, reference, rendering string
}

func TestPhoneOracle(t *testing.T) {
	for i, region := range []Region{UA, RU, KZ, IN} {
		t.Run(string(region), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(20240601, uint64(i)))
			cases := phoneOracleGenerate(t, rng, region)
			require.Len(t, cases, phoneOracleCases)

			agree, agreeRaw, valid, mobileChecked := 0, 0, 0, 0
			var disagreements []string
			byRendering, rawByRendering := map[string]int{}, map[string]int{}
			for _, c := range cases {
				got, st := AppendPhone(nil, c.input, region)
				want, wst := phoneReference(c.reference, region)
				if alt, ok := phoneOracleBareCC(c.reference); ok && wst == Invalid {
					want, wst = phoneReference(alt, region)
				}
				if wst == Valid {
					valid++
				}
				if st == wst && string(got) == string(want) {
					agree++
				} else {
					byRendering[c.rendering]++
					disagreements = append(disagreements, fmt.Sprintf("%-12s %q: fast %v %q, reference(%q) %v %q",
						c.rendering, c.input, st, got, c.reference, wst, want))
				}
				if raw, rst := phoneReference(c.input, region); rst == st && string(raw) == string(got) {
					agreeRaw++
				} else {
					rawByRendering[c.rendering]++
				}
				// phoneMobile must agree with libphonenumber's number type.
				if st == Valid {
					num, err := phonenumbers.Parse(string(got), "")
					require.NoError(t, err, c.input)
					nt := phonenumbers.GetNumberType(num)
					want := nt == phonenumbers.MOBILE || nt == phonenumbers.FIXED_LINE_OR_MOBILE
					assert.Equal(t, want, phoneMobile(got), "phoneMobile(%s) from %q", got, c.input)
					mobileChecked++
				}
			}
			n := len(cases)
			t.Logf("%s: agreement with reference %d/%d (%.3f%%), raw libphonenumber %d/%d (%.3f%%), %d valid, %d phoneMobile checks",
				region, agree, n, 100*float64(agree)/float64(n), agreeRaw, n, 100*float64(agreeRaw)/float64(n), valid, mobileChecked)
			for _, d := range disagreements {
				t.Logf("disagreement: %s", d)
			}
			t.Logf("raw libphonenumber disagreements by rendering: %v", rawByRendering)
			if len(byRendering) > 0 {
				t.Logf("disagreements by rendering: %v", byRendering)
			}
			// The generator must exercise both outcomes.
			assert.Greater(t, valid, n/3, "%s: too few valid numbers generated", region)
			assert.Greater(t, n-valid, n/10, "%s: too few invalid numbers generated", region)
			assert.GreaterOrEqual(t, float64(agree)/float64(n), phoneOracleMinAgreement,
				"%s: fast path agrees with libphonenumber on %d of %d", region, agree, n)
		})
	}
}

// phoneReference canonicalises s the libphonenumber way.
func phoneReference(s string, region Region) ([]byte, Status) {
	num, err := phonenumbers.Parse(s, string(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return nil, Invalid
	}
	return []byte(phonenumbers.Format(num, phonenumbers.E164)), Valid
}

// phoneOracleBareCC returns "+" and the digits of s when s is written
// without '+', only with digits and separators, and starts with 380, 7 or 91.
func phoneOracleBareCC(s string) (string, bool) {
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" -./()", r):
		default:
			return "", false
		}
	}
	d := b.String()[1:]
	if strings.HasPrefix(d, "380") || strings.HasPrefix(d, "7") || strings.HasPrefix(d, "91") {
		return b.String(), true
	}
	return "", false
}

// phoneOracleGenerate generates the inputs for one country.
func phoneOracleGenerate(t testing.TB, rng *rand.Rand, region Region) []phoneOracleCase {
	dfa := phoneDFAFor(region)
	require.NotNil(t, dfa)
	cc := map[Region]string{UA: "380", RU: "7", KZ: "7", IN: "91"}[region]
	trunk := map[Region]string{UA: "0", RU: "8", KZ: "8", IN: "0"}[region]
	out := make([]phoneOracleCase, 0, phoneOracleCases)
	for len(out) < phoneOracleCases {
		nat := phoneOracleNational(rng, dfa, region)
		c := phoneOracleRender(rng, region, cc, trunk, nat)
		if n := len(out); n%phoneOracleScriptEvery == 3 {
			c = phoneOracleInScript(c, n/phoneOracleScriptEvery)
		}
		out = append(out, c)
	}
	return out
}

// phoneOracleScriptEvery: one input in this many is written with the
// digits of another script, or in full-width forms.
const phoneOracleScriptEvery = 7

// phoneOracleInScript rewrites the input of c with the digits of the i-th
// of numericScripts, or in full-width forms after the last; the reference
// stays in ASCII, so the fast path must read the digits as ASCII ones.
// libphonenumber itself knows only the full-width and the two Arabic-Indic
// sets, which the raw agreement shows.
func phoneOracleInScript(c phoneOracleCase, i int) phoneOracleCase {
	i %= len(numericScripts) + 1
	if i == len(numericScripts) {
		c.input, c.rendering = fullWidth(c.input), c.rendering+"+full-width"
		return c
	}
	sc := numericScripts[i]
	c.input, c.rendering = inScript(c.input, sc.zero), c.rendering+"+"+sc.name
	return c
}

// phoneOracleNational draws a national significant number: mostly a valid
// one (a random walk through the region's automaton), otherwise random
// digits, a valid number with a digit dropped or added, or one with its
// first digit replaced.
func phoneOracleNational(rng *rand.Rand, dfa *phoneDFA, region Region) string {
	switch p := rng.IntN(100); {
	case p < 55:
		return phoneOracleWalk(rng, dfa)
	case p < 70: // random digits of a typical length
		n := map[Region]int{UA: 9, RU: 10, KZ: 10, IN: 10}[region] + rng.IntN(3) - 1
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		if b[0] == '0' {
			b[0] = byte('1' + rng.IntN(9))
		}
		return string(b)
	case p < 80: // wrong length: a digit dropped
		v := phoneOracleWalk(rng, dfa)
		i := 1 + rng.IntN(len(v)-1)
		return v[:i] + v[i+1:]
	case p < 90: // wrong length: a digit added
		v := phoneOracleWalk(rng, dfa)
		i := 1 + rng.IntN(len(v))
		return v[:i] + string(rune('0'+rng.IntN(10))) + v[i:]
	default: // wrong range: first digit replaced
		v := phoneOracleWalk(rng, dfa)
		return string(rune('1'+rng.IntN(9))) + v[1:]
	}
}

// phoneOracleWalk draws a valid national number by a random walk from the
// start state, stopping at accepting states with some probability.
func phoneOracleWalk(rng *rand.Rand, dfa *phoneDFA) string {
	var b []byte
	s := uint16(1)
	for {
		var live []int
		for d := range 10 {
			if dfa.next[s][d] != 0 {
				live = append(live, d)
			}
		}
		if dfa.label[s] != ptNone && (len(live) == 0 || rng.IntN(3) == 0) {
			return string(b)
		}
		d := live[rng.IntN(len(live))]
		b = append(b, byte('0'+d))
		s = dfa.next[s][d]
	}
}

// phoneOracleGroup inserts separators into digits the way people write
// numbers: groups of 2 to 4, joined by one separator, sometimes with the
// first group in parentheses.
func phoneOracleGroup(rng *rand.Rand, digits string) string {
	seps := []string{"", " ", "-", ".", " ", "/"}
	sep := seps[rng.IntN(len(seps))]
	var b strings.Builder
	first := true
	paren := rng.IntN(4) == 0
	for len(digits) > 0 {
		n := min(2+rng.IntN(3), len(digits))
		switch {
		case first && paren:
			b.WriteString("(" + digits[:n] + ") ")
		case first:
			b.WriteString(digits[:n])
		default:
			b.WriteString(sep + digits[:n])
		}
		first = false
		digits = digits[n:]
	}
	return b.String()
}

// phoneOracleRender writes nat in one of the spellings seen in dumps.
func phoneOracleRender(rng *rand.Rand, region Region, cc, trunk, nat string) phoneOracleCase {
	g := func(s string) string { return phoneOracleGroup(rng, s) }
	renderings := []string{"plus", "plus-grouped", "plus-paren", "bare-cc", "idd-00", "trunk", "trunk-grouped", "national", "tel", "extension", "plus-trunk", "bare-cc-trunk", "nbsp"}
	switch region {
	case UA:
		renderings = append(renderings, "ua-8-0xx", "ua-8-0xx", "plus-38-0")
	case RU, KZ:
		renderings = append(renderings, "idd-810")
	}
	r := renderings[rng.IntN(len(renderings))]
	c := phoneOracleCase{rendering: r}
	switch r {
	case "plus":
		c.input = "+" + cc + nat
	case "plus-grouped":
		c.input = "+" + cc + " " + g(nat)
	case "plus-paren":
		n := min(3, len(nat))
		c.input = "+" + cc + " (" + nat[:n] + ") " + g(nat[n:])
	case "plus-38-0": // "+38 (067) 123-45-67"
		n := min(2, len(nat))
		c.input = "+38 (0" + nat[:n] + ") " + g(nat[n:])
	case "bare-cc":
		c.input = cc + g(nat)
	case "idd-00":
		c.input = "00" + cc + " " + g(nat)
		if region == RU || region == KZ {
			c.reference = "+" + cc + " " + nat
		}
	case "idd-810":
		c.input = "810 " + cc + " " + g(nat)
	case "trunk":
		c.input = trunk + nat
	case "trunk-grouped":
		c.input = g(trunk + nat)
	case "national":
		c.input = g(nat)
	case "tel":
		c.input = "tel:+" + cc + "-" + g(nat)
	case "extension":
		c.input = "+" + cc + " " + g(nat) + []string{" ext. ", " x", ";ext=", " ext "}[rng.IntN(4)] + fmt.Sprint(1+rng.IntN(999))
	case "plus-trunk": // "+7 8 912 ...", "+380 0 67 ..."
		c.input = "+" + cc + " " + trunk + " " + g(nat)
	case "bare-cc-trunk":
		c.input = cc + trunk + nat
	case "nbsp":
		c.input = "+" + cc + "\u00a0" + strings.ReplaceAll(g(nat), " ", "\u00a0")
	case "ua-8-0xx":
		c.input = "8 " + g(trunk+nat)
		c.reference = strings.TrimPrefix(c.input, "8 ")
	}
	if c.reference == "" {
		c.reference = c.input
	}
	return c
}
