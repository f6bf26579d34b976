package fingerprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A signature read from a file knows the file's SHA-256, as sha256sum
// prints it, whether read by ReadFile or UnmarshalBinary; one built in
// memory does not.
func TestFileSHA256(t *testing.T) {
	for _, g := range lpsGoldens {
		path := lpsGoldenPath(g)
		b, err := os.ReadFile(path)
		require.NoError(t, err, g.file)
		sum := sha256.Sum256(b)
		want := hex.EncodeToString(sum[:])
		s, err := ReadFile(path)
		require.NoError(t, err, g.file)
		assert.Equal(t, want, s.FileSHA256(), "%s: ReadFile", g.file)
		var u Signature
		require.NoError(t, u.UnmarshalBinary(b), g.file)
		assert.Equal(t, want, u.FileSHA256(), "%s: UnmarshalBinary", g.file)
		assert.Equal(t, want, s.Describe().SHA256, "%s: inspect shows it", g.file)
		assert.Empty(t, lpsGoldenSig(t, g).FileSHA256(), "%s: built in memory, no file", g.file)
	}
	a, err := ReadFile(lpsGoldenPath(lpsGoldens[0]))
	require.NoError(t, err)
	b, err := ReadFile(lpsGoldenPath(lpsGoldens[2]))
	require.NoError(t, err)
	assert.NotEqual(t, a.FileSHA256(), b.FileSHA256(), "two files, two SHA-256")
}

// A description and URL in the metadata survive the file, reach inspect
// (text and JSON) escaped, and leave files without them as they were.
func TestMetadataDescription(t *testing.T) {
	g := lpsGoldens[2]
	gold, err := os.ReadFile(lpsGoldenPath(g))
	require.NoError(t, err)
	plain := lpsGoldenSig(t, g)
	again, err := plain.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, gold, again, "without a description the file is byte for byte the golden")

	s := lpsGoldenSig(t, g)
	s.Meta.Description = "Customers of a shop\n\x1b[2Jforged line"
	s.Meta.URL = "https://example.org/notice"
	path := filepath.Join(t.TempDir(), "s.lps")
	require.NoError(t, WriteFile(path, s))
	back, err := ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, s.Meta.Description, back.Meta.Description, "description read back")
	assert.Equal(t, s.Meta.URL, back.Meta.URL, "url read back")

	var txt bytes.Buffer
	require.NoError(t, back.Describe().WriteText(&txt))
	assert.Contains(t, txt.String(), `description: Customers of a shop\n\x1b[2Jforged line`, "inspect shows the description, escaped")
	assert.Contains(t, txt.String(), "url: https://example.org/notice", "inspect shows the url")
	assert.Contains(t, txt.String(), "file sha256 "+back.FileSHA256(), "inspect shows the file's SHA-256")
	assert.NotContains(t, txt.String(), "\x1b", "no raw escape")
	assert.Equal(t, 1, strings.Count(txt.String(), "forged line"), "the description forges no line")

	j, err := json.Marshal(back.Describe())
	require.NoError(t, err)
	var d struct {
		Meta   struct{ Description, URL string }
		SHA256 string
	}
	require.NoError(t, json.Unmarshal(j, &d))
	assert.Equal(t, s.Meta.Description, d.Meta.Description, "inspect --format json: meta.description")
	assert.Equal(t, s.Meta.URL, d.Meta.URL, "inspect --format json: meta.url")
	assert.Equal(t, back.FileSHA256(), d.SHA256, "inspect --format json: sha256")
}
