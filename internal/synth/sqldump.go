package synth

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// SQL dumps, laid out as mysqldump 8 and pg_dump 16 write them, for the
// SQL reader's fixtures. A table's rows are written with one value per
// header column; an empty cell is written as NULL (it reads back empty). A
// column whose cells are all integers (without leading zeros) is typed
// bigint and written unquoted; the others are varchar or text.

// sqlColumn is a column's type as a dump declares it.
type sqlColumn struct {
	name    string
	number  bool // bigint, written unquoted
	varchar int  // varchar(varchar) when > 0, else text
}

// sqlColumns types the columns of rows.
func sqlColumns(header []string, rows [][]string) ([]sqlColumn, error) {
	cols := make([]sqlColumn, len(header))
	for j, h := range header {
		cols[j] = sqlColumn{name: h, number: true}
	}
	longest := make([]int, len(header))
	seen := make([]bool, len(header))
	for i, row := range rows {
		if len(row) != len(header) {
			return nil, fmt.Errorf("synth: sql row %d has %d fields, header %d", i+1, len(row), len(header))
		}
		for j, v := range row {
			if v == "" {
				continue
			}
			seen[j] = true
			longest[j] = max(longest[j], utf8.RuneCountInString(v))
			if cols[j].number && !isInteger(v) {
				cols[j].number = false
			}
		}
	}
	for j := range cols {
		if !seen[j] {
			cols[j].number = false
		}
		if !cols[j].number && longest[j] <= 255 {
			cols[j].varchar = 255
			if longest[j] <= 64 {
				cols[j].varchar = 64
			}
		}
	}
	return cols, nil
}

