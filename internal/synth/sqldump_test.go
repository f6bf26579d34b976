package synth

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var sqlHeader = []string{"id", "name", "code"}

var sqlRows = [][]string{
	{"1", "O'Brien", "007"},
	{"2", "", "x"},
	{"3", "a\x00b\nc\rd\\e\"f\x1ag\th", "-1"},
}

func TestWriteMySQLDump(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteMySQLDump(&b, "people", sqlHeader, sqlRows, 2))
	out := b.String()
	assert.True(t, strings.HasPrefix(out, "-- MySQL dump 10.13  Distrib 8.0.36"), "header comment")
	for _, want := range []string{
		"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n",
		"DROP TABLE IF EXISTS `people`;\n",
		"CREATE TABLE `people` (\n  `id` bigint DEFAULT NULL,\n  `name` varchar(64) COLLATE utf8mb4_unicode_ci DEFAULT NULL,\n" +
			"  `code` varchar(64) COLLATE utf8mb4_unicode_ci DEFAULT NULL,\n  KEY `idx_id` (`id`)\n) ENGINE=InnoDB",
		"LOCK TABLES `people` WRITE;\n/*!40000 ALTER TABLE `people` DISABLE KEYS */;\n",
		"INSERT INTO `people` VALUES (1,'O\\'Brien','007'),(2,NULL,'x');\n",
		"INSERT INTO `people` VALUES (3,'a\\0b\\nc\\rd\\\\e\\\"f\\Zg\th','-1');\n",
		"/*!40000 ALTER TABLE `people` ENABLE KEYS */;\nUNLOCK TABLES;\n",
		"-- Dump completed on ",
	} {
		assert.Contains(t, out, want)
	}
	assert.Equal(t, 2, strings.Count(out, "INSERT INTO"), "two rows per INSERT")

	b.Reset()
	require.NoError(t, WriteMySQLDump(&b, "we`ird", sqlHeader, sqlRows, 0))
	assert.Equal(t, 3, strings.Count(b.String(), "INSERT INTO `we``ird` VALUES ("), "one INSERT a row, the name quoted")
}

func TestWritePgDump(t *testing.T) {
	header := []string{"id", "Email", "user", "note"}
	rows := [][]string{
		{"1", "a@example.com", "O'Brien", "tab\there\\"},
		{"2", "", "x", "line\nbreak\rcr\b\f\v"},
	}
	var b bytes.Buffer
	require.NoError(t, WritePgDump(&b, "customers", header, rows, false))
	out := b.String()
	assert.True(t, strings.HasPrefix(out, "--\n-- PostgreSQL database dump\n--\n\n\\restrict "), "header comment")
	for _, want := range []string{
		"SET standard_conforming_strings = on;\n",
		"CREATE TABLE public.customers (\n    id bigint,\n    \"Email\" character varying(64),\n    \"user\" character varying(64),\n" +
			"    note character varying(64)\n);\n",
		"ALTER TABLE public.customers OWNER TO postgres;\n",
		"COPY public.customers (id, \"Email\", \"user\", note) FROM stdin;\n" +
			"1\ta@example.com\tO'Brien\ttab\\there\\\\\n" +
			"2\t\\N\tx\tline\\nbreak\\rcr\\b\\f\\v\n\\.\n",
		"-- PostgreSQL database dump complete\n",
		"\\unrestrict ",
	} {
		assert.Contains(t, out, want)
	}

	b.Reset()
	require.NoError(t, WritePgDump(&b, "customers", header, rows, true))
	out = b.String()
	assert.Contains(t, out, "INSERT INTO public.customers (id, \"Email\", \"user\", note) VALUES (1, 'a@example.com', 'O''Brien', 'tab\there\\');\n")
	assert.Contains(t, out, "INSERT INTO public.customers (id, \"Email\", \"user\", note) VALUES (2, NULL, 'x', 'line\nbreak\rcr\b\f\v');\n")
	assert.NotContains(t, out, "COPY ", "inserts instead of COPY")
}

func TestSQLColumnTypes(t *testing.T) {
	long := strings.Repeat("д", 100)
	cols, err := sqlColumns([]string{"n", "zeros", "short", "long", "text", "empty"}, [][]string{
		{"12", "007", "a", long, strings.Repeat("x", 300), ""},
		{"-3", "1", "", "b", "", ""},
	})
	require.NoError(t, err)
	assert.Equal(t, []sqlColumn{
		{name: "n", number: true},
		{name: "zeros", varchar: 64},
		{name: "short", varchar: 64},
		{name: "long", varchar: 255},
		{name: "text"},
		{name: "empty", varchar: 64},
	}, cols)
	for _, v := range []string{"0", "-1", "123456789012345678"} {
		assert.True(t, isInteger(v), v)
	}
	for _, v := range []string{"", "-", "-0", "01", "1.5", "1e3", "+1", "1234567890123456789"} {
		assert.False(t, isInteger(v), v)
	}
}

func TestWriteSQLDumpErrors(t *testing.T) {
	var b bytes.Buffer
	assert.Error(t, WriteMySQLDump(&b, "t", []string{"a", "b"}, [][]string{{"1"}}, 1), "a short row")
	assert.Error(t, WritePgDump(&b, "t", []string{"a"}, [][]string{{"1", "2"}}, false), "a long row")
	assert.Error(t, WriteMySQLDump(&b, "t", nil, nil, 1), "no columns")
	assert.Error(t, WritePgDump(&b, "t", nil, nil, true), "no columns")
}
