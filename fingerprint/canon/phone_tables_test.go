package canon

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"math/rand/v2"
	"os"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The number-range tables in phone_tables.go are generated from the
// libphonenumber metadata shipped in github.com/nyaruka/phonenumbers (the
// version pinned in go.mod). TestPhoneTablesCurrent fails when the committed
// file differs from what the metadata gives; regenerate it with
//
//	go test ./fingerprint -run TestPhoneTablesCurrent -update-phone-tables
var updatePhoneTables = flag.Bool("update-phone-tables", false, "rewrite phone_tables.go from the phonenumbers metadata")

const phoneTablesFile = "phone_tables.go"

// phoneTableRegions are the regions whose number ranges the fast path owns,
// in the order they are written.
var phoneTableRegions = []string{"UA", "RU", "KZ", "IN"}

func TestPhoneTablesCurrent(t *testing.T) {
	src := generatePhoneTables(t)
	if *updatePhoneTables {
		require.NoError(t, os.WriteFile(phoneTablesFile, src, 0o644))
		return
	}
	have, err := os.ReadFile(phoneTablesFile)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(have, src),
		"%s is stale: regenerate with -update-phone-tables", phoneTablesFile)
}

// TestPhoneTablesAgreeWithMetadata cross-checks the generated automata
// against libphonenumber's own GetNumberType on sampled national numbers,
// so a bug in the generator cannot hide behind TestPhoneTablesCurrent.
func TestPhoneTablesAgreeWithMetadata(t *testing.T) {
	for _, region := range phoneTableRegions {
		md := phoneMetadata(t, region)
		dfa := phoneDFAFor(Region(region))
		cc := int32(md.GetCountryCode())
		samples := phoneTableSamples(md)
		require.NotEmpty(t, samples, region)
		bad := 0
		for _, nat := range samples {
			got := dfa.classify([]byte(nat))
			n, err := strconv.ParseUint(nat, 10, 64)
			require.NoError(t, err)
			num := &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &n}
			if nat[0] == '0' {
				lead := true
				num.ItalianLeadingZero = &lead
				z := int32(len(nat) - len(strings.TrimLeft(nat, "0")))
				num.NumberOfLeadingZeros = &z
			}
			want := phoneTypeOf(phonenumbers.GetNumberType(num))
			// For +7 the region is chosen by the leading digit; the table of
			// one region only answers for its own leading digits.
			if cc == 7 && phonenumbers.GetRegionCodeForNumber(num) != region {
				continue
			}
			if got != want && bad < 20 {
				t.Errorf("%s national %s: table says %d, libphonenumber %d", region, nat, got, want)
			}
			if got != want {
				bad++
			}
		}
		assert.Zero(t, bad, "%s: %d of %d samples disagree", region, bad, len(samples))
	}
}

// phoneTypeOf maps libphonenumber's number type onto phoneType.
func phoneTypeOf(t phonenumbers.PhoneNumberType) phoneType {
	switch t {
	case phonenumbers.FIXED_LINE:
		return ptFixed
	case phonenumbers.MOBILE:
		return ptMobile
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		return ptFixedOrMobile
	case phonenumbers.TOLL_FREE:
		return ptTollFree
	case phonenumbers.PREMIUM_RATE:
		return ptPremium
	case phonenumbers.SHARED_COST:
		return ptShared
	case phonenumbers.VOIP:
		return ptVoIP
	case phonenumbers.PERSONAL_NUMBER:
		return ptPersonal
	case phonenumbers.PAGER:
		return ptPager
	case phonenumbers.UAN:
		return ptUAN
	case phonenumbers.VOICEMAIL:
		return ptVoicemail
	}
	return ptNone
}

// phoneTableSamples gives national numbers that walk every edge of the
// automaton: every example number, and for every prefix reachable in the
// automaton each digit continuation padded to every length from 1 to 15.
func phoneTableSamples(md *phonenumbers.PhoneMetadata) []string {
	var out []string
	rng := rand.New(rand.NewPCG(1, 2))
	dfa := phoneDFAFor(Region(md.GetId()))
	// Breadth-first over automaton states, remembering one prefix per state.
	seen := make([]bool, len(dfa.next))
	type item struct {
		state  uint16
		prefix string
	}
	queue := []item{{1, ""}}
	seen[1] = true
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		for d := 0; d < 10; d++ {
			p := it.prefix + string(rune('0'+d))
			for l := len(p); l <= 15; l++ {
				out = append(out, p+strings.Repeat(string(rune('0'+(l*7+d)%10)), l-len(p)))
				tail := make([]byte, l-len(p))
				for i := range tail {
					tail[i] = byte('0' + rng.IntN(10))
				}
				out = append(out, p+string(tail))
			}
			ns := dfa.next[it.state][d]
			if ns != 0 && !seen[ns] {
				seen[ns] = true
				queue = append(queue, item{ns, p})
			}
		}
	}
	return out
}

