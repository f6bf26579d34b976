package sampleset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonObjectText writes one row as a JSON object with the header's keys,
// in order; pretty puts each member on its own line, indented by indent.
func jsonObjectText(t testing.TB, header, row []string, pretty bool, indent string) string {
	t.Helper()
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range header {
		if i > 0 {
			b.WriteByte(',')
		}
		if pretty {
			b.WriteString("\n" + indent + "  ")
		}
		kb, err := json.Marshal(k)
		require.NoError(t, err)
		vb, err := json.Marshal(row[i])
		require.NoError(t, err)
		b.Write(kb)
		b.WriteByte(':')
		if pretty {
			b.WriteByte(' ')
		}
		b.Write(vb)
	}
	if pretty {
		b.WriteString("\n" + indent)
	}
	b.WriteByte('}')
	return b.String()
}

// jsonArrayText writes rows as one JSON array: on one line, or
// pretty-printed with one member a line.
func jsonArrayText(t testing.TB, header []string, rows [][]string, pretty bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteByte('[')
	for i, row := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		if pretty {
			b.WriteString("\n  ")
		}
		b.WriteString(jsonObjectText(t, header, row, pretty, "  "))
	}
	if pretty {
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return b.String()
}

func TestJSONArrayShapes(t *testing.T) {
	var prettyObjects strings.Builder
	for _, row := range fixtureRows {
		prettyObjects.WriteString(jsonObjectText(t, fixtureHeader, row, true, "") + "\n")
	}
	half := len(fixtureRows) / 2
	shapes := []struct {
		name, text string
	}{
		{"one line", jsonArrayText(t, fixtureHeader, fixtureRows, false)},
		{"pretty", jsonArrayText(t, fixtureHeader, fixtureRows, true)},
		{"two arrays", jsonArrayText(t, fixtureHeader, fixtureRows[:half], true) +
			jsonArrayText(t, fixtureHeader, fixtureRows[half:], false)},
		{"pretty objects", prettyObjects.String()},
		{"no commas, crlf", strings.ReplaceAll(strings.ReplaceAll(jsonArrayText(t, fixtureHeader, fixtureRows, true), "},", "}"), "\n", "\r\n")},
	}
	for _, sh := range shapes {
		for _, enc := range []string{"utf-8", "utf-8+bom", "utf-16le", "windows-1251", "koi8-u"} {
			for _, gz := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s/gzip=%v", sh.name, enc, gz)
				t.Run(name, func(t *testing.T) {
					data := encodeText(t, enc, sh.text)
					if gz {
						data = gzipBytes(t, data)
					}
					r := NewReader(bytes.NewReader(data))
					r.Name = name
					r.SniffRecords = 3
					cols, err := r.Columns()
					require.NoError(t, err, name)
					assert.Equal(t, fixtureHeader, columnNames(cols), name)
					assert.Equal(t, fixtureRows, readAll(t, r), name)
					info := r.Info()
					assert.Equal(t, JSONArray, info.Format, name)
					assert.Equal(t, strings.TrimSuffix(enc, "+bom"), info.Encoding, name)
					assert.Equal(t, int64(len(fixtureRows)), info.Records, name)
				})
			}
		}
	}
}

func TestJSONArrayForcedAndEmpty(t *testing.T) {
	r := NewReader(strings.NewReader("[ ]\n"))
	cols, err := r.Columns()
	require.NoError(t, err, "empty array")
	assert.Empty(t, cols, "empty array")
	_, err = r.Read()
	assert.Equal(t, io.EOF, err, "empty array")
	assert.Equal(t, JSONArray, r.Info().Format, "empty array")

	// Format forced to JSONArray reads JSON lines too, as objects one
	// after the other.
	r = NewReader(strings.NewReader(jsonlText(t, fixtureHeader, fixtureRows)))
	r.Format = JSONArray
	assert.Equal(t, fixtureRows, readAll(t, r), "JSON lines read as JSON text")
}

