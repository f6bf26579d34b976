package sampleset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// sqlGot is a table as read from a dump.
type sqlGot struct {
	name   string
	header []string
	rows   [][]string
	errs   []string // "line:column sentinel" of each bad tuple
}

// sqlSentinels are the errors a bad tuple may wrap, most specific first.
var sqlSentinels = []struct {
	name string
	err  error
}{
	{"ErrRecordTooLarge", ErrRecordTooLarge},
	{"ErrTooManyFields", ErrTooManyFields},
	{"ErrFieldCount", ErrFieldCount},
	{"ErrEncoding", ErrEncoding},
	{"ErrSQL", ErrSQL},
}

// describeErr gives a parse error as "line:column sentinel".
func describeErr(t *testing.T, err error, input string) string {
	t.Helper()
	var pe *ParseError
	require.ErrorAs(t, err, &pe, "input %q: %v is not a *ParseError", input, err)
	for _, s := range sqlSentinels {
		if errors.Is(err, s.err) {
			return fmt.Sprintf("%d:%d %s", pe.Line, pe.Column, s.name)
		}
	}
	t.Fatalf("input %q: error %v wraps no sentinel", input, err)
	return ""
}

// readSQLTables reads every table of a dump through its raw rows.
func readSQLTables(t *testing.T, input string, maxBytes, maxFields int) (tables []sqlGot, nextErrs []string) {
	t.Helper()
	d := newSQLDump("dump.sql", strings.NewReader(input), maxBytes, maxFields)
	for calls := 0; calls < 1000; calls++ {
		name, tb, err := d.next()
		if err == io.EOF {
			return tables, nextErrs
		}
		if err != nil {
			nextErrs = append(nextErrs, describeErr(t, err, input))
			continue
		}
		require.NotNil(t, tb, "input %q: table %s", input, name)
		assert.Equal(t, SQLDump, tb.format, "input %q", input)
		assert.Equal(t, "utf-8", tb.encoding, "input %q", input)
		g := sqlGot{name: name, header: tb.header}
		for reads := 0; ; reads++ {
			require.Less(t, reads, 10000, "input %q: rows of %s do not end", input, name)
			rec, _, err := tb.rows.read(nil)
			if err == io.EOF {
				break
			}
			if err != nil {
				g.errs = append(g.errs, describeErr(t, err, input))
				continue
			}
			g.rows = append(g.rows, rec)
		}
		tables = append(tables, g)
	}
	t.Fatalf("input %q: next does not end", input)
	return nil, nil
}

// tbl is a wanted table.
func tbl(name string, header []string, rows ...[]string) sqlGot {
	return sqlGot{name: name, header: header, rows: rows}
}

func cols(names ...string) []string { return names }
func row(fields ...string) []string { return fields }

