package sampleset

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// fixtureHeader and fixtureRows are synthetic records that every format and
// encoding must give back unchanged. Their letters exist in all of
// Windows-1251, KOI8-U and CP866 (so no Ukrainian і or ґ); the values hold
// every delimiter, quotes and a line break.
var fixtureHeader = []string{"name", "phone", "email", "birth_date", "note"}

var fixtureRows = [][]string{
	{"Иванов Иван Иванович", "+380501234567", "ivanov@example.com", "01.02.1980", "Киев, улица Шевченко, дом 5"},
	{"Їжак Євген Олегович", "0671112233", "yizhak@example.org", "1975-12-31", `сказал "привет" и ушёл`},
	{"Сидорова Мария Петровна", "", "", "", "строка первая\nстрока вторая"},
	{"ЩЕРБАКОВ ЮРИЙ ВАСИЛЬЕВИЧ", "+7 (912) 345-67-89", "shch@example.net", "31/12/1999", "пароль;с|разными\tразделителями"},
	{"Кузнецова Анна Сергеевна", "+380441234567", "anna.k@example.com", "15.07.1988", "Харьков, проспект Науки 14, квартира 7"},
	{"Морозов Дмитрий Александрович", "+380931112244", "morozov@example.org", "03.03.1991", "работает водителем в городе Одесса"},
	{"Павленко Оксана Миколаївна", "+380661234500", "oksana@example.net", "22.11.1979", "Львов, улица Городоцкая 120"},
	{"Соколов Никита Романович", "", "sokolov@example.com", "09.09.2001", "телефон не указан, почта рабочая"},
}