// TestJSONArrayStreams reads an array far larger than MaxRecordBytes on
// one line: it is read element by element, each bounded by the limit.
func TestJSONArrayStreams(t *testing.T) {
	const n = 20000
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"email":"user%d@example.com","profile":{"city":"Київ"}}`, i, i)
	}
	b.WriteByte(']')
	in := b.String()
	require.Greater(t, len(in), 1<<20, "the array is larger than the default limit and the buffers")

	r := NewReader(strings.NewReader(in))
	r.MaxRecordBytes = 200
	cols, err := r.Columns()
	require.NoError(t, err)
	assert.Equal(t, []string{"id", "email", "profile.city"}, columnNames(cols))
	got := readAll(t, r)
	require.Len(t, got, n, "records of the one-line array")
	assert.Equal(t, []string{"19999", "user19999@example.com", "Київ"}, got[n-1])
	assert.Equal(t, JSONArray, r.Info().Format)
}

// TestJSONArrayGiantElement: an element of 256 MiB is reported at once with
// the line it starts on, not buffered, and the next element is read.
func TestJSONArrayGiantElement(t *testing.T) {
	src := newLongLine("[\n{\"a\":\"x\"},\n{\"a\":\"", gib/4, "\"},\n{\"a\":\"y\"}\n]\n")
	r := NewReader(src)
	r.Name = "giant.json"
	r.SniffRecords = 1
	rec, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, []string{"x"}, rec)
	sys, total := heapGrowth(func() { _, err = r.Read() })
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, ErrRecordTooLarge)
	assert.Equal(t, 3, pe.Line, "line of the giant element")
	assert.Contains(t, err.Error(), "giant.json:3:")
	assert.Contains(t, err.Error(), "array element 2")
	assert.Less(t, src.served, int64(8<<20), "bytes read before failing")
	assert.Less(t, total, uint64(64<<20), "bytes allocated")
	assert.Less(t, sys, uint64(64<<20), "heap growth")
	if testing.Short() {
		return
	}
	rec, err = r.Read()
	require.NoError(t, err, "the element after the giant one")
	assert.Equal(t, []string{"y"}, rec)
	_, err = r.Read()
	assert.Equal(t, io.EOF, err)
}

func TestJSONArrayBadElements(t *testing.T) {
	in := "[\n" + // 1
		"  {\"a\": \"1\"},\n" + // 2
		"  [1, 2],\n" + // 3: not an object
		"  {\"a\": \"broken\n" + // 4: a line break in a string
		"     still broken\", \"b\": 1},\n" + // 5
		"  {\"a\": \"2\"},\n" + // 6
		"  {\"a\": 3,},\n" + // 7: trailing comma inside
		"  {\"a\": \"" + strings.Repeat("x", 300) + "\"},\n" + // 8: too large
		"  {\"a\": \"4\", \"b\": \"\x00\"},\n" + // 9: NUL
		"  {\"a\": \"5\"}\n" + // 10
		"]\n" + // 11
		"garbage\n" + // 12: not an array or object
		"{\"a\": \"6\"}\n" + // 13
		"[{\"a\": \"7\"}, {\"a\": " // 14: truncated
	tests := []struct {
		line     int
		sentinel error
		text     string
	}{
		{3, ErrJSON, "array element 2"},
		{4, ErrJSON, "line break inside a string"},
		{7, ErrJSON, "array element 5"},
		{8, ErrRecordTooLarge, "array element 6"},
		{9, ErrBinary, "array element 7"},
		{12, ErrJSON, "where an array or an object should start"},
		{14, ErrJSON, "the input ends inside array element 2"},
	}
	for _, skip := range []bool{false, true} {
		t.Run(fmt.Sprintf("skip=%v", skip), func(t *testing.T) {
			r := NewReader(strings.NewReader(in))
			r.Name = "bad.json"
			r.MaxRecordBytes = 100
			r.SkipBad = skip
			recs, errs := parseErrors(t, r)
			assert.Equal(t, [][]string{{"1"}, {"2"}, {"5"}, {"6"}, {"7"}}, recs, "good records around the bad ones")
			assert.Equal(t, JSONArray, r.Info().Format)
			if skip {
				assert.Empty(t, errs)
				assert.Equal(t, int64(len(tests)), r.Info().Skipped)
				return
			}
			require.Len(t, errs, len(tests), "errors: %v", errs)
			for i, tt := range tests {
				assert.Equal(t, tt.line, errs[i].Line, "line of error %d: %v", i, errs[i])
				assert.ErrorIs(t, errs[i], tt.sentinel, "error %d: %v", i, errs[i])
				assert.Contains(t, errs[i].Error(), tt.text, "error %d", i)
				assert.Contains(t, errs[i].Error(), fmt.Sprintf("bad.json:%d:", tt.line))
			}
		})
	}
}

func TestJSONTooManyFieldsAndDepth(t *testing.T) {
	r := NewReader(strings.NewReader(`[{"a":1,"b":2,"c":3},{"a":4}]`))
	r.MaxFields = 2
	_, errs := parseErrors(t, r)
	require.NotEmpty(t, errs)
	assert.ErrorIs(t, errs[0], ErrTooManyFields)

	deep := strings.Repeat(`{"a":`, maxJSONDepth+5) + "1" + strings.Repeat("}", maxJSONDepth+5)
	r = NewReader(strings.NewReader("[" + deep + `,{"a":"ok"}]`))
	recs, errs := parseErrors(t, r)
	require.Len(t, errs, 1, "the deep element")
	assert.ErrorIs(t, errs[0], ErrJSON)
	assert.Contains(t, errs[0].Error(), "nested")
	assert.Equal(t, [][]string{{"ok"}}, recs)
}

func TestDetectFormat(t *testing.T) {
	window := func(s string) []byte { // s, then 'x' up to the sniff window's size
		return []byte((s + strings.Repeat("x", sniffWindow))[:sniffWindow])
	}
	tests := []struct {
		name string
		in   []byte
		want Format
	}{
		{"csv", []byte("a,b\n1,2\n"), Delimited},
		{"json lines", []byte("{\"a\":1}\n{\"a\":2}\n"), JSONLines},
		{"json lines after blank lines", []byte("\n\n  {\"a\":1}\n"), JSONLines},
		{"one-line array", []byte(`[{"a":1},{"a":2}]`), JSONArray},
		{"pretty array", []byte("[\n  {\n    \"a\": 1\n  }\n]\n"), JSONArray},
		{"empty array", []byte("[]"), JSONArray},
		{"array of scalars", []byte(`["a@example.com"]`), Delimited},
		{"array of objects then more", []byte("[{\"a\":1},\n{\"a\":2}]"), JSONArray},
		{"pretty object", []byte("{\n  \"a\": 1\n}\n"), JSONArray},
		{"objects on one line", []byte(`{"a":1}{"a":2}`), JSONArray},
		{"array cut by the window", window(`[{"a":"`), JSONArray},
		{"bracketed header", []byte("[ID];[Name]\n1;x\n"), Delimited},
		{"bracket then text", []byte("[1] first;second\n"), Delimited},
		{"brace then text", []byte("{not json},x\n1,2\n"), Delimited},
		{"unclosed array", []byte(`[{"a":1`), Delimited},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, detectFormat(tt.in), tt.name)
	}
}