func TestSQLDumpMySQL(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		want  []sqlGot
	}{
		{"mysqldump layout", `-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS ` + "`customers`" + `;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE ` + "`customers` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `email` varchar(255) NOT NULL DEFAULT 'x,y)',\n  `phone` varchar(20) DEFAULT NULL COMMENT 'mobile; (main)',\n  `status` enum('a','b') DEFAULT 'a',\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `email` (`email`),\n  KEY `idx_phone` (`phone`(10)),\n  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `other` (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4;\n" + `
LOCK TABLES ` + "`customers`" + ` WRITE;
/*!40000 ALTER TABLE ` + "`customers`" + ` DISABLE KEYS */;
INSERT INTO ` + "`customers`" + ` VALUES (1,'a@example.com','+380501234567','a'),(2,'b@example.com',NULL,'b');
INSERT INTO ` + "`customers`" + ` VALUES (3,'c@example.com','0501234569','a');
/*!40000 ALTER TABLE ` + "`customers`" + ` ENABLE KEYS */;
UNLOCK TABLES;
-- Dump completed on 2024-03-01 12:00:00
`, []sqlGot{tbl("customers", cols("id", "email", "phone", "status"),
			row("1", "a@example.com", "+380501234567", "a"), row("2", "b@example.com", "", "b"),
			row("3", "c@example.com", "0501234569", "a"))}},
		{"phpMyAdmin layout", "-- phpMyAdmin SQL Dump\n-- version 5.2.1\n\nSET SQL_MODE = \"NO_AUTO_VALUE_ON_ZERO\";\nSTART TRANSACTION;\n\n" +
			"CREATE TABLE `members` (\n  `id` int(11) NOT NULL,\n  `login` varchar(64) COLLATE utf8mb4_unicode_ci NOT NULL,\n  `pass` binary(16) DEFAULT NULL,\n  `active` bit(1) NOT NULL DEFAULT b'1'\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n" +
			"INSERT INTO `members` (`id`, `login`, `pass`, `active`) VALUES\n(1, 'ivan', 0x5f4dcc3b5aa765d61d8327deb882cf99, b'1'),\n(2, 'olena', _binary 'abc\\0', b'0');\n\n" +
			"DELIMITER $$\nCREATE TRIGGER `t1` BEFORE INSERT ON `members` FOR EACH ROW BEGIN\n  INSERT INTO log VALUES (NEW.id);\nEND\n$$\nDELIMITER ;\nCOMMIT;\n",
			[]sqlGot{tbl("members", cols("id", "login", "pass", "active"),
				row("1", "ivan", "5f4dcc3b5aa765d61d8327deb882cf99", "1"), row("2", "olena", "61626300", "0"))}},
		{"column list", "INSERT INTO users (`email`, phone) VALUES ('a@example.com', '1'), ('b@example.com', '2');",
			[]sqlGot{tbl("users", cols("email", "phone"), row("a@example.com", "1"), row("b@example.com", "2"))}},
		{"column list over CREATE TABLE", "CREATE TABLE t (a int, b int, c int);\nINSERT INTO t (c, a) VALUES (3, 1);",
			[]sqlGot{tbl("t", cols("c", "a"), row("3", "1"))}},
		{"INSERT IGNORE, REPLACE, modifiers, VALUE", "INSERT IGNORE INTO t (a) VALUES (1);\nREPLACE INTO t (a) VALUES (2);\n" +
			"INSERT LOW_PRIORITY IGNORE INTO `t` (a) VALUE (3);\nREPLACE DELAYED t (a) VALUES (4);",
			[]sqlGot{tbl("t", cols("a"), row("1"), row("2"), row("3"), row("4"))}},
		{"schema-qualified", "INSERT INTO `shop`.`users` (a) VALUES (1);\nINSERT INTO shop . users (a) VALUES (2);",
			[]sqlGot{tbl("shop.users", cols("a"), row("1"), row("2"))}},
		{"quoted identifiers", "CREATE TABLE `we``ird` (`a``b` int, `key` int, `primary` int);\nINSERT INTO `we``ird` VALUES (1,2,3);",
			[]sqlGot{tbl("we`ird", cols("a`b", "key", "primary"), row("1", "2", "3"))}},
		{"backslash escapes", `INSERT INTO t (v) VALUES ('a\0b'),('\''),('\"'),('\b'),('\n'),('\r'),('\t'),('\Z'),('\\'),('\%'),('\_'),('\q'),('C:\\dir\\');`,
			[]sqlGot{tbl("t", cols("v"), row("a\x00b"), row("'"), row(`"`), row("\b"), row("\n"), row("\r"), row("\t"),
				row("\x1a"), row(`\`), row(`\%`), row(`\_`), row("q"), row(`C:\dir\`))}},
		{"doubled quotes and double-quoted strings", `INSERT INTO t (v) VALUES ('O''Brien'),("say ""hi"""),('it''s\'s'),('');`,
			[]sqlGot{tbl("t", cols("v"), row("O'Brien"), row(`say "hi"`), row("it's's"), row(""))}},
		{"adjacent strings", `INSERT INTO t (v) VALUES ('ab' 'cd');`,
			[]sqlGot{tbl("t", cols("v"), row("abcd"))}},
		{"NULL, numbers, bare words", "INSERT INTO t (a,b,c,d,e,f,g) VALUES (NULL, -1.5e3, 42, DEFAULT, TRUE, null, +7);",
			[]sqlGot{tbl("t", cols("a", "b", "c", "d", "e", "f", "g"), row("", "-1.5e3", "42", "", "TRUE", "", "+7"))}},
		{"introducers", "INSERT INTO t (a,b,c,d,e,f) VALUES (_binary 'abc', _utf8mb4'Щ\\'x', N'n', _binary '\\0\xff', _binary 0x4142, _binary '\\0\\xff');",
			[]sqlGot{tbl("t", cols("a", "b", "c", "d", "e", "f"), row("abc", "Щ'x", "n", "00ff", "AB", "00786666"))}},
		{"hex literals", "INSERT INTO t (a,b,c,d,e,f,g) VALUES (0x416263, 0xFF00, X'4142', x'00', 0xd0a9, 0x141, 0x414);",
			[]sqlGot{tbl("t", cols("a", "b", "c", "d", "e", "f", "g"), row("Abc", "ff00", "AB", "00", "Щ", "0141", "0414"))}},
		{"hex binary data", "INSERT INTO t (h) VALUES (0x5F4DCC3B5AA765D61D8327DEB882CF99);",
			[]sqlGot{tbl("t", cols("h"), row("5f4dcc3b5aa765d61d8327deb882cf99"))}},
		{"bit literals", "INSERT INTO t (a,b,c,d) VALUES (b'0101', B'1', 0b11, b'');",
			[]sqlGot{tbl("t", cols("a", "b", "c", "d"), row("5", "1", "3", ""))}},
		{"comments everywhere", "# a shell comment\n-- a comment\n/* block; 'quote */ INSERT /* x */ INTO t -- c\n (a, b) VALUES # c\n (1, /* 2 */ 3), -- more\n(4 /*!40000 , 9 */, 5);",
			[]sqlGot{tbl("t", cols("a", "b"), row("1", "3"), row("4", "5"))}},
		{"-- needs a space in MySQL", "INSERT INTO t (a) VALUES (1--1);",
			[]sqlGot{tbl("t", cols("a"), row("1--1"))}},
		{"statements between INSERTs", "INSERT INTO t (a) VALUES (1);\nSET @x = 'a;b';\nLOCK TABLES t WRITE;\nALTER TABLE t DISABLE KEYS;\nINSERT INTO t (a) VALUES (2);\nUNLOCK TABLES;",
			[]sqlGot{tbl("t", cols("a"), row("1"), row("2"))}},
		{"DELIMITER and a procedure", "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN\n  INSERT INTO t VALUES (99);\n  SELECT ';';\nEND ;;\nDELIMITER ;\nINSERT INTO t (a) VALUES (1);\n" +
			"DELIMITER $$\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN INSERT INTO log VALUES (1); END$$\nDELIMITER ;\nINSERT INTO u (b) VALUES (2);",
			[]sqlGot{tbl("t", cols("a"), row("1")), tbl("u", cols("b"), row("2"))}},
		{"mysqldump triggers and routines", "INSERT INTO `t` VALUES (1);\n/*!50003 SET @saved_cs_client      = @@character_set_client */ ;\n" +
			"DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW BEGIN\n  INSERT INTO log VALUES (1);\nEND */;;\nDELIMITER ;\n" +
			"DELIMITER ;;\nCREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\nBEGIN\n  INSERT INTO t VALUES (99);\n  SELECT 'a;;b';\nEND ;;\nDELIMITER ;\n" +
			"INSERT INTO `t` VALUES (2);\n",
			[]sqlGot{tbl("t", cols("column 1"), row("1"), row("2"))}},
		{"CREATE TABLE again", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nDROP TABLE t;\nCREATE TABLE t (a int, b int);\nINSERT INTO t VALUES (2,3);",
			[]sqlGot{tbl("t", cols("a"), row("1")), tbl("t#2", cols("a", "b"), row("2", "3"))}},
		{"ON DUPLICATE KEY UPDATE", "INSERT INTO t (a,b) VALUES (1,2),(3,4) ON DUPLICATE KEY UPDATE b=VALUES(b);\nINSERT INTO t (a,b) VALUES (5,6);",
			[]sqlGot{tbl("t", cols("a", "b"), row("1", "2"), row("3", "4"), row("5", "6"))}},
		{"expressions kept as written", "INSERT INTO t (a,b,c) VALUES (NOW(), (1+2), CONCAT('a', ')'));",
			[]sqlGot{tbl("t", cols("a", "b", "c"), row("NOW()", "(1+2)", "CONCAT('a', ')')"))}},
		{"no CREATE TABLE, no column list", "INSERT INTO t VALUES (1,'a'),(2,'b');\nINSERT INTO t VALUES (3,'c');",
			[]sqlGot{tbl("t", cols("column 1", "column 2"), row("1", "a"), row("2", "b"), row("3", "c"))}},
		{"the same table again later", "INSERT INTO t (a) VALUES (1);\nINSERT INTO u (a) VALUES (2);\nINSERT INTO t (a) VALUES (3);\nINSERT INTO t (a) VALUES (4);",
			[]sqlGot{tbl("t", cols("a"), row("1")), tbl("u", cols("a"), row("2")), tbl("t#2", cols("a"), row("3"), row("4"))}},
		{"a different column list", "INSERT INTO t (a) VALUES (1);\nINSERT INTO t (b) VALUES (2);",
			[]sqlGot{tbl("t", cols("a"), row("1")), tbl("t#2", cols("b"), row("2"))}},
		{"tables without rows come last", "CREATE TABLE empty1 (`x` int, `y` text);\nCREATE TABLE full (a int);\nCREATE TABLE empty2 (z int);\nINSERT INTO full VALUES (1);",
			[]sqlGot{tbl("full", cols("a"), row("1")), tbl("empty1", cols("x", "y")), tbl("empty2", cols("z"))}},
		{"CREATE TABLE variants", "CREATE TEMPORARY TABLE IF NOT EXISTS `a` (`x` int);\nCREATE TABLE b LIKE a;\nCREATE TABLE c AS SELECT 1;\nCREATE INDEX i ON a (x);\nINSERT INTO a VALUES (1);",
			[]sqlGot{tbl("a", cols("x"), row("1"))}},
		{"INSERT without data", "INSERT INTO t SELECT * FROM u;\nINSERT INTO t DEFAULT VALUES;\nINSERT INTO t SET a = 1;",
			nil},
		{"Cyrillic and CRLF", "INSERT INTO `клієнти` (`ПІБ`, `Телефон`) VALUES\r\n('Шевченко Тарас','+380501234567'),\r\n('Коваленко Олена','+380501234568');\r\n",
			[]sqlGot{tbl("клієнти", cols("ПІБ", "Телефон"), row("Шевченко Тарас", "+380501234567"), row("Коваленко Олена", "+380501234568"))}},
		{"empty tuple", "CREATE TABLE t ();\nINSERT INTO t VALUES ();", []sqlGot{tbl("t", []string{}, row())}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, nextErrs := readSQLTables(t, tc.input, 0, 0)
			assert.Empty(t, nextErrs, "input %q", tc.input)
			for i := range got {
				assert.Empty(t, got[i].errs, "input %q: table %s", tc.input, got[i].name)
				got[i].errs = nil
			}
			assert.Equal(t, tc.want, got, "input %q", tc.input)
		})
	}
}

func TestSQLDumpPostgres(t *testing.T) {
	const header = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\n"
	for _, tc := range []struct {
		name  string
		input string
		want  []sqlGot
	}{
		{"pg_dump layout", header + `
CREATE TABLE public.customers (
    id integer NOT NULL,
    "Email" character varying(255),
    phone text DEFAULT 'n/a'::text,
    CONSTRAINT phone_check CHECK ((length(phone) > 3))
);

ALTER TABLE public.customers OWNER TO postgres;

CREATE FUNCTION public.f() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO public.log VALUES (1);
  RETURN NEW; -- ' not a quote
END;
$$;

CREATE FUNCTION public.g() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;$$' $body$;

--
-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.customers (id, "Email", phone) FROM stdin;
1	a@example.com	+380501234567
2	\N	tab\there
3	back\\slash	new\nline\rcr
4	\101\x42\7	\N
5	\\N	\.x
\.


--
-- PostgreSQL database dump complete
--

\unrestrict abc
`, []sqlGot{tbl("customers", cols("id", "Email", "phone"),
			row("1", "a@example.com", "+380501234567"), row("2", "", "tab\there"),
			row("3", `back\slash`, "new\nline\rcr"), row("4", "AB\x07", ""), row("5", `\N`, ".x"))}},
		{"COPY without a column list", header + "CREATE TABLE public.t (a integer, b text);\nCOPY public.t FROM stdin;\n1\tx\n\\.\n",
			[]sqlGot{tbl("t", cols("a", "b"), row("1", "x"))}},
		{"COPY of an unknown table", header + "COPY other.t FROM stdin;\n1\tx\n2\ty\n\\.\n",
			[]sqlGot{tbl("other.t", cols("column 1", "column 2"), row("1", "x"), row("2", "y"))}},
		{"COPY with CRLF and an empty field", header + "COPY public.t (a, b) FROM stdin;\r\n1\t\r\n\t2\r\n\\.\r\n",
			[]sqlGot{tbl("t", cols("a", "b"), row("1", ""), row("", "2"))}},
		{"inserts", header + `CREATE TABLE public.t (id integer, name text, note text);
INSERT INTO public.t VALUES (1, 'O''Brien', 'C:\dir\');
INSERT INTO public.t VALUES (2, E'a\nb\\c\'d\x41\101\u0429', NULL);
INSERT INTO public.t VALUES (3, '1'::integer, '{a,b}'::text[]);
INSERT INTO public.t VALUES (4, 'x'::character varying, '12.5'::numeric(10,2));
`, []sqlGot{tbl("t", cols("id", "name", "note"), row("1", "O'Brien", `C:\dir\`), row("2", "a\nb\\c'dAAЩ", ""),
			row("3", "1", "{a,b}"), row("4", "x", "12.5"))}},
		{"column inserts and quoted identifiers", header + `INSERT INTO public."Users" ("E-mail", "user", name) VALUES ('a@example.com', 'x', 'Іван');
INSERT INTO public."Users" ("E-mail", "user", name) OVERRIDING SYSTEM VALUE VALUES ('b@example.com', 'y', 'Олена');
`, []sqlGot{tbl("Users", cols("E-mail", "user", "name"), row("a@example.com", "x", "Іван"), row("b@example.com", "y", "Олена"))}},
		{"rows per insert", header + "INSERT INTO public.t (a) VALUES\n\t(1),\n\t(2);\n",
			[]sqlGot{tbl("t", cols("a"), row("1"), row("2"))}},
		{"standard_conforming_strings off", "SET standard_conforming_strings = off;\nINSERT INTO t (a) VALUES ('x\\'y');\n",
			[]sqlGot{tbl("t", cols("a"), row("x'y"))}},
		{"nested comments", header + "/* outer /* inner */ still ' a comment */\nINSERT INTO t (a) VALUES (1);\n",
			[]sqlGot{tbl("t", cols("a"), row("1"))}},
		{"-- without a space", header + "--comment\nINSERT INTO t (a) VALUES (1);--x\n",
			[]sqlGot{tbl("t", cols("a"), row("1"))}},
		{"psql meta-commands", "\\connect shop\nSET standard_conforming_strings = on;\nINSERT INTO t (a) VALUES ('a\\b');\n",
			[]sqlGot{tbl("t", cols("a"), row(`a\b`))}},
		{"two COPY blocks", header + "COPY public.a (x) FROM stdin;\n1\n\\.\nCOPY public.b (y) FROM stdin;\n2\n\\.\n",
			[]sqlGot{tbl("a", cols("x"), row("1")), tbl("b", cols("y"), row("2"))}},
		{"COPY to a file has no data here", header + "COPY public.a (x) TO '/tmp/a';\nCOPY public.a (x) FROM '/tmp/a';\n",
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, nextErrs := readSQLTables(t, tc.input, 0, 0)
			assert.Empty(t, nextErrs, "input %q", tc.input)
			for i := range got {
				assert.Empty(t, got[i].errs, "input %q: table %s", tc.input, got[i].name)
				got[i].errs = nil
			}
			assert.Equal(t, tc.want, got, "input %q", tc.input)
		})
	}
}

// TestSQLDumpErrors checks where bad tuples are reported, and that reading
// goes on after them.
func TestSQLDumpErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		input     string
		maxBytes  int
		maxFields int
		want      []sqlGot // rows and errors
		nextErrs  []string
	}{
		{"field count", "CREATE TABLE t (a int, b int);\nINSERT INTO t VALUES (1,2),\n(3),\n(4,5,6),(7,8);", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"1", "2"}, {"7", "8"}},
				errs: []string{"3:0 ErrFieldCount", "4:0 ErrFieldCount"}}}, nil},
		{"field count against the first tuple", "INSERT INTO t VALUES (1,2),(3);", 0, 0,
			[]sqlGot{{name: "t", header: cols("column 1", "column 2"), rows: [][]string{{"1", "2"}},
				errs: []string{"1:0 ErrFieldCount"}}}, nil},
		{"unterminated string", "INSERT INTO t (a,b) VALUES (1,2),\n(3,'abc\n", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"1", "2"}}, errs: []string{"2:2 ErrSQL"}}}, nil},
		{"garbage between tuples", "INSERT INTO t (a) VALUES (1) x (2);\nINSERT INTO t (a) VALUES (3);", 0, 0,
			[]sqlGot{{name: "t", header: cols("a"), rows: [][]string{{"1"}, {"3"}}, errs: []string{"1:0 ErrSQL"}}}, nil},
		{"garbage inside a tuple", "INSERT INTO t (a,b) VALUES\n(1,2),\n(3, 4 5),\n(6,7);", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"1", "2"}, {"6", "7"}}, errs: []string{"3:2 ErrSQL"}}}, nil},
		{"missing value", "INSERT INTO t (a,b) VALUES (1,),(2,3);", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"2", "3"}}, errs: []string{"1:2 ErrSQL"}}}, nil},
		{"no tuple after VALUES", "INSERT INTO t (a) VALUES 1, 2;\nINSERT INTO t (a) VALUES (3);", 0, 0,
			[]sqlGot{{name: "t", header: cols("a"), rows: [][]string{{"3"}}, errs: []string{"1:0 ErrSQL"}}}, nil},
		{"invalid UTF-8", "INSERT INTO t (a,b) VALUES (1,'\xff\xfe'),(2,'ok');", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"2", "ok"}}, errs: []string{"1:2 ErrEncoding"}}}, nil},
		{"too many fields", "INSERT INTO t VALUES (1,2,3),(1,2,3,4,5),(4,5,6);", 0, 3,
			[]sqlGot{{name: "t", header: cols("column 1", "column 2", "column 3"), rows: [][]string{{"1", "2", "3"}, {"4", "5", "6"}},
				errs: []string{"1:0 ErrTooManyFields"}}}, nil},
		{"too large", "INSERT INTO t (a,b) VALUES ('short','x'),\n('" + strings.Repeat("long", 10) + "','y'),('z','w');", 16, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"short", "x"}, {"z", "w"}}, errs: []string{"2:1 ErrRecordTooLarge"}}}, nil},
		{"a tuple spanning lines is reported where it starts", "INSERT INTO t (a,b) VALUES\n(1,'line\nline\nline', 'x'),\n(2,\n'\xff'\n),(3,'ok');", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"3", "ok"}}, errs: []string{"2:0 ErrFieldCount", "5:2 ErrEncoding"}}}, nil},
		{"unbalanced parenthesis", "INSERT INTO t (a,b) VALUES (1, (2, 3);\nINSERT INTO t (a,b) VALUES (4,5);", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"4", "5"}}, errs: []string{"1:2 ErrSQL"}}}, nil},
		{"bad hex", "INSERT INTO t (a) VALUES (0x4G),(X'414'),(b'12'),(1);", 0, 0,
			[]sqlGot{{name: "t", header: cols("a"), rows: [][]string{{"1"}}, errs: []string{"1:1 ErrSQL", "1:1 ErrSQL", "1:1 ErrSQL"}}}, nil},
		{"COPY invalid UTF-8 and width", "COPY public.t (a, b) FROM stdin;\n1\t2\n3\t\xff\n4\n5\t6\n\\.\n", 0, 0,
			[]sqlGot{{name: "t", header: cols("a", "b"), rows: [][]string{{"1", "2"}, {"5", "6"}},
				errs: []string{"3:2 ErrEncoding", "4:0 ErrFieldCount"}}}, nil},
		{"COPY line too large", "COPY public.t (a) FROM stdin;\n" + strings.Repeat("x", 40) + "\nok\n\\.\n", 16, 0,
			[]sqlGot{{name: "t", header: cols("a"), rows: [][]string{{"ok"}}, errs: []string{"2:1 ErrRecordTooLarge"}}}, nil},
		{"COPY not ended", "COPY public.t (a) FROM stdin;\n1\n2", 0, 0,
			[]sqlGot{{name: "t", header: cols("a"), rows: [][]string{{"1"}, {"2"}}, errs: []string{"3:0 ErrSQL"}}}, nil},
		{"COPY in csv format", "COPY public.t (a) FROM stdin WITH (FORMAT csv);\n\"1\"\n\\.\nINSERT INTO u (b) VALUES (2);", 0, 0,
			[]sqlGot{{name: "u", header: cols("b"), rows: [][]string{{"2"}}, errs: []string{"1:0 ErrSQL"}}}, nil},
		{"a malformed statement goes to the next table", "INSERT INTO t (a b) VALUES (1);\nINSERT INTO u (a) VALUES (2);", 0, 0,
			[]sqlGot{{name: "u", header: cols("a"), rows: [][]string{{"2"}}, errs: []string{"1:0 ErrSQL"}}}, nil},
		{"a malformed statement after the last table", "INSERT INTO u (a) VALUES (2);\nSELECT 'unterminated;\n", 0, 0,
			[]sqlGot{{name: "u", header: cols("a"), rows: [][]string{{"2"}}, errs: []string{"2:0 ErrSQL"}}}, nil},
		{"a malformed statement and no table", "CREATE TABLE t (a int;\n", 0, 0, nil, []string{"1:0 ErrSQL"}},
		{"empty identifiers", "CREATE TABLE `` (a int);\nINSERT INTO \"\" (a) VALUES (1);\nINSERT INTO t (``) VALUES (1);\n", 0, 0,
			nil, []string{"1:0 ErrSQL", "2:0 ErrSQL", "3:0 ErrSQL"}},
		{"unterminated comment", "INSERT INTO t (a) VALUES (1), /* (2);\n", 0, 0,
			[]sqlGot{{name: "t", header: cols("a"), rows: [][]string{{"1"}}, errs: []string{"1:0 ErrSQL"}}}, nil},
		{"the first tuple bad, width unknown", "INSERT INTO t VALUES (1,'\xff'),(2,'b');", 0, 0,
			[]sqlGot{{name: "t", header: cols("column 1", "column 2"), rows: [][]string{{"2", "b"}}, errs: []string{"1:2 ErrEncoding"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, nextErrs := readSQLTables(t, tc.input, tc.maxBytes, tc.maxFields)
			assert.Equal(t, tc.nextErrs, nextErrs, "input %q", tc.input)
			assert.Equal(t, tc.want, got, "input %q", tc.input)
		})
	}
}

// TestSQLDumpParseErrorFields checks a ParseError's parts and message.
func TestSQLDumpParseErrorFields(t *testing.T) {
	in := "CREATE TABLE t (a int, b text);\n\nINSERT INTO t VALUES (1,'x'),\n  (2,'\xff');"
	r := newTableReaderFromDump(t, in)
	r.SkipBad = false
	_, err := r.Read()
	require.NoError(t, err, "input %q: first tuple", in)
	_, err = r.Read()
	var pe *ParseError
	require.ErrorAs(t, err, &pe, "input %q", in)
	assert.Equal(t, 4, pe.Line, "input %q", in)
	assert.Equal(t, 2, pe.Column, "input %q", in)
	assert.ErrorIs(t, err, ErrEncoding, "input %q", in)
	assert.Contains(t, err.Error(), "dump.sql!t:4: field 2:", "input %q", in)
	_, err = r.Read()
	assert.Equal(t, io.EOF, err, "input %q: after the bad tuple", in)
}

// TestSQLDumpSkipBad checks that a Reader with SkipBad counts bad tuples,
// and the malformed statements before its table, as skipped.
func TestSQLDumpSkipBad(t *testing.T) {
	in := "INSERT INTO x (a b) VALUES (1);\nCREATE TABLE t (email text, phone text);\n" +
		"INSERT INTO t VALUES ('a@example.com','+380501234567'),('b@example.com'),('c@example.com','+380501234569');\n"
	r := newTableReaderFromDump(t, in)
	r.SkipBad = true
	cs, err := r.Columns()
	require.NoError(t, err, "input %q", in)
	require.Len(t, cs, 2, "input %q", in)
	assert.Equal(t, canon.Email, cs[0].Kind, "input %q", in)
	var got [][]string
	for rec, err := range r.All(t.Context()) {
		require.NoError(t, err, "input %q", in)
		got = append(got, rec)
	}
	assert.Equal(t, [][]string{{"a@example.com", "+380501234567"}, {"c@example.com", "+380501234569"}}, got, "input %q", in)
	assert.Equal(t, int64(2), r.Info().Skipped, "input %q: the bad INSERT and the short tuple", in)
	assert.Equal(t, int64(2), r.Info().Records, "input %q", in)
}

// newTableReaderFromDump returns a Reader of the first table of a dump.
func newTableReaderFromDump(t *testing.T, in string) *Reader {
	t.Helper()
	d := newSQLDump("dump.sql", strings.NewReader(in), 0, 0)
	name, tb, err := d.next()
	require.NoError(t, err, "input %q", in)
	return newTableReader("dump.sql!"+name, tb)
}

// TestSQLDumpDrain checks that next passes over what is left of a table.
func TestSQLDumpDrain(t *testing.T) {
	in := "INSERT INTO a (x) VALUES (1),(2),(3);\nINSERT INTO a (x) VALUES (4);\nINSERT INTO b (y) VALUES ('b');\n"
	d := newSQLDump("dump.sql", strings.NewReader(in), 0, 0)
	name, ta, err := d.next()
	require.NoError(t, err)
	require.Equal(t, "a", name)
	rec, _, err := ta.rows.read(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"1"}, rec, "the first row of a")
	name, tb, err := d.next()
	require.NoError(t, err, "input %q: the second table", in)
	assert.Equal(t, "b", name, "input %q: the rest of a is drained, not a member", in)
	_, _, err = ta.rows.read(nil)
	assert.Equal(t, io.EOF, err, "the rows of a end once next is called")
	rec, _, err = tb.rows.read(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"b"}, rec)
	_, _, err = d.next()
	assert.Equal(t, io.EOF, err)
}

// TestSQLDumpReuseRecord checks that a reused slice gets fresh strings.
func TestSQLDumpReuseRecord(t *testing.T) {
	in := "INSERT INTO t (a,b) VALUES ('x','y'),('z','w');"
	r := newTableReaderFromDump(t, in)
	r.ReuseRecord = true
	first, err := r.Read()
	require.NoError(t, err)
	kept := first[0]
	second, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, "x", kept, "a string of the first record survives the second Read")
	assert.Equal(t, []string{"z", "w"}, second)
}

// failingReader returns data, then an error.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestSQLDumpReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	d := newSQLDump("dump.sql", &failingReader{data: []byte("INSERT INTO t (a) VALUES (1),('ab"), err: boom}, 0, 0)
	_, tb, err := d.next()
	require.NoError(t, err)
	rec, _, err := tb.rows.read(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"1"}, rec)
	_, _, err = tb.rows.read(nil)
	assert.ErrorIs(t, err, boom, "a read error inside a tuple")
	_, _, err = tb.rows.read(nil)
	assert.ErrorIs(t, err, boom, "the read error sticks")
	_, _, err = d.next()
	assert.ErrorIs(t, err, boom, "and next returns it")
}

// genReader generates a dump on the fly: head, then count copies of
// item separated by sep, then tail; nothing is stored.
type genReader struct {
	parts [][]byte
	item  []byte
	sep   []byte
	count int
	state int // 0 head, 1 items, 2 tail, 3 done
	cur   []byte
	done  int
}

func newGenReader(head, item, sep, tail string, count int) *genReader {
	return &genReader{parts: [][]byte{[]byte(head), []byte(tail)}, item: []byte(item), sep: []byte(sep), count: count}
}

func (g *genReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(g.cur) == 0 {
			switch g.state {
			case 0:
				g.cur, g.state = g.parts[0], 1
			case 1:
				if g.done == g.count {
					g.cur, g.state = g.parts[1], 3
					continue
				}
				if g.done > 0 {
					g.cur = append(append(g.cur[:0:0], g.sep...), g.item...)
				} else {
					g.cur = g.item
				}
				g.done++
			case 3:
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			continue
		}
		c := copy(p[n:], g.cur)
		g.cur = g.cur[c:]
		n += c
	}
	return n, nil
}

// TestSQLDumpBoundedMemory reads a 50 MB extended INSERT tuple by tuple
// with a 64 KiB record limit, and checks that no buffer outgrew it.
func TestSQLDumpBoundedMemory(t *testing.T) {
	const limit = 1 << 16
	value := strings.Repeat("Шевченко Тарас ", 1024/len("Шевченко Тарас "))
	tuple := "(12345,'" + value + "','a@example.com')"
	count := 50 << 20 / len(tuple)
	d := newSQLDump("big.sql", newGenReader("INSERT INTO `big` VALUES ", tuple, ",", ";\n", count), limit, 16)
	name, tb, err := d.next()
	require.NoError(t, err)
	assert.Equal(t, "big", name)
	n := 0
	for {
		rec, _, err := tb.rows.read(nil)
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "tuple %d", n+1)
		if n == 0 {
			assert.Equal(t, []string{"12345", value, "a@example.com"}, rec, "the first tuple")
		}
		n++
	}
	assert.Equal(t, count, n, "every tuple of the 50 MB statement")
	assert.LessOrEqual(t, cap(d.rec), limit, "the tuple buffer stays within maxRecordBytes")
	assert.LessOrEqual(t, cap(d.tmp)+cap(d.tok), limit, "the scratch buffers stay small")
	assert.Equal(t, sqlBufSize, len(d.buf), "the input buffer is fixed")
	_, _, err = d.next()
	assert.Equal(t, io.EOF, err)
}

// TestSQLDumpHugeTuple checks that a 2 MiB tuple fails with
// ErrRecordTooLarge without being buffered, and reading goes on.
func TestSQLDumpHugeTuple(t *testing.T) {
	const limit = 1 << 16
	huge := "(1,'" + strings.Repeat("x", 2<<20) + "')"
	in := io.MultiReader(strings.NewReader("INSERT INTO t (a,b) VALUES "), strings.NewReader(huge),
		strings.NewReader(",(2,'ok');\n"))
	d := newSQLDump("huge.sql", in, limit, 16)
	_, tb, err := d.next()
	require.NoError(t, err)
	_, line, err := tb.rows.read(nil)
	assert.ErrorIs(t, err, ErrRecordTooLarge, "the 2 MiB tuple")
	var pe *ParseError
	if assert.ErrorAs(t, err, &pe) {
		assert.Equal(t, 2, pe.Column, "the field that overflowed")
		assert.Equal(t, 1, line)
	}
	rec, _, err := tb.rows.read(nil)
	require.NoError(t, err, "the tuple after the huge one")
	assert.Equal(t, []string{"2", "ok"}, rec)
	assert.LessOrEqual(t, cap(d.rec), limit, "the huge tuple was not buffered")
}

// TestSQLDumpHugeSkipped checks that huge statements that are not data
// (a 50 MB function body, a 50 MB SET) are skipped in bounded memory.
func TestSQLDumpHugeSkipped(t *testing.T) {
	const limit = 1 << 16
	line := "  PERFORM 'it''s; a $x$ quote'; -- ;\n"
	count := 25 << 20 / len(line)
	in := io.MultiReader(
		strings.NewReader("SET standard_conforming_strings = on;\n"),
		newGenReader("CREATE FUNCTION f() RETURNS void AS $fn$\n", line, "", "$fn$ LANGUAGE plpgsql;\n", count),
		newGenReader("SET x = '", "ab;cd", "", "';\n", 25<<20/5),
		strings.NewReader("INSERT INTO t (a) VALUES (1);\n"))
	d := newSQLDump("skip.sql", in, limit, 16)
	name, tb, err := d.next()
	require.NoError(t, err)
	assert.Equal(t, "t", name)
	rec, line2, err := tb.rows.read(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"1"}, rec)
	assert.Equal(t, 2+count+3, line2, "lines are counted through the skipped statements")
	assert.LessOrEqual(t, cap(d.rec), limit)
}

// TestSQLDumpStateBounds checks the caps on what a dump's reader
// remembers about its tables.
func TestSQLDumpStateBounds(t *testing.T) {
	d := newSQLDump("dump.sql", strings.NewReader("INSERT INTO b VALUES (1,2);"), 0, 0)
	wide := make([]string, 4096)
	for i := range wide {
		wide[i] = fmt.Sprintf("%01020d", i)
	}
	d.define("a", wide)
	require.Contains(t, d.schema, "a", "the first wide table fits the budget")
	d.define("b", wide)
	assert.NotContains(t, d.schema, "b", "the second one is over the budget")
	assert.LessOrEqual(t, d.schemaBytes, maxSchemaBytes)
	d.define("a", []string{"x"})
	assert.Equal(t, []string{"x"}, d.schema["a"], "a table defined again")
	d.define("b", wide)
	assert.Contains(t, d.schema, "b", "room again once a shrank")
	assert.Equal(t, []string{"a", "b"}, d.created)

	for i := range maxSeenTables {
		d.seen[fmt.Sprint("t", i)] = 1
	}
	assert.Equal(t, "t7#2", d.memberName("t7"), "a remembered table")
	assert.Equal(t, "new", d.memberName("new"), "past the cap a table keeps its name")
	assert.Len(t, d.seen, maxSeenTables, "and is not remembered")
}

// TestSQLDumpKinds reads dumps through newTableReader and checks that the
// columns' kinds are detected.
func TestSQLDumpKinds(t *testing.T) {
	g := synth.NewGenerator(canon.UA, 7)
	header := []string{"id", "email", "phone", "full_name"}
	var rows [][]string
	for i := range 200 {
		p := g.Person()
		rows = append(rows, []string{fmt.Sprint(i + 1), synth.Render(g.Rand(), &p, canon.Email, synth.EmailPlain),
			synth.Render(g.Rand(), &p, canon.Phone, synth.PhoneNational), synth.Render(g.Rand(), &p, canon.Name, synth.FamilyFirst)})
	}
	want := []canon.Kind{canon.Other, canon.Email, canon.Phone, canon.Name}
	for _, tc := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"mysqldump", func(w io.Writer) error { return synth.WriteMySQLDump(w, "customers", header, rows, 50) }},
		{"pg_dump", func(w io.Writer) error { return synth.WritePgDump(w, "customers", header, rows, false) }},
		{"pg_dump --column-inserts", func(w io.Writer) error { return synth.WritePgDump(w, "customers", header, rows, true) }},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.write(&buf), tc.name)
		require.True(t, sniffSQL(buf.Bytes(), true), "%s: sniffSQL", tc.name)
		r := newTableReaderFromDump(t, buf.String())
		got, err := r.Columns()
		require.NoError(t, err, tc.name)
		require.Len(t, got, len(want), tc.name)
		for i, c := range got {
			assert.Equal(t, header[i], c.Name, "%s: column %d", tc.name, i+1)
			assert.Equal(t, want[i], c.Kind, "%s: column %s", tc.name, c.Name)
		}
		assert.Equal(t, canon.UA, r.Info().Region, tc.name)
		assert.Equal(t, SQLDump, r.Info().Format, tc.name)
		n := 0
		for _, err := range r.All(t.Context()) {
			require.NoError(t, err, tc.name)
			n++
		}
		assert.Equal(t, len(rows), n, tc.name)
	}

	// Without column names the kinds come from the values.
	var in strings.Builder
	in.WriteString("INSERT INTO t VALUES ")
	for i, r := range rows {
		if i > 0 {
			in.WriteByte(',')
		}
		fmt.Fprintf(&in, "(%s,'%s','%s','%s')", r[0], r[1], r[2], r[3])
	}
	in.WriteString(";\n")
	r := newTableReaderFromDump(t, in.String())
	got, err := r.Columns()
	require.NoError(t, err, "no column names")
	require.Len(t, got, 4, "no column names")
	assert.Equal(t, "column 2", got[1].Name)
	assert.Equal(t, canon.Email, got[1].Kind, "no column names: e-mails")
	assert.Equal(t, canon.Phone, got[2].Kind, "no column names: phones")
}

// sqlRoundTrip are records no writer may mangle.
var sqlRoundTrip = [][]string{
	{"1", "O'Brien", `back\slash \N \. \\`, "tab\there"},
	{"2", "line\nbreak", "cr\r\nlf", `quote"d`},
	{"3", "Щербина Юлія", "", "ctrl-z \x1a and \b \f \v"},
	{"4", "", "", ""},
	{"5", "%_ \\% \\_", "-- not a comment", "/* nor this */ # nor this"},
	{"6", "$$ $tag$ ;", "(unbalanced", "0x41"},
	{"7", "NULL", "''", "E'x'"},
	{"8", "\\", "'", "\\'"},
}

// TestSQLDumpRoundTrip writes records with each writer and reads them back.
func TestSQLDumpRoundTrip(t *testing.T) {
	header := []string{"id", "name", "Note", "user"}
	for _, tc := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"mysqldump extended", func(w io.Writer) error { return synth.WriteMySQLDump(w, "people", header, sqlRoundTrip, 3) }},
		{"mysqldump one a row", func(w io.Writer) error { return synth.WriteMySQLDump(w, "people", header, sqlRoundTrip, 1) }},
		{"pg_dump COPY", func(w io.Writer) error { return synth.WritePgDump(w, "people", header, sqlRoundTrip, false) }},
		{"pg_dump inserts", func(w io.Writer) error { return synth.WritePgDump(w, "people", header, sqlRoundTrip, true) }},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.write(&buf), tc.name)
		d := newSQLDump("dump.sql", &buf, 0, 0)
		name, tb, err := d.next()
		require.NoError(t, err, tc.name)
		assert.Equal(t, "people", name, tc.name)
		r := newTableReader("dump.sql!"+name, tb)
		r.Header = HeaderPresent
		var got [][]string
		for rec, err := range r.All(t.Context()) {
			require.NoError(t, err, tc.name)
			got = append(got, rec)
		}
		assert.Equal(t, sqlRoundTrip, got, tc.name)
		cs, err := r.Columns()
		require.NoError(t, err, tc.name)
		names := make([]string, len(cs))
		for i, c := range cs {
			names[i] = c.Name
		}
		assert.Equal(t, header, names, tc.name)
		_, _, err = d.next()
		assert.Equal(t, io.EOF, err, "%s: one table", tc.name)
	}
}

func TestSniffSQL(t *testing.T) {
	var my, pg bytes.Buffer
	require.NoError(t, synth.WriteMySQLDump(&my, "t", []string{"a"}, [][]string{{"x"}}, 10))
	require.NoError(t, synth.WritePgDump(&pg, "t", []string{"a"}, [][]string{{"x"}}, false))
	for _, tc := range []struct {
		in    string
		atEOF bool
		want  bool
	}{
		{my.String(), true, true},
		{pg.String(), true, true},
		{"-- phpMyAdmin SQL Dump\n-- version 5.2.1\n", true, true},
		{"\xef\xbb\xbf/*!40101 SET NAMES utf8 */;\n", true, true},
		{"-- some export\n\nINSERT INTO `t` VALUES (1);\n", true, true},
		{"INSERT IGNORE INTO t VALUES (1", false, true},
		{"REPLACE INTO t VALUES (1);", true, true},
		{"SET NAMES utf8mb4;\n", true, true},
		{"SET statement_timeout = 0;\n", true, true},
		{"CREATE TABLE users (id int);", true, true},
		{"DROP TABLE IF EXISTS users;", true, true},
		{"COPY public.t (a) FROM stdin;\n1\n\\.\n", true, true},
		{"LOCK TABLES `t` WRITE;\n", true, true},
		{"\\connect shop\n", true, true},
		{"/* a comment */ START TRANSACTION;", true, true},
		{"name,phone,email\nIvan,+380501234567,a@example.com\n", true, false},
		{"{\"insert\": \"into\"}\n", true, false},
		{"# comment\nemail:password\n", true, false},
		{"SET,INSERT,COPY\n1,2,3\n", true, false},
		{"Insert into the box; then close it\n", true, false},
		{"insert into\n", true, false},
		{"COPY this text\n", true, false},
		{"", true, false},
		{"-- just a comment", true, false},
		{"/* unterminated", false, false},
	} {
		assert.Equal(t, tc.want, sniffSQL([]byte(tc.in), tc.atEOF), "input %q", tc.in)
	}
}

// FuzzSQLDump feeds arbitrary bytes to the SQL reader: it must never panic
// or loop, no record may have more fields than maxFields, and every error
// must be a *ParseError wrapping a sentinel, or an I/O error.
func FuzzSQLDump(f *testing.F) {
	header := []string{"id", "email", "ПІБ", "note"}
	rows := [][]string{{"1", "a@example.com", "Шевченко Тарас", "it's \\ a\ttab"}, {"2", "", "Коваленко", "line\nbreak"}}
	var b bytes.Buffer
	for _, w := range []func() error{
		func() error { return synth.WriteMySQLDump(&b, "users", header, rows, 2) },
		func() error { return synth.WriteMySQLDump(&b, "users", header, rows, 1) },
		func() error { return synth.WritePgDump(&b, "users", header, rows, false) },
		func() error { return synth.WritePgDump(&b, "users", header, rows, true) },
	} {
		b.Reset()
		if err := w(); err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.Clone(b.Bytes()))
	}
	for _, s := range []string{
		"INSERT INTO t VALUES (1,_binary 'a\\0',0x41,X'42',b'1',N'x',E'\\n'::text,NOW()),(2",
		"CREATE TABLE `t` (`a` int, KEY `k` (`a`));\nINSERT INTO t VALUES (1),(2,3);\nINSERT INTO u VALUES (1);INSERT INTO t VALUES (4);",
		"COPY t (a, b) FROM stdin;\n1\t\\N\n\\101\\x41\t\\\\\n\\.\n",
		"DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\n",
		"SET standard_conforming_strings = on;\nCREATE FUNCTION f() AS $$ ' $$;\nINSERT INTO \"t\" VALUES ('a\\');",
		"/* /* */ -- \n# x\n INSERT INTO t (a) VALUES ('unterminated",
	} {
		f.Add([]byte(s))
	}
	const maxFields = 16
	f.Fuzz(func(t *testing.T, data []byte) {
		d := newSQLDump("fuzz.sql", bytes.NewReader(data), 4096, maxFields)
		calls := 0
		check := func(err error) bool {
			if err == nil || err == io.EOF {
				return true
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			if pe.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			for _, s := range sqlSentinels {
				if errors.Is(err, s.err) {
					return true
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
			return false
		}
		for tables := 0; ; tables++ {
			if calls++; calls > 4*len(data)+100 {
				t.Fatalf("does not end: %d calls for %d bytes", calls, len(data))
			}
			name, tb, err := d.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				check(err)
				continue
			}
			if name == "" || tb == nil {
				t.Fatalf("table %q: %v", name, tb)
			}
			if tables%2 == 1 {
				// Through a Reader, as the walker does.
				r := newTableReader(name, tb)
				r.SkipBad = tables%4 == 1
				for {
					if calls++; calls > 4*len(data)+100 {
						t.Fatalf("Read does not end")
					}
					rec, err := r.Read()
					if err == io.EOF {
						break
					}
					if err != nil {
						check(err)
						continue
					}
					if len(rec) > maxFields {
						t.Fatalf("record of %d fields", len(rec))
					}
				}
				continue
			}
			for {
				if calls++; calls > 4*len(data)+100 {
					t.Fatalf("rows do not end")
				}
				rec, _, err := tb.rows.read(nil)
				if err == io.EOF {
					break
				}
				if err != nil {
					check(err)
					continue
				}
				if len(rec) > maxFields {
					t.Fatalf("record of %d fields", len(rec))
				}
				if tb.header != nil && len(rec) != len(tb.header) {
					t.Fatalf("record of %d fields, header %d", len(rec), len(tb.header))
				}
			}
		}
	})
}

// BenchmarkSQLDump reads a generated extended-INSERT dump.
func BenchmarkSQLDump(b *testing.B) {
	g := synth.NewGenerator(canon.UA, 1)
	header := []string{"id", "email", "phone", "name", "note"}
	var rows [][]string
	for i := range 20000 {
		p := g.Person()
		rows = append(rows, []string{fmt.Sprint(i + 1), p.Email, p.Phone, p.Family + " " + p.Given, "it's a \"note\"\twith\\escapes"})
	}
	var buf bytes.Buffer
	for buf.Len() < 16<<20 {
		if err := synth.WriteMySQLDump(&buf, "customers", header, rows, 500); err != nil {
			b.Fatal(err)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d := newSQLDump("bench.sql", bytes.NewReader(data), 0, 0)
		n := 0
		for {
			_, tb, err := d.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			var dst []string
			for {
				rec, _, err := tb.rows.read(dst)
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				dst = rec
				n++
			}
		}
		if n == 0 {
			b.Fatal("no records")
		}
	}
}
