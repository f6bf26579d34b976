package canon

import (
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
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
