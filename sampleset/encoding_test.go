package sampleset

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/encoding/charmap"
)

func TestValidUTF8(t *testing.T) {
	tests := []string{
		"", "ascii only, longer than eight bytes", "Київ", "a\xffb", "\xc0\x80", "\xc2", "\xc2\x41",
		"\xe2\x82\xac", "\xe2\x82", "\xed\xa0\x80", "\xf0\x9f\x98\x80", "\xf4\x90\x80\x80",
		"Иван,+380501234567,ivan@example.com,\"Київ, вул. Хрещатик 1\"",
		"12345678\xdf\xbf12345678", "12345678\xdf",
	}
	for _, s := range tests {
		assert.Equal(t, utf8.ValidString(s), validUTF8([]byte(s)), "input %q", s)
	}
}

func FuzzValidUTF8(f *testing.F) {
	f.Add([]byte("Київ, вул. Хрещатик"))
	f.Add([]byte("a\xffb\xc2"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if utf8.Valid(b) != validUTF8(b) {
			t.Fatalf("validUTF8(%q) = %v", b, !utf8.Valid(b))
		}
	})
}

// TestByteTables checks the table decoders against golang.org/x/text for
// every byte.
func TestByteTables(t *testing.T) {
	for _, tc := range []struct {
		cm    *charmap.Charmap
		table *byteTable
	}{
		{charmap.Windows1251, tableCP1251},
		{charmap.KOI8U, tableKOI8U},
		{charmap.KOI8R, tableKOI8R},
		{charmap.CodePage866, tableCP866},
	} {
		all := make([]byte, 0, 256*2)
		for i := range 256 {
			all = append(all, byte(i), 'x')
		}
		want, err := tc.cm.NewDecoder().Bytes(all)
		assert.NoError(t, err)
		got := tc.table.appendDecoded([]byte("prefix"), all)
		assert.True(t, bytes.Equal(append([]byte("prefix"), want...), got), "table of %s", tc.cm)
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "utf-8"},
		{"ascii", []byte("a,b\n1,2\n"), "utf-8"},
		{"bom utf-8", []byte("\xef\xbb\xbfa"), "utf-8"},
		{"bom utf-16le", []byte("\xff\xfea\x00"), "utf-16le"},
		{"bom utf-16be", []byte("\xfe\xff\x00a"), "utf-16be"},
		{"utf-16le without bom", []byte("n\x00a\x00m\x00e\x00,\x00x\x00\n\x00"), "utf-16le"},
		{"utf-16be without bom", []byte("\x00n\x00a\x00m\x00e\x00,\x00x\x00\n"), "utf-16be"},
		{"utf-8 with one bad byte", []byte("Іваненко Олена Петрівна, Київ, Хрещатик\xff\n"), "utf-8"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, detectEncoding(tt.in, true).name, tt.name)
	}
	// A window cut in the middle of a character is still UTF-8.
	cut := []byte("Київ")[:3]
	assert.Equal(t, "utf-8", detectEncoding(cut, false).name, "cut character")
}