// encodeText turns UTF-8 text into the named encoding's bytes.
func encodeText(t testing.TB, enc, s string) []byte {
	t.Helper()
	var (
		out string
		err error
	)
	switch enc {
	case "utf-8":
		return []byte(s)
	case "utf-8+bom":
		return append([]byte{0xEF, 0xBB, 0xBF}, s...)
	case "utf-16le":
		out, err = xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(s)
	case "utf-16be":
		out, err = xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder().String(s)
	case "windows-1251":
		out, err = charmap.Windows1251.NewEncoder().String(s)
	case "koi8-u":
		out, err = charmap.KOI8U.NewEncoder().String(s)
	case "ibm866":
		out, err = charmap.CodePage866.NewEncoder().String(s)
	default:
		t.Fatalf("unknown test encoding %q", enc)
	}
	require.NoError(t, err, "encoding fixture as %s", enc)
	return []byte(out)
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// csvText writes header (if any) and rows as delimited text.
func csvText(t testing.TB, comma rune, crlf bool, header []string, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = comma
	w.UseCRLF = crlf
	if header != nil {
		require.NoError(t, w.Write(header))
	}
	require.NoError(t, w.WriteAll(rows))
	return b.String()
}

// jsonlText writes rows as JSON lines with the header's keys, in order.
func jsonlText(t testing.TB, header []string, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	for _, row := range rows {
		b.WriteByte('{')
		for i, k := range header {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, err := json.Marshal(k)
			require.NoError(t, err)
			vb, err := json.Marshal(row[i])
			require.NoError(t, err)
			b.Write(kb)
			b.WriteByte(':')
			b.Write(vb)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// readAll reads every record, failing the test on an error.
func readAll(t testing.TB, r *Reader) [][]string {
	t.Helper()
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		out = append(out, rec)
	}
}

func columnNames(cols []canon.Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

func TestReadFormatsEncodingsCompression(t *testing.T) {
	formats := []struct {
		name  string
		comma rune // 0: JSON lines
		crlf  bool
	}{
		{"comma", ',', false},
		{"semicolon-crlf", ';', true},
		{"tab", '\t', false},
		{"pipe-crlf", '|', true},
		{"jsonl", 0, false},
	}
	encodings := []string{"utf-8", "utf-8+bom", "utf-16le", "utf-16be", "windows-1251", "koi8-u", "ibm866"}
	for _, f := range formats {
		var text string
		if f.comma == 0 {
			text = jsonlText(t, fixtureHeader, fixtureRows)
		} else {
			text = csvText(t, f.comma, f.crlf, fixtureHeader, fixtureRows)
		}
		for _, enc := range encodings {
			for _, gz := range []bool{false, true} {
				for _, sniff := range []int{0, 2} {
					name := fmt.Sprintf("%s/%s/gzip=%v/sniff=%d", f.name, enc, gz, sniff)
					t.Run(name, func(t *testing.T) {
						data := encodeText(t, enc, text)
						if gz {
							data = gzipBytes(t, data)
						}
						r := NewReader(bytes.NewReader(data))
						r.Name = name
						r.SniffRecords = sniff
						cols, err := r.Columns()
						require.NoError(t, err, name)
						assert.Equal(t, fixtureHeader, columnNames(cols), name)
						got := readAll(t, r)
						assert.Equal(t, fixtureRows, got, name)

						info := r.Info()
						wantEnc := strings.TrimSuffix(enc, "+bom")
						assert.Equal(t, wantEnc, info.Encoding, "encoding of %s", name)
						if f.comma == 0 {
							assert.Equal(t, JSONLines, info.Format, name)
						} else {
							assert.Equal(t, Delimited, info.Format, name)
							assert.Equal(t, string(f.comma), info.Delimiter, name)
						}
						if gz {
							assert.Equal(t, "gzip", info.Compression, name)
						} else {
							assert.Equal(t, "", info.Compression, name)
						}
						assert.True(t, info.HasHeader, name)
						assert.Equal(t, int64(len(fixtureRows)), info.Records, name)
						assert.Zero(t, info.Skipped, name)
					})
				}
			}
		}
	}
}

func TestEncodingOverride(t *testing.T) {
	text := csvText(t, ',', false, fixtureHeader, fixtureRows)
	tests := []struct {
		declared, encodeAs, want string
	}{
		{"utf-8", "utf-8", "utf-8"},
		{"UTF8", "utf-8+bom", "utf-8"},
		{"cp1251", "windows-1251", "windows-1251"},
		{"Windows-1251", "windows-1251", "windows-1251"},
		{"koi8-u", "koi8-u", "koi8-u"},
		{"cp866", "ibm866", "ibm866"},
		{"IBM866", "ibm866", "ibm866"},
		{"utf-16le", "utf-16le", "utf-16le"},
		{"utf-16be", "utf-16be", "utf-16be"},
		{"utf-16", "utf-16be", "utf-16"},
	}
	for _, tt := range tests {
		t.Run(tt.declared, func(t *testing.T) {
			r := NewReader(bytes.NewReader(encodeText(t, tt.encodeAs, text)))
			r.Encoding = tt.declared
			got := readAll(t, r)
			assert.Equal(t, fixtureRows, got, "declared %s", tt.declared)
			assert.Equal(t, tt.want, r.Info().Encoding, "declared %s", tt.declared)
		})
	}

	r := NewReader(strings.NewReader("a,b\n"))
	r.Encoding = "no-such-encoding"
	_, err := r.Read()
	assert.ErrorIs(t, err, ErrUnknownEncoding)
}

// TestKOI8UNotKOI8R checks that KOI8 text is decoded as KOI8-U: KOI8-R would
// turn the Ukrainian letters into box drawing.
func TestKOI8UNotKOI8R(t *testing.T) {
	rows := [][]string{
		{"Шевченко Тарас Григорович", "Київ, вулиця Хрещатик 1"},
		{"Українка Леся Петрівна", "Івано-Франківськ, площа Ринок"},
		{"Ґудзь Ірина Євгенівна", "Житомир, вулиця Пушкінська"},
		{"Коваленко Олександр Іванович", "Запоріжжя, проспект Соборний"},
	}
	text := csvText(t, ';', false, []string{"ПІБ", "Адреса"}, rows)
	r := NewReader(bytes.NewReader(encodeText(t, "koi8-u", text)))
	got := readAll(t, r)
	assert.Equal(t, rows, got)
	assert.Equal(t, "koi8-u", r.Info().Encoding)
}

// TestDetectUpperCase checks code page detection on upper-case-only text,
// which has no case pattern to go by.
func TestDetectUpperCase(t *testing.T) {
	var rows [][]string
	for _, row := range fixtureRows {
		rows = append(rows, []string{strings.ToUpper(row[0]), row[1]})
	}
	text := csvText(t, ',', false, []string{"ФИО", "ТЕЛЕФОН"}, rows)
	for _, enc := range []string{"windows-1251", "koi8-u", "ibm866"} {
		r := NewReader(bytes.NewReader(encodeText(t, enc, text)))
		got := readAll(t, r)
		assert.Equal(t, rows, got, "upper-case text in %s", enc)
		assert.Equal(t, enc, r.Info().Encoding, "upper-case text in %s", enc)
	}
}

func TestHeaderless(t *testing.T) {
	text := csvText(t, ';', false, nil, fixtureRows)
	want := []string{"column 1", "column 2", "column 3", "column 4", "column 5"}

	t.Run("HeaderAbsent", func(t *testing.T) {
		r := NewReader(strings.NewReader(text))
		r.Header = HeaderAbsent
		cols, err := r.Columns()
		require.NoError(t, err)
		assert.Equal(t, want, columnNames(cols))
		assert.Equal(t, fixtureRows, readAll(t, r))
		assert.False(t, r.Info().HasHeader)
	})
	t.Run("sniffed", func(t *testing.T) {
		saved := sniffHeader
		defer func() { sniffHeader = saved }()
		var gotFirst []string
		sniffHeader = func(first []string, rest [][]string) bool {
			gotFirst = first
			return false
		}
		r := NewReader(strings.NewReader(text))
		cols, err := r.Columns()
		require.NoError(t, err)
		assert.Equal(t, fixtureRows[0], gotFirst, "SniffHeader is given the first record")
		assert.Equal(t, want, columnNames(cols))
		assert.Equal(t, fixtureRows, readAll(t, r))
	})
	t.Run("HeaderPresent", func(t *testing.T) {
		saved := sniffHeader
		defer func() { sniffHeader = saved }()
		sniffHeader = func([]string, [][]string) bool { return false }
		r := NewReader(strings.NewReader(csvText(t, ';', false, fixtureHeader, fixtureRows)))
		r.Header = HeaderPresent
		cols, err := r.Columns()
		require.NoError(t, err)
		assert.Equal(t, fixtureHeader, columnNames(cols))
		assert.Equal(t, fixtureRows, readAll(t, r))
	})
}

func TestQuotesNewlinesCRLF(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]string
	}{
		{"crlf", "a,b\r\n1,2\r\n3,4\r\n", [][]string{{"1", "2"}, {"3", "4"}}},
		{"no final newline", "a,b\n1,2\n3,4", [][]string{{"1", "2"}, {"3", "4"}}},
		{"blank lines", "a,b\n\n1,2\r\n\r\n3,4\n\n", [][]string{{"1", "2"}, {"3", "4"}}},
		{"empty fields", "a,b,c\n,,\n1,,\n", [][]string{{"", "", ""}, {"1", "", ""}}},
		{"embedded delimiter", "a,b\n\"x,y\",2\n", [][]string{{"x,y", "2"}}},
		{"doubled quote", "a,b\n\"say \"\"hi\"\"\",2\n", [][]string{{`say "hi"`, "2"}}},
		{"embedded newline", "a,b\n\"line1\nline2\",2\n3,4\n", [][]string{{"line1\nline2", "2"}, {"3", "4"}}},
		{"embedded crlf", "a,b\r\n\"line1\r\nline2\r\n\",2\r\n", [][]string{{"line1\nline2\n", "2"}}},
		{"quoted empty", "a,b\n\"\",\"\"\n", [][]string{{"", ""}}},
		{"quote inside unquoted field", "a,b\nООО \"Ромашка\",2\n", [][]string{{`ООО "Ромашка"`, "2"}}},
		{"quoted last field then eof", "a,b\n1,\"2\"", [][]string{{"1", "2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in))
			r.Header = HeaderPresent
			assert.Equal(t, tt.want, readAll(t, r), "input %q", tt.in)
		})
	}
}

func TestCombolist(t *testing.T) {
	in := "user1@example.com:qwerty\n" +
		"user2@example.org:pa:ss:word\n" +
		"user3@example.net:\"quoted\n" +
		"user4@example.com:123456\n" +
		"user5@example.com:p,a;s|s\n" +
		"user6@example.com:letmein\n"
	r := NewReader(strings.NewReader(in))
	r.Header = HeaderAbsent
	got := readAll(t, r)
	assert.Equal(t, [][]string{
		{"user1@example.com", "qwerty"},
		{"user2@example.org", "pa:ss:word"},
		{"user3@example.net", `"quoted`},
		{"user4@example.com", "123456"},
		{"user5@example.com", "p,a;s|s"},
		{"user6@example.com", "letmein"},
	}, got)
	assert.Equal(t, ":", r.Info().Delimiter)
}

func TestDelimiterSniff(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"semicolon with commas in values", "name;address\nИванов;Киев, ул. Ленина, 5\nПетров;Львов, пл. Рынок, 1\n", ";"},
		{"tab", "a\tb\tc\n1\t2\t3\n", "\t"},
		{"pipe", "a|b\n1|2\n", "|"},
		{"comma beats colon", "time,event\n12:30,start\n13:45,stop\n", ","},
		{"one column", "только\nодин\nстолбец\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in))
			r.Header = HeaderPresent
			_ = readAll(t, r)
			assert.Equal(t, tt.want, r.Info().Delimiter, "input %q", tt.in)
		})
	}
}

