package synth

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var testTable = Table{
	Header: []string{"ПІБ", "Телефон", "Дата народження"},
	Rows: [][]string{
		{"Щербина Юлія", "(067) 628-27-89", "03.04.1990"},
		{"Гаєвич Ігор", "", "01.01.1950"},
		{"Заєць; Ївга", "067 812 76 51", ""},
	},
}

func TestMarshalCSV(t *testing.T) {
	got, err := Marshal(testTable, Format{Delimiter: ';'})
	require.NoError(t, err)
	want := "ПІБ;Телефон;Дата народження\n" +
		"Щербина Юлія;(067) 628-27-89;03.04.1990\n" +
		"Гаєвич Ігор;;01.01.1950\n" +
		"\"Заєць; Ївга\";067 812 76 51;\n"
	assert.Equal(t, want, string(got))

	got, err = Marshal(testTable, Format{Delimiter: '\t', NoHeader: true, CRLF: true})
	require.NoError(t, err)
	assert.Equal(t, "Щербина Юлія\t(067) 628-27-89\t03.04.1990\r\n", string(got[:bytes.IndexByte(got, '\n')+1]))
	assert.Equal(t, 3, bytes.Count(got, []byte("\r\n")), "CRLF lines")
}

func TestMarshalEncodings(t *testing.T) {
	plain, err := Marshal(testTable, Format{})
	require.NoError(t, err)
	tests := []struct {
		enc    Encoding
		decode func([]byte) ([]byte, error)
	}{
		{UTF8, func(b []byte) ([]byte, error) { return b, nil }},
		{UTF8BOM, func(b []byte) ([]byte, error) {
			if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
				return nil, io.ErrUnexpectedEOF
			}
			return b[3:], nil
		}},
		{Windows1251, charmap.Windows1251.NewDecoder().Bytes},
		{KOI8U, charmap.KOI8U.NewDecoder().Bytes},
		{CP866, func(b []byte) ([]byte, error) {
			// CP866 has no Ukrainian Є, І, Ї: they become substitutes.
			return charmap.CodePage866.NewDecoder().Bytes(b)
		}},
		{UTF16LE, func(b []byte) ([]byte, error) {
			if !bytes.HasPrefix(b, []byte{0xff, 0xfe}) {
				return nil, io.ErrUnexpectedEOF
			}
			return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		}},
	}
	for _, tt := range tests {
		got, err := Marshal(testTable, Format{Encoding: tt.enc})
		require.NoError(t, err, "%s", tt.enc)
		back, err := tt.decode(got)
		require.NoError(t, err, "%s", tt.enc)
		if tt.enc == CP866 {
			assert.Equal(t, len([]rune(string(plain))), len([]rune(string(back))), "%s keeps one character for each", tt.enc)
			continue
		}
		assert.Equal(t, string(plain), string(back), "%s round trip", tt.enc)
	}
	_, err = Marshal(testTable, Format{Encoding: "ebcdic"})
	assert.Error(t, err)
	_, err = Marshal(testTable, Format{Layout: "xml"})
	assert.Error(t, err)
}

func TestMarshalGzip(t *testing.T) {
	a, err := Marshal(testTable, Format{Gzip: true, Encoding: Windows1251})
	require.NoError(t, err)
	b, err := Marshal(testTable, Format{Gzip: true, Encoding: Windows1251})
	require.NoError(t, err)
	assert.Equal(t, a, b, "gzip output is reproducible")
	zr, err := gzip.NewReader(bytes.NewReader(a))
	require.NoError(t, err)
	got, err := io.ReadAll(zr)
	require.NoError(t, err)
	want, err := Marshal(testTable, Format{Encoding: Windows1251})
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestMarshalJSONL(t *testing.T) {
	tab := Table{
		Header: []string{"user.first_name", "user.last_name", "contacts.phone", "password"},
		Rows: [][]string{
			{"Yuliia", "Shcherbyna", "380676282789", "qwerty\"1"},
			{"Ihor", "", "", "p<a>ss"},
		},
	}
	got, err := Marshal(tab, Format{Layout: JSONL})
	require.NoError(t, err)
	assert.Equal(t, `{"user.first_name": "Yuliia", "user.last_name": "Shcherbyna", "contacts.phone": "380676282789", "password": "qwerty\"1"}`+"\n"+
		`{"user.first_name": "Ihor", "password": "p<a>ss"}`+"\n", string(got))
	got, err = Marshal(tab, Format{Layout: JSONL, Nested: true, CRLF: true})
	require.NoError(t, err)
	assert.Equal(t, `{"user": {"first_name": "Yuliia", "last_name": "Shcherbyna"}, "contacts": {"phone": "380676282789"}, "password": "qwerty\"1"}`+"\r\n"+
		`{"user": {"first_name": "Ihor"}, "password": "p<a>ss"}`+"\r\n", string(got))
	_, err = Marshal(Table{Header: []string{"a"}, Rows: [][]string{{"1", "2"}}}, Format{Layout: JSONL})
	assert.Error(t, err, "row longer than header")
}

func TestMarshalCombo(t *testing.T) {
	tab := Table{Rows: [][]string{{"a@ukr.net", "qwerty"}, {"", "x"}, {"b@i.ua", "1q2w3e"}}}
	got, err := Marshal(tab, Format{Layout: Combo})
	require.NoError(t, err)
	assert.Equal(t, "a@ukr.net:qwerty\nb@i.ua:1q2w3e\n", string(got))
	got, err = Marshal(tab, Format{Layout: Combo, Delimiter: ';'})
	require.NoError(t, err)
	assert.Equal(t, "a@ukr.net;qwerty\nb@i.ua;1q2w3e\n", string(got))
	_, err = Marshal(Table{Rows: [][]string{{"only"}}}, Format{Layout: Combo})
	assert.Error(t, err)
}

func TestHeaderFor(t *testing.T) {
	assert.Equal(t, "ПІБ", HeaderFor(1, Ukrainian))
	assert.Equal(t, "ФИО", HeaderFor(1, Russian))
	assert.Equal(t, "full_name", HeaderFor(1, "xx"))
	assert.Equal(t, "other", HeaderFor(0, English))
	for lang, tab := range headerTable {
		assert.Len(t, tab, 14, "%s header words", lang)
	}
}