func TestMongoValue(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{`{"$oid": "5c79f3aa1c9d440000a1b2c3"}`, "5c79f3aa1c9d440000a1b2c3", true},
		{`{"$date": "2019-03-01T00:00:00Z"}`, "2019-03-01T00:00:00Z", true},
		{`{"$date": "2019-03-01T10:20:30.123+02:00"}`, "2019-03-01T10:20:30.123+02:00", true},
		{`{"$date": {"$numberLong": "1551398400000"}}`, "2019-03-01T00:00:00Z", true},
		{`{"$date": {"$numberLong": "1551398400123"}}`, "2019-03-01T00:00:00.123Z", true},
		{`{"$date": {"$numberLong": "-86400000"}}`, "1969-12-31T00:00:00Z", true},
		{`{"$date": 1551398400000}`, "2019-03-01T00:00:00Z", true},
		{`{"$date": {"$numberLong": "9223372036854775807"}}`, "9223372036854775807", true},
		{`{"$date": {"$numberLong": "soon"}}`, "", false},
		{`{"$numberLong": "380501234567"}`, "380501234567", true},
		{`{"$numberInt": "42"}`, "42", true},
		{`{"$numberInt": 42}`, "42", true},
		{`{"$numberDouble": "1.5"}`, "1.5", true},
		{`{"$numberDouble": "-Infinity"}`, "-Infinity", true},
		{`{"$numberDecimal": "1234.5600"}`, "1234.5600", true},
		{`{"$binary": {"base64": "c3ludGhldGlj", "subType": "00"}}`, "c3ludGhldGlj", true},
		{`{"$binary": {"base64": "EjRWeJCrze8SNFZ4kKvN7w==", "subType": "04"}}`, "12345678-90ab-cdef-1234-567890abcdef", true},
		{`{"$binary": "EjRWeJCrze8SNFZ4kKvN7w==", "$type": "4"}`, "12345678-90ab-cdef-1234-567890abcdef", true},
		{`{"$binary": "EjRWeJCrze8SNFZ4kKvN7w==", "$type": "03"}`, "EjRWeJCrze8SNFZ4kKvN7w==", true},
		{`{"$uuid": "12345678-90ab-cdef-1234-567890abcdef"}`, "12345678-90ab-cdef-1234-567890abcdef", true},
		{`{"$regularExpression": {"pattern": "^ab", "options": "i"}}`, "/^ab/i", true},
		{`{"$regex": "^ab", "$options": "im"}`, "/^ab/im", true},
		{`{"$timestamp": {"t": 1551398400, "i": 7}}`, "2019-03-01T00:00:00Z", true},
		{`{"$symbol": "sym"}`, "sym", true},
		{`{"$code": "function() {}"}`, "function() {}", true},
		{`{"$code": "f()", "$scope": {"x": 1}}`, "f()", true},
		{`{"$minKey": 1}`, "", true},
		{`{"$maxKey": 1}`, "", true},
		{`{"$undefined": true}`, "", true},
		// Not wrappers: flattened as objects.
		{`{"$oid": 5}`, "", false},
		{`{"$oid": "a", "x": 1}`, "", false},
		{`{"$ref": "users", "$id": {"$oid": "a"}}`, "", false},
		{`{"$binary": {"base64": "AA=="}}`, "", false},
		{`{"$timestamp": {"t": 1}}`, "", false},
		{`{"$regularExpression": "x"}`, "", false},
		{`{"$set": 1}`, "", false},
		{`{}`, "", false},
	}
	for _, tt := range tests {
		got, ok := mongoValue([]byte(tt.in))
		assert.Equal(t, tt.ok, ok, "wrapper %s", tt.in)
		assert.Equal(t, tt.want, got, "value of %s", tt.in)
	}
}