func TestJSONLines(t *testing.T) {
	in := `{"name":"Иванов","contact":{"phone":"+380501234567","email":"a@example.com"},"tags":[1, "x", {"k": true}],"age":42.50,"ok":true,"gone":null}` + "\n" +
		"\n" +
		`{"contact":{"email":"b@example.com"},"name":"Петров","extra":"late"}` + "\n"
	r := NewReader(strings.NewReader(in))
	r.SniffRecords = 1
	cols, err := r.Columns()
	require.NoError(t, err)
	assert.Equal(t, []string{"name", "contact.phone", "contact.email", "tags", "age", "ok", "gone"}, columnNames(cols))
	got := readAll(t, r)
	assert.Equal(t, [][]string{
		{"Иванов", "+380501234567", "a@example.com", `[1,"x",{"k":true}]`, "42.50", "true", ""},
		{"Петров", "", "b@example.com", "", "", "", ""},
	}, got)
	info := r.Info()
	assert.Equal(t, JSONLines, info.Format)
	assert.Equal(t, int64(1), info.ExtraKeys, "the key first seen after the sniff is counted")
	assert.Equal(t, []string{"extra"}, info.ExtraKeyNames)
}

func TestJSONErrors(t *testing.T) {
	in := "{\"a\":1}\n[1,2]\n{\"a\":\n{\"a\":2} x\n{\"a\":3}\n"
	r := NewReader(strings.NewReader(in))
	var lines []int
	var recs [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "error %v", err)
			assert.ErrorIs(t, err, ErrJSON, "line %d", pe.Line)
			lines = append(lines, pe.Line)
			continue
		}
		recs = append(recs, rec)
	}
	assert.Equal(t, []int{2, 3, 4}, lines)
	assert.Equal(t, [][]string{{"1"}, {"3"}}, recs)
}