func phoneMetadata(t testing.TB, region string) *phonenumbers.PhoneMetadata {
	coll, err := phonenumbers.MetadataCollection()
	require.NoError(t, err)
	for _, md := range coll.GetMetadata() {
		if md.GetId() == region {
			return md
		}
	}
	t.Fatalf("no phonenumbers metadata for %s", region)
	return nil
}

// generatePhoneTables builds the source of phone_tables.go.
func generatePhoneTables(t testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by TestPhoneTablesCurrent (phone_tables_test.go) from the\n")
	b.WriteString("// libphonenumber metadata in github.com/nyaruka/phonenumbers; DO NOT EDIT.\n\n")
	b.WriteString("package canon\n\n")
	for _, region := range phoneTableRegions {
		md := phoneMetadata(t, region)
		next, label := buildPhoneDFA(t, md)
		fmt.Fprintf(&b, "// phoneDFA%s classifies %s national significant numbers (%d states).\n", region, region, len(next))
		fmt.Fprintf(&b, "var phoneDFA%s = phoneDFA{\n\tnext: [][10]uint16{\n", region)
		for _, row := range next {
			b.WriteString("\t\t{")
			for i, v := range row {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strconv.Itoa(int(v)))
			}
			b.WriteString("},\n")
		}
		b.WriteString("\t},\n\tlabel: []phoneType{")
		for i, v := range label {
			if i%32 == 0 {
				b.WriteString("\n\t\t")
			} else {
				b.WriteString(" ")
			}
			b.WriteString(strconv.Itoa(int(v)))
			b.WriteString(",")
		}
		b.WriteString("\n\t},\n}\n\n")
	}
	src, err := format.Source(b.Bytes())
	require.NoError(t, err)
	return src
}

// phoneNFA is one compiled pattern of the metadata, run as a set of
// program counters (a Thompson simulation).
type phoneNFA struct {
	prog *syntax.Prog
}

func newPhoneNFA(t testing.TB, pattern string) phoneNFA {
	re, err := syntax.Parse("(?:"+pattern+")", syntax.Perl)
	require.NoError(t, err, pattern)
	prog, err := syntax.Compile(re.Simplify())
	require.NoError(t, err, pattern)
	return phoneNFA{prog}
}

// closure adds pc and everything reachable from it without input.
func (n phoneNFA) closure(set map[uint32]bool, pc uint32) {
	if set[pc] {
		return
	}
	set[pc] = true
	in := &n.prog.Inst[pc]
	switch in.Op {
	case syntax.InstAlt, syntax.InstAltMatch:
		n.closure(set, in.Out)
		n.closure(set, in.Arg)
	case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
		n.closure(set, in.Out)
	}
}

func (n phoneNFA) start() []uint32 {
	set := map[uint32]bool{}
	n.closure(set, uint32(n.prog.Start))
	return phoneSorted(set)
}

func (n phoneNFA) step(cur []uint32, digit rune) []uint32 {
	set := map[uint32]bool{}
	for _, pc := range cur {
		in := &n.prog.Inst[pc]
		switch in.Op {
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			if in.MatchRune(digit) {
				n.closure(set, in.Out)
			}
		}
	}
	return phoneSorted(set)
}

func (n phoneNFA) matched(cur []uint32) bool {
	for _, pc := range cur {
		if n.prog.Inst[pc].Op == syntax.InstMatch {
			return true
		}
	}
	return false
}

func phoneSorted(set map[uint32]bool) []uint32 {
	out := make([]uint32, 0, len(set))
	for pc := range set {
		out = append(out, pc)
	}
	slices.Sort(out)
	return out
}

// phoneDescs lists the number descriptions in the order libphonenumber's
// getNumberTypeHelper tests them, with the type each one yields.
func phoneDescs(md *phonenumbers.PhoneMetadata) ([]*phonenumbers.PhoneNumberDesc, []phoneType) {
	return []*phonenumbers.PhoneNumberDesc{
			md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(), md.GetVoip(),
			md.GetPersonalNumber(), md.GetPager(), md.GetUan(), md.GetVoicemail(),
			md.GetFixedLine(), md.GetMobile(),
		}, []phoneType{
			ptPremium, ptTollFree, ptShared, ptVoIP,
			ptPersonal, ptPager, ptUAN, ptVoicemail,
			ptFixed, ptMobile,
		}
}

// phoneMaxNational bounds the automaton's depth; libphonenumber's longest
// national significant number has 17 digits.
const phoneMaxNational = 17