// mongoexport's output of one synthetic collection, as JSON lines (the
// default, relaxed v2), as --jsonArray, pretty-printed, and in the legacy
// form of mongoexport before 4.2.
func TestMongoExport(t *testing.T) {
	relaxed := []string{
		`{"_id":{"$oid":"5c79f3aa1c9d440000a1b2c3"},"name":"Шевченко Тарас","phone":{"$numberLong":"380501234567"},"born":{"$date":"1980-02-01T00:00:00Z"},"address":{"city":"Київ","zip":{"$numberInt":"1001"}},"tags":["a","b"],"score":{"$numberDouble":"1.5"}}`,
		`{"_id":{"$oid":"5c79f3aa1c9d440000a1b2c4"},"name":"Коваленко Олена","phone":{"$numberLong":"380671112233"},"born":{"$date":{"$numberLong":"-315619200000"}},"address":{"city":"Львів","zip":{"$numberInt":"79000"}},"tags":[],"score":{"$numberDouble":"NaN"}}`,
	}
	legacy := []string{
		`{"_id":{"$oid":"5c79f3aa1c9d440000a1b2c3"},"name":"Шевченко Тарас","phone":{"$numberLong":"380501234567"},"born":{"$date":"1980-02-01T00:00:00.000Z"},"address":{"city":"Київ","zip":1001},"tags":["a","b"],"score":1.5}`,
		`{"_id":{"$oid":"5c79f3aa1c9d440000a1b2c4"},"name":"Коваленко Олена","phone":{"$numberLong":"380671112233"},"born":{"$date":-315619200000},"address":{"city":"Львів","zip":79000},"tags":[],"score":"NaN"}`,
	}
	wantCols := []string{"_id", "name", "phone", "born", "address.city", "address.zip", "tags", "score"}
	want := [][]string{
		{"5c79f3aa1c9d440000a1b2c3", "Шевченко Тарас", "380501234567", "1980-02-01T00:00:00Z", "Київ", "1001", `["a","b"]`, "1.5"},
		{"5c79f3aa1c9d440000a1b2c4", "Коваленко Олена", "380671112233", "1960-01-01T00:00:00Z", "Львів", "79000", `[]`, "NaN"},
	}
	wantLegacy := [][]string{append([]string(nil), want[0]...), want[1]}
	wantLegacy[0][3] = "1980-02-01T00:00:00.000Z" // a date string is kept as given

	var pretty bytes.Buffer
	pretty.WriteString("[")
	for i, l := range relaxed {
		if i > 0 {
			pretty.WriteString(",\n")
		}
		require.NoError(t, json.Indent(&pretty, []byte(l), "", "\t"))
	}
	pretty.WriteString("]\n")

	tests := []struct {
		name, in string
		format   Format
		want     [][]string
	}{
		{"jsonl", strings.Join(relaxed, "\n") + "\n", JSONLines, want},
		{"jsonArray", "[" + strings.Join(relaxed, ",") + "]", JSONArray, want},
		{"jsonArray pretty", pretty.String(), JSONArray, want},
		{"legacy jsonl", strings.Join(legacy, "\n") + "\n", JSONLines, wantLegacy},
	}
	for _, tt := range tests {
		r := NewReader(strings.NewReader(tt.in))
		cols, err := r.Columns()
		require.NoError(t, err, tt.name)
		assert.Equal(t, wantCols, columnNames(cols), "columns of %s", tt.name)
		assert.Equal(t, tt.want, readAll(t, r), "records of %s", tt.name)
		assert.Equal(t, tt.format, r.Info().Format, tt.name)
		assert.Zero(t, r.Info().ExtraKeys, tt.name)
	}
}