// parseErrors reads everything, returning the records and the parse errors.
func parseErrors(t *testing.T, r *Reader) ([][]string, []*ParseError) {
	t.Helper()
	var recs [][]string
	var errs []*ParseError
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "want a *ParseError, got %v", err)
			require.Less(t, len(errs), 1000, "errors without end: %v", err)
			errs = append(errs, pe)
			continue
		}
		recs = append(recs, rec)
	}
}

func TestBadRecords(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		sentinel error
		line     int
		want     [][]string // the good records, read on past the error
	}{
		{"unclosed quote", "a,b\n1,2\n3,\"open\n4,5\n6,7\n", ErrQuote, 3, [][]string{{"1", "2"}, {"4", "5"}, {"6", "7"}}},
		{"unclosed quote at eof", "a,b\n1,2\n3,\"open", ErrQuote, 3, [][]string{{"1", "2"}}},
		{"text after closing quote", "a,b\n1,\"2\"x\n3,4\n", ErrQuote, 2, [][]string{{"3", "4"}}},
		{"field count", "a,b\n1,2,3\n4,5\n", ErrFieldCount, 2, [][]string{{"4", "5"}}},
		{"too few fields", "a,b\n1,2\n3\n", ErrFieldCount, 3, [][]string{{"1", "2"}}},
		{"binary garbage", "a,b\n1,2\nx\x00\x01\x02\xff\xfe,y\n3,4\n", ErrBinary, 3, [][]string{{"1", "2"}, {"3", "4"}}},
		{"invalid utf-8", "a,b\nИван,Київ\nx\xff\xfe,y\nПетро,Львів\n", ErrEncoding, 3, [][]string{{"Иван", "Київ"}, {"Петро", "Львів"}}},
		{"invalid utf-8 in quoted field", "a,b\nИван,Київ\n\"x\xc3\",y\nПетро,Львів\n", ErrEncoding, 3, [][]string{{"Иван", "Київ"}, {"Петро", "Львів"}}},
		{"too many fields", "a,b\n1,2\n" + strings.Repeat(",", 10) + "\n3,4\n", ErrTooManyFields, 3, [][]string{{"1", "2"}, {"3", "4"}}},
		{"too many quoted fields", "a,b\n1,2\n\"\"" + strings.Repeat(",\"\"", 10) + "\n3,4\n", ErrTooManyFields, 3, [][]string{{"1", "2"}, {"3", "4"}}},
		{"record too large", "a,b\n1,2\n" + strings.Repeat("x", 200) + "\n3,4\n", ErrRecordTooLarge, 3, [][]string{{"1", "2"}, {"3", "4"}}},
		{"quoted record too large", "a,b\n1,2\n3,\"" + strings.Repeat("x\n", 100) + "\"\n4,5\n", ErrRecordTooLarge, 3, [][]string{{"1", "2"}, {"4", "5"}}},
	}
	for _, tt := range tests {
		for _, skip := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/skip=%v", tt.name, skip), func(t *testing.T) {
				r := NewReader(strings.NewReader(tt.in))
				r.Name = "bad.csv"
				r.Header = HeaderPresent
				r.MaxFields = 8
				r.MaxRecordBytes = 100
				r.SkipBad = skip
				recs, errs := parseErrors(t, r)
				if skip {
					assert.Empty(t, errs, "input %q", tt.in)
					assert.GreaterOrEqual(t, r.Info().Skipped, int64(1), "skips counted for %q", tt.in)
				} else {
					require.NotEmpty(t, errs, "input %q", tt.in)
					pe := errs[0]
					assert.ErrorIs(t, pe, tt.sentinel, "input %q", tt.in)
					assert.Equal(t, tt.line, pe.Line, "line of %v", pe)
					assert.Equal(t, "bad.csv", pe.File)
					assert.Contains(t, pe.Error(), fmt.Sprintf("bad.csv:%d:", tt.line))
					assert.Zero(t, r.Info().Skipped)
				}
				assert.Equal(t, tt.want, recs, "records around the bad one in %q", tt.in)
				assert.Equal(t, int64(len(recs)), r.Info().Records)
			})
		}
	}
}

