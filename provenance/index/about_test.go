package index

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A source's description and URL go into its signature's metadata; a URL
// that is not an absolute http(s) one, or holds what would be escaped when
// printed, and oversized or non-UTF-8 text are refused before anything is
// read.
func TestBuildDescription(t *testing.T) {
	data := dump(3, 50)
	build := func(desc, url string) error {
		sig, err := Build(context.Background(), Options{Name: "shop", Created: created, Description: desc, URL: url},
			Reader("shop.csv", bytes.NewReader(data)))
		if err == nil {
			assert.Equal(t, desc, sig.Meta.Description, "description stored")
			assert.Equal(t, url, sig.Meta.URL, "url stored")
		}
		return err
	}
	for _, ok := range []struct{ desc, url string }{
		{"", ""},
		{"Customers of a web shop, posted on a forum in 2020", "https://example.org/notices/shop?id=1#x"},
		{"Клієнти інтернет-магазину\nдругий рядок", "http://example.org"},
		{strings.Repeat("x", MaxDescription), ""},
	} {
		assert.NoError(t, build(ok.desc, ok.url), "description %.20q, url %q", ok.desc, ok.url)
	}
	for _, bad := range []struct{ desc, url string }{
		{"", "javascript:alert(1)"},
		{"", "example.org/notice"},
		{"", "ftp://example.org/notice"},
		{"", "https://"},
		{"", "https://example.org/a b"},
		{"", "https://example.org/\u202eevil"},
		{"", "https://example.org/\x1b[2J"},
		{"", "https://example.org/" + strings.Repeat("a", MaxURL)},
		{strings.Repeat("x", MaxDescription+1), ""},
		{"\xff\xfe", ""},
	} {
		err := build(bad.desc, bad.url)
		assert.ErrorIs(t, err, ErrOptions, "description %.20q, url %.40q is refused", bad.desc, bad.url)
	}
}