// buildPhoneDFA compiles the metadata of one region into a minimal
// deterministic automaton over the digits of a national significant number:
// state 0 rejects everything, state 1 is the start, and label[s] is the type
// libphonenumber's getNumberTypeHelper gives a number ending in state s.
func buildPhoneDFA(t testing.TB, md *phonenumbers.PhoneMetadata) ([][10]uint16, []phoneType) {
	descs, types := phoneDescs(md)
	all := append([]*phonenumbers.PhoneNumberDesc{md.GetGeneralDesc()}, descs...)
	nfas := make([]phoneNFA, len(all))
	for i, d := range all {
		pat := d.GetNationalNumberPattern()
		if d == nil || pat == "" || pat == "NA" {
			pat = `[^\s\S]` // matches nothing
		}
		nfas[i] = newPhoneNFA(t, pat)
	}
	lengthOK := func(d *phonenumbers.PhoneNumberDesc, n int) bool {
		if d == nil || len(d.PossibleLength) == 0 {
			return true
		}
		return slices.Contains(d.PossibleLength, int32(n))
	}
	labelOf := func(length int, sets [][]uint32) phoneType {
		if !nfas[0].matched(sets[0]) || !lengthOK(all[0], length) {
			return ptNone
		}
		matches := func(i int) bool { return all[i] != nil && nfas[i].matched(sets[i]) && lengthOK(all[i], length) }
		for i := 1; i <= 8; i++ { // premium .. voicemail
			if matches(i) {
				return types[i-1]
			}
		}
		fixed, mobile := matches(9), matches(10)
		switch {
		case fixed && (md.GetSameMobileAndFixedLinePattern() || mobile):
			return ptFixedOrMobile
		case fixed:
			return ptFixed
		case mobile:
			return ptMobile
		}
		return ptNone
	}

	// Subset construction. A state is the depth and the NFA sets.
	type dstate struct {
		depth int
		sets  [][]uint32
	}
	keyOf := func(depth int, sets [][]uint32) string {
		var k strings.Builder
		k.WriteString(strconv.Itoa(depth))
		for _, s := range sets {
			k.WriteByte('|')
			for _, pc := range s {
				k.WriteString(strconv.Itoa(int(pc)))
				k.WriteByte(',')
			}
		}
		return k.String()
	}
	dead := func(sets [][]uint32) bool { return len(sets[0]) == 0 }
	var states []dstate
	var next [][10]int
	index := map[string]int{}
	// State 0 is the dead state.
	states = append(states, dstate{})
	next = append(next, [10]int{})
	startSets := make([][]uint32, len(nfas))
	for i, n := range nfas {
		startSets[i] = n.start()
	}
	index[keyOf(0, startSets)] = 1
	states = append(states, dstate{0, startSets})
	next = append(next, [10]int{})
	for s := 1; s < len(states); s++ {
		st := states[s]
		for d := 0; d < 10; d++ {
			if st.depth >= phoneMaxNational {
				continue
			}
			sets := make([][]uint32, len(nfas))
			for i, n := range nfas {
				sets[i] = n.step(st.sets[i], rune('0'+d))
			}
			if dead(sets) {
				continue
			}
			k := keyOf(st.depth+1, sets)
			id, ok := index[k]
			if !ok {
				id = len(states)
				index[k] = id
				states = append(states, dstate{st.depth + 1, sets})
				next = append(next, [10]int{})
			}
			next[s][d] = id
		}
	}
	labels := make([]phoneType, len(states))
	for s := 1; s < len(states); s++ {
		labels[s] = labelOf(states[s].depth, states[s].sets)
	}
	return minimisePhoneDFA(t, next, labels)
}

// minimisePhoneDFA merges equivalent states (Moore's partition refinement)
// and renumbers them: 0 dead, 1 start, the rest in breadth-first order.
func minimisePhoneDFA(t testing.TB, next [][10]int, labels []phoneType) ([][10]uint16, []phoneType) {
	n := len(next)
	class := make([]int, n)
	for s := range n {
		class[s] = int(labels[s])
	}
	// State 0 must stay in a class of its own kind: rejecting, and every
	// state that cannot reach acceptance joins it through refinement.
	for {
		sig := map[string]int{}
		newClass := make([]int, n)
		var k strings.Builder
		for s := range n {
			k.Reset()
			k.WriteString(strconv.Itoa(class[s]))
			for d := range 10 {
				k.WriteByte(',')
				k.WriteString(strconv.Itoa(class[next[s][d]]))
			}
			id, ok := sig[k.String()]
			if !ok {
				id = len(sig)
				sig[k.String()] = id
			}
			newClass[s] = id
		}
		stable := len(sig) == phoneCountClasses(class)
		class = newClass
		if stable {
			break
		}
	}
	// Renumber: dead class first, then breadth-first from the start.
	order := map[int]uint16{class[0]: 0}
	queue := []int{1}
	if class[1] == class[0] {
		t.Fatalf("start state rejects everything")
	}
	order[class[1]] = 1
	rep := map[int]int{class[0]: 0, class[1]: 1}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for d := range 10 {
			c := class[next[s][d]]
			if _, ok := order[c]; !ok {
				order[c] = uint16(len(order))
				rep[c] = next[s][d]
				queue = append(queue, next[s][d])
			}
		}
	}
	require.Less(t, len(order), 1<<16)
	outNext := make([][10]uint16, len(order))
	outLabel := make([]phoneType, len(order))
	for c, id := range order {
		s := rep[c]
		outLabel[id] = labels[s]
		for d := range 10 {
			outNext[id][d] = order[class[next[s][d]]]
		}
	}
	return outNext, outLabel
}

func phoneCountClasses(class []int) int {
	seen := map[int]bool{}
	for _, c := range class {
		seen[c] = true
	}
	return len(seen)
}