// TestUnclosedQuoteRecovery checks that the lines after an unclosed quote
// are read again, each on its own, and every bad one is counted.
func TestUnclosedQuoteRecovery(t *testing.T) {
	in := "a,b\n1,\"open\n2,\"also open\n3,4\n\"5\",6\n"
	r := NewReader(strings.NewReader(in))
	r.Header = HeaderPresent
	r.SkipBad = true
	assert.Equal(t, [][]string{{"3", "4"}, {"5", "6"}}, readAll(t, r))
	assert.Equal(t, int64(2), r.Info().Skipped)
}

func TestBinaryInput(t *testing.T) {
	garbage := make([]byte, 4096)
	x := uint32(12345)
	for i := range garbage {
		x = x*1664525 + 1013904223
		garbage[i] = byte(x >> 24)
	}
	for _, skip := range []bool{false, true} {
		r := NewReader(bytes.NewReader(garbage))
		r.SkipBad = skip
		_, err := r.Read()
		var pe *ParseError
		require.ErrorAs(t, err, &pe, "skip=%v", skip)
		assert.ErrorIs(t, err, ErrBinary)
		assert.Equal(t, 1, pe.Line)
		_, err = r.Columns()
		assert.ErrorIs(t, err, ErrBinary, "the error sticks")
	}
}

