package index

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/leakprov/leakprov/internal/untrusted"
)

// Limits of the description a signature carries of its source.
const (
	// MaxDescription bounds Options.Description, in bytes.
	MaxDescription = 4 << 10
	// MaxURL bounds Options.URL, in bytes.
	MaxURL = 2 << 10
)

// checkAbout checks the description and URL of a source (Options
// Description and URL): UTF-8 of bounded length, and an absolute http or
// https URL without spaces or control characters, so that what reports
// print and link to is what the maker meant.
func checkAbout(description, link string) error {
	switch {
	case len(description) > MaxDescription:
		return fmt.Errorf("%w: description of %d bytes, at most %d", ErrOptions, len(description), MaxDescription)
	case !utf8.ValidString(description):
		return fmt.Errorf("%w: description is not UTF-8 text", ErrOptions)
	case link == "":
		return nil
	case len(link) > MaxURL:
		return fmt.Errorf("%w: url of %d bytes, at most %d", ErrOptions, len(link), MaxURL)
	}
	if strings.Contains(link, " ") || untrusted.Text(link) != link {
		return fmt.Errorf("%w: url %q holds spaces, control or bidirectional characters (percent-encode them)", ErrOptions, link)
	}
	u, err := url.Parse(link)
	if err != nil {
		return fmt.Errorf("%w: url %q: %v", ErrOptions, link, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: url %q: want an absolute http:// or https:// URL", ErrOptions, link)
	}
	return nil
}