// isInteger reports whether v is an integer as a database prints one.
func isInteger(v string) bool {
	s := strings.TrimPrefix(v, "-")
	if s == "" || len(s) > 18 || s[0] == '0' && len(s) > 1 || s == "0" && v != s {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mysqlIdent quotes an identifier with backquotes.
func mysqlIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// mysqlString writes s as a MySQL string literal, escaped as
// mysql_real_escape_string does.
func mysqlString(w *bufio.Writer, s string) {
	w.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			w.WriteString(`\0`)
		case '\n':
			w.WriteString(`\n`)
		case '\r':
			w.WriteString(`\r`)
		case '\\':
			w.WriteString(`\\`)
		case '\'':
			w.WriteString(`\'`)
		case '"':
			w.WriteString(`\"`)
		case 0x1a:
			w.WriteString(`\Z`)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte('\'')
}

// sqlTuple writes a row's values, separated by sep, as an INSERT's tuple
// holds them: NULL for an empty value, numbers bare, strings quoted by
// quote.
func sqlTuple(w *bufio.Writer, row []string, cols []sqlColumn, sep string, quote func(*bufio.Writer, string)) {
	for j, v := range row {
		if j > 0 {
			w.WriteString(sep)
		}
		switch {
		case v == "":
			w.WriteString("NULL")
		case cols[j].number:
			w.WriteString(v)
		default:
			quote(w, v)
		}
	}
}

// pgString writes s as a standard-conforming PostgreSQL string literal.
func pgString(w *bufio.Writer, s string) { w.WriteString("'" + strings.ReplaceAll(s, "'", "''") + "'") }

// WriteMySQLDump writes a dump of one table as mysqldump 8 does: header
// comments, the /*!...*/ SET lines, DROP and CREATE TABLE with column types
// and a key, LOCK TABLES, and extended INSERT statements of rowsPerInsert
// rows each (1 or less: one INSERT a row, as --skip-extended-insert).
func WriteMySQLDump(w io.Writer, table string, header []string, rows [][]string, rowsPerInsert int) error {
	cols, err := sqlColumns(header, rows)
	if err != nil {
		return err
	}
	if len(cols) == 0 {
		return fmt.Errorf("synth: sql table %q has no columns", table)
	}
	bw := bufio.NewWriter(w)
	t := mysqlIdent(table)
	bw.WriteString(`-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: leak
-- ------------------------------------------------------
-- Server version	8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `)
	bw.WriteString(t)
	bw.WriteString("`\n--\n\nDROP TABLE IF EXISTS ")
	bw.WriteString(t)
	bw.WriteString(";\n/*!40101 SET @saved_cs_client     = @@character_set_client */;\n/*!50503 SET character_set_client = utf8mb4 */;\nCREATE TABLE ")
	bw.WriteString(t)
	bw.WriteString(" (\n")
	for _, c := range cols {
		bw.WriteString("  ")
		bw.WriteString(mysqlIdent(c.name))
		switch {
		case c.number:
			bw.WriteString(" bigint DEFAULT NULL")
		case c.varchar > 0:
			fmt.Fprintf(bw, " varchar(%d) COLLATE utf8mb4_unicode_ci DEFAULT NULL", c.varchar)
		default:
			bw.WriteString(" text COLLATE utf8mb4_unicode_ci")
		}
		bw.WriteString(",\n")
	}
	first := mysqlIdent(cols[0].name)
	fmt.Fprintf(bw, "  KEY %s (%s)\n", mysqlIdent("idx_"+cols[0].name), first)
	bw.WriteString(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n")
	bw.WriteString("/*!40101 SET character_set_client = @saved_cs_client */;\n\n")
	bw.WriteString("--\n-- Dumping data for table " + t + "\n--\n\n")
	bw.WriteString("LOCK TABLES " + t + " WRITE;\n")
	bw.WriteString("/*!40000 ALTER TABLE " + t + " DISABLE KEYS */;\n")
	per := max(rowsPerInsert, 1)
	for i, row := range rows {
		if i%per == 0 {
			bw.WriteString("INSERT INTO " + t + " VALUES (")
		} else {
			bw.WriteString(",(")
		}
		sqlTuple(bw, row, cols, ",", mysqlString)
		bw.WriteByte(')')
		if i%per == per-1 || i == len(rows)-1 {
			bw.WriteString(";\n")
		}
	}
	bw.WriteString("/*!40000 ALTER TABLE " + t + " ENABLE KEYS */;\n")
	bw.WriteString(`UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2024-03-01 12:00:00
`)
	return bw.Flush()
}

// pgReserved are the reserved words pg_dump quotes as identifiers.
var pgReserved = map[string]bool{
	"all": true, "analyse": true, "analyze": true, "and": true, "any": true, "array": true, "as": true,
	"asc": true, "both": true, "case": true, "cast": true, "check": true, "collate": true, "column": true,
	"constraint": true, "create": true, "current_date": true, "current_role": true, "current_time": true,
	"current_timestamp": true, "current_user": true, "default": true, "desc": true, "distinct": true,
	"do": true, "else": true, "end": true, "except": true, "false": true, "for": true, "foreign": true,
	"from": true, "grant": true, "group": true, "having": true, "in": true, "into": true, "is": true,
	"leading": true, "limit": true, "not": true, "null": true, "offset": true, "on": true, "only": true,
	"or": true, "order": true, "primary": true, "references": true, "select": true, "table": true,
	"then": true, "to": true, "true": true, "union": true, "unique": true, "user": true, "using": true,
	"when": true, "where": true, "with": true,
}

// pgIdent quotes an identifier as pg_dump does: only when it is not all
// lower-case letters, digits and underscores, or is a reserved word.
func pgIdent(s string) string {
	plain := s != "" && !pgReserved[s] && !(s[0] >= '0' && s[0] <= '9')
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// pgCopyValue writes v as COPY's text format does.
func pgCopyValue(w *bufio.Writer, v string) {
	if v == "" {
		w.WriteString(`\N`)
		return
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			w.WriteString(`\\`)
		case '\b':
			w.WriteString(`\b`)
		case '\f':
			w.WriteString(`\f`)
		case '\n':
			w.WriteString(`\n`)
		case '\r':
			w.WriteString(`\r`)
		case '\t':
			w.WriteString(`\t`)
		case '\v':
			w.WriteString(`\v`)
		default:
			w.WriteByte(c)
		}
	}
}

// WritePgDump writes a dump of one table (in schema public) as pg_dump 16
// does in its plain format: header comments, \restrict, the SET lines,
// CREATE TABLE with column types, ALTER TABLE ... OWNER, and the data as a
// COPY ... FROM stdin block, or with inserts as one INSERT a row with its
// column list (--column-inserts), strings standard-conforming.
func WritePgDump(w io.Writer, table string, header []string, rows [][]string, inserts bool) error {
	cols, err := sqlColumns(header, rows)
	if err != nil {
		return err
	}
	if len(cols) == 0 {
		return fmt.Errorf("synth: sql table %q has no columns", table)
	}
	bw := bufio.NewWriter(w)
	t := "public." + pgIdent(table)
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = pgIdent(c.name)
	}
	list := strings.Join(names, ", ")
	bw.WriteString(`--
-- PostgreSQL database dump
--

\restrict 5yQbq0TVfRk9mWZQ2hIvUu3Tn6Ei9xwRjY8sA1cL4oDfG7pKzB

-- Dumped from database version 16.10
-- Dumped by pg_dump version 16.10

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: `)
	fmt.Fprintf(bw, "%s; Type: TABLE; Schema: public; Owner: postgres\n--\n\nCREATE TABLE %s (\n", pgIdent(table), t)
	for j, c := range cols {
		bw.WriteString("    " + names[j])
		switch {
		case c.number:
			bw.WriteString(" bigint")
		case c.varchar > 0:
			fmt.Fprintf(bw, " character varying(%d)", c.varchar)
		default:
			bw.WriteString(" text")
		}
		if j < len(cols)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	fmt.Fprintf(bw, ");\n\n\nALTER TABLE %s OWNER TO postgres;\n\n", t)
	fmt.Fprintf(bw, "--\n-- Data for Name: %s; Type: TABLE DATA; Schema: public; Owner: postgres\n--\n\n", pgIdent(table))
	if inserts {
		for _, row := range rows {
			fmt.Fprintf(bw, "INSERT INTO %s (%s) VALUES (", t, list)
			sqlTuple(bw, row, cols, ", ", pgString)
			bw.WriteString(");\n")
		}
	} else {
		fmt.Fprintf(bw, "COPY %s (%s) FROM stdin;\n", t, list)
		for _, row := range rows {
			for j, v := range row {
				if j > 0 {
					bw.WriteByte('\t')
				}
				pgCopyValue(bw, v)
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("\\.\n")
	}
	bw.WriteString(`

--
-- PostgreSQL database dump complete
--

\unrestrict 5yQbq0TVfRk9mWZQ2hIvUu3Tn6Ei9xwRjY8sA1cL4oDfG7pKzB

`)
	return bw.Flush()
}