func TestReuseRecord(t *testing.T) {
	in := csvText(t, ',', false, fixtureHeader, fixtureRows)
	r := NewReader(strings.NewReader(in))
	r.ReuseRecord = true
	r.SniffRecords = 2
	var got [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		got = append(got, append([]string(nil), rec...))
	}
	assert.Equal(t, fixtureRows, got)
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []rune{'"', '\n', 'ж'} {
		r := NewReader(strings.NewReader("a,b\n"))
		r.Comma = c
		_, err := r.Read()
		assert.ErrorIs(t, err, ErrConfig, "Comma %q", c)
	}
	r := NewReader(strings.NewReader("a,b\n"))
	r.Format = "xml"
	_, err := r.Columns()
	assert.ErrorIs(t, err, ErrConfig)

	var zero Reader
	_, err = zero.Read()
	assert.ErrorIs(t, err, ErrConfig, "a Reader not made by NewReader")
}

func TestFormatAndCommaOverride(t *testing.T) {
	r := NewReader(strings.NewReader("a;b,c\n1;2,3\n"))
	r.Comma = ','
	assert.Equal(t, [][]string{{"1;2", "3"}}, readAll(t, r))

	r = NewReader(strings.NewReader("{\"a\":1}\n"))
	r.Format = Delimited
	r.Comma = '\t'
	r.Header = HeaderAbsent
	assert.Equal(t, [][]string{{"{\"a\":1}"}}, readAll(t, r))
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestIOError(t *testing.T) {
	boom := errors.New("boom")
	r := NewReader(io.MultiReader(strings.NewReader("a,b\n1,2\n"), errReader{boom}))
	r.Name = "x.csv"
	_, err := r.Read()
	assert.ErrorIs(t, err, boom)
	var pe *ParseError
	assert.False(t, errors.As(err, &pe), "an I/O error is not a parse error")

	r = NewReader(bytes.NewReader([]byte{0x1f, 0x8b, 1, 2, 3}))
	_, err = r.Read()
	assert.Error(t, err, "a broken gzip header")
}

func TestEmptyInput(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\xEF\xBB\xBF"} {
		r := NewReader(strings.NewReader(in))
		cols, err := r.Columns()
		require.NoError(t, err, "input %q", in)
		assert.Empty(t, cols, "input %q", in)
		_, err = r.Read()
		assert.Equal(t, io.EOF, err, "input %q", in)
	}
}

// An error of the first record, reported by Columns, names the file.
func TestColumnsErrorNamesTheFile(t *testing.T) {
	r := NewReader(strings.NewReader(`{"a":1,"b":2,"c":3}` + "\n"))
	r.Name, r.MaxFields = "wide.jsonl", 2
	_, err := r.Columns()
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "wide.jsonl", pe.File)
	assert.Contains(t, err.Error(), "wide.jsonl:1:")
}

