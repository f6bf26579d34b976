package canon

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMiscTrim(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"\u00a0", ""},
		{" \t\u00a0x y\u00a0\r\n", "x y"},
		{"\u00a0\u00a0a", "a"},
		{"a\xc2", "a\xc2"}, // a broken sequence is not space
	} {
		assert.Equal(t, c.want, miscTrim(c.in), "miscTrim(%q)", c.in)
	}
}

// TestMiscCyrillic checks the hand-written case mapping of the Cyrillic
// block against the unicode package.
func TestMiscCyrillic(t *testing.T) {
	for r := rune(0x400); r <= 0x4FF; r++ {
		assert.Equal(t, unicode.IsLetter(r), miscIsCyrillicLetter(r), "miscIsCyrillicLetter(%U)", r)
		if unicode.IsLetter(r) {
			assert.Equal(t, unicode.ToLower(r), miscLowerCyrillic(r), "miscLowerCyrillic(%U)", r)
		}
	}
}

// TestTrimSpaceIsStringsTrimSpace: the fast path gives what
// strings.TrimSpace gives, on every kind of white space at either end,
// non-ASCII text and invalid UTF-8, and allocates nothing.
func TestTrimSpaceIsStringsTrimSpace(t *testing.T) {
	pieces := []string{"", " ", "\t", "\n", "\v", "\f", "\r", "\u0085", "\u00a0", "\u1680", "\u2000", "\u200a",
		"\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u200b", "a", "Іван", "Шевченко", "0501234567",
		"\xff", "\xc2", "\xe2\x80", "x\xc2\xa0y", "é", "日本"}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 20000 {
		var b strings.Builder
		for range rng.IntN(5) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		require.Equalf(t, strings.TrimSpace(s), trimSpace(s), "case %d: %q", i, s)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = trimSpace(" Іван ") }), "no allocation")
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			require.Truef(t, mayBeSpace(string(r)[0]), "U+%04X is white space: its lead byte must be caught", r)
		}
	}
}

func BenchmarkTrimSpace(b *testing.B) {
	for _, s := range []string{"Шевченко Іван Петрович", "ivan@example.com", " 050 123 45 67 "} {
		b.Run("fast/"+s, func(b *testing.B) {
			for b.Loop() {
				_ = trimSpace(s)
			}
		})
		b.Run("strings/"+s, func(b *testing.B) {
			for b.Loop() {
				_ = strings.TrimSpace(s)
			}
		})
	}
}