// TestCarriageReturns: a record's line ending "\r\n" is not part of its
// last field, nor a "\r" ending the input; any other "\r" is data.
func TestCarriageReturns(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]string
	}{
		{"crlf", "a,b\r\n1,2\r\n", [][]string{{"1", "2"}}},
		{"lone cr at eof", "a,b\r\n1,2\r", [][]string{{"1", "2"}}},
		{"lone cr at eof after lf", "a,b\n1,2\n\r", [][]string{{"1", "2"}}},
		{"quoted field then cr at eof", "a,b\r\n1,\"2\"\r", [][]string{{"1", "2"}}},
		{"quoted field with crlf inside, cr at eof", "a,b\r\n1,\"2\r\n3\"\r", [][]string{{"1", "2\n3"}}},
		{"cr before crlf is data", "a,b\n1,2\r\r\n", [][]string{{"1", "2\r"}}},
		{"cr inside a field", "a,b\n1\r1,2\n", [][]string{{"1\r1", "2"}}},
		{"cr inside a quoted field", "a,b\n\"1\r\",2\n", [][]string{{"1\r", "2"}}},
	}
	for _, tt := range tests {
		for _, comma := range []string{",", ";", "\t", "|"} {
			in := strings.ReplaceAll(tt.in, ",", comma)
			r := NewReader(strings.NewReader(in))
			r.Header = HeaderPresent
			assert.Equal(t, tt.want, readAll(t, r), "%s: input %q", tt.name, in)
			assert.Equal(t, comma, r.Info().Delimiter, "%s: input %q", tt.name, in)
		}
	}

	combo := "user1@example.com:qwerty\r\nuser2@example.org:pa:ss\r\nuser3@example.net:123456\r\n" +
		"user4@example.com:letmein\r\nuser5@example.com:dragon\r\nuser6@example.com:monkey\r"
	r := NewReader(strings.NewReader(combo))
	r.Header = HeaderAbsent
	assert.Equal(t, [][]string{
		{"user1@example.com", "qwerty"}, {"user2@example.org", "pa:ss"}, {"user3@example.net", "123456"},
		{"user4@example.com", "letmein"}, {"user5@example.com", "dragon"}, {"user6@example.com", "monkey"},
	}, readAll(t, r), "combolist %q", combo)
	assert.Equal(t, ":", r.Info().Delimiter, "combolist %q", combo)
}

// TestBareQuotes: a quote inside a field that does not start with one is
// kept as it is, with every delimiter, whether or not another field of the
// record is quoted (the reader's fast and slow paths).
func TestBareQuotes(t *testing.T) {
	for _, comma := range []string{",", ";", "\t", "|"} {
		for _, tt := range []struct{ in, want0, want1 string }{
			{`ab"c` + comma + `x`, `ab"c`, "x"},
			{`ab"c` + comma + `"x"`, `ab"c`, "x"},
			{`x` + comma + `ООО "Ромашка"`, "x", `ООО "Ромашка"`},
			{`"x"` + comma + `ООО "Ромашка"`, "x", `ООО "Ромашка"`},
			{`a"` + comma + `b""`, `a"`, `b""`},
			{` "x"` + comma + `y`, ` "x"`, "y"},
		} {
			r := NewReader(strings.NewReader("h1" + comma + "h2\n" + tt.in + "\n"))
			r.Header = HeaderPresent
			r.Comma = rune(comma[0])
			recs, errs := parseErrors(t, r)
			assert.Empty(t, errs, "input %q", tt.in)
			assert.Equal(t, [][]string{{tt.want0, tt.want1}}, recs, "input %q", tt.in)
		}
	}
}

// csvRead reads in with encoding/csv, as the Reader should.
func csvRead(in string, comma rune, lazy bool) ([][]string, error) {
	cr := csv.NewReader(strings.NewReader(in))
	cr.Comma = comma
	cr.LazyQuotes = lazy
	return cr.ReadAll()
}

// readerRead reads in with a Reader: delimiter comma, no header, UTF-8.
func readerRead(in string, comma rune) ([][]string, []*ParseError) {
	r := NewReader(strings.NewReader(in))
	r.Comma = comma
	r.Header = HeaderAbsent
	r.Encoding = "utf-8"
	r.Format = Delimited
	var recs [][]string
	var errs []*ParseError
	for len(errs) < 100 {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				return recs, append(errs, &ParseError{Err: err})
			}
			errs = append(errs, pe)
			continue
		}
		recs = append(recs, rec)
	}
	return recs, errs
}

// randomCSV makes text from pieces that matter to a CSV parser.
func randomCSV(rng *rand.Rand, comma rune) string {
	pieces := []string{"a", "b", "ж", "Київ", " ", string(comma), string(comma), "\"", "\"", "\"\"", "\n", "\n", "\r\n", "\r", ",", ";", "\t", "|"}
	n := rng.IntN(30)
	var b strings.Builder
	for range n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// TestDelimitedDifferential compares the Reader with encoding/csv: on
// random text where encoding/csv succeeds, on text encoding/csv writes, and
// (with LazyQuotes, the one documented difference) on text whose quotes
// are all bare, inside fields that do not start with one.
func TestDelimitedDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, comma := range []rune{',', ';', '\t', '|'} {
		compared := 0
		for range 20000 {
			in := randomCSV(rng, comma)
			want, err := csvRead(in, comma, false)
			if err != nil {
				continue
			}
			compared++
			got, errs := readerRead(in, comma)
			if !assert.Empty(t, errs, "input %q (comma %q), encoding/csv reads %q", in, comma, want) {
				continue
			}
			if len(want) == 0 {
				want = nil
			}
			assert.Equal(t, want, got, "input %q (comma %q)", in, comma)
		}
		assert.Greater(t, compared, 2000, "inputs encoding/csv reads, comma %q", comma)

		// Written by encoding/csv: always read back.
		for range 2000 {
			nf := 1 + rng.IntN(4)
			var rows [][]string
			for range 1 + rng.IntN(4) {
				row := make([]string, nf)
				for i := range row {
					row[i] = strings.TrimRight(randomCSV(rng, comma), "\r")
				}
				rows = append(rows, row)
			}
			var b strings.Builder
			w := csv.NewWriter(&b)
			w.Comma = comma
			w.UseCRLF = rng.IntN(2) == 0
			require.NoError(t, w.WriteAll(rows))
			in := b.String()
			want, err := csvRead(in, comma, false)
			require.NoError(t, err, "encoding/csv reads what it writes: %q", in)
			got, errs := readerRead(in, comma)
			if !assert.Empty(t, errs, "input %q (comma %q)", in, comma) {
				continue
			}
			if len(want) == 0 {
				want = nil
			}
			assert.Equal(t, want, got, "input %q (comma %q)", in, comma)
		}

		// Bare quotes only: as encoding/csv with LazyQuotes.
		for range 5000 {
			in := randomCSV(rng, comma)
			if strings.HasPrefix(in, "\"") || strings.Contains(in, "\n\"") || strings.Contains(in, string(comma)+"\"") {
				continue // a field starts with a quote: not bare
			}
			strictWant, strictErr := csvRead(in, comma, false)
			want, err := csvRead(in, comma, true)
			if err != nil {
				continue
			}
			got, errs := readerRead(in, comma)
			if !assert.Empty(t, errs, "input %q (comma %q)", in, comma) {
				continue
			}
			if len(want) == 0 {
				want = nil
			}
			assert.Equal(t, want, got, "input %q (comma %q)", in, comma)
			if strictErr == nil {
				assert.Equal(t, strictWant, want, "lazy and strict agree without bare quotes: %q", in)
			}
		}
	}
}
