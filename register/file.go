package register

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// positionNumber is the form of a staffing-plan number: groups of digits
// joined by dots, such as 50.3.12.
var positionNumber = regexp.MustCompile(`^\d+(?:\.\d+)+$`)

// listSeparator splits aliases and contacts inside one CSV cell.
const listSeparator = "|"

// loadFile decodes a YAML list or a CSV table into *out. fromRow turns one
// CSV row, keyed by the lower-cased header, into an element.
func loadFile[T any](path string, out *[]T, fromRow func(map[string]string) (T, error)) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read register: %w", err)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(out); err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("parse register %s: %w", path, err)
		}
		return nil
	case ".csv":
		rows, err := readCSV(data)
		if err != nil {
			return fmt.Errorf("parse register %s: %w", path, err)
		}
		for i, row := range rows {
			v, err := fromRow(row)
			if err != nil {
				// Line numbers count the header as line 1.
				return fmt.Errorf("parse register %s, row %d: %w", path, i+2, err)
			}
			*out = append(*out, v)
		}
		return nil
	}
	return fmt.Errorf("register %s: unknown file type %q, want .yaml, .yml or .csv", path, filepath.Ext(path))
}

// readCSV reads a table with a header row. The delimiter is a comma, or a
// semicolon when the header holds semicolons and no commas (as spreadsheet
// programs with German settings write). Lines starting with # are comments.
func readCSV(data []byte) ([]map[string]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	if header := headerLine(data); bytes.Contains(header, []byte(";")) && !bytes.Contains(header, []byte(",")) {
		r.Comma = ';'
	}
	records, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, nil
	}
	header := records[0]
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, v := range rec {
			if i < len(header) {
				row[header[i]] = strings.TrimSpace(v)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// headerLine returns the first line that is neither empty nor a comment.
func headerLine(data []byte) []byte {
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			return t
		}
	}
	return nil
}

func budgetFromRow(row map[string]string) (BudgetItem, error) {
	b := BudgetItem{ID: row["id"], Title: row["title"], Amount: row["amount"], Owner: row["owner"], Note: row["note"]}
	var err error
	if q := row["quantity"]; q != "" {
		if b.Quantity, err = strconv.Atoi(q); err != nil {
			return b, fmt.Errorf("quantity %q is not a whole number", q)
		}
	}
	b.Approved, err = parseBool("approved", row["approved"])
	return b, err
}

func applicationFromRow(row map[string]string) (Application, error) {
	return Application{Name: row["name"], Aliases: splitList(row["aliases"]), Model: row["model"],
		Contacts: splitList(row["contacts"]), ITContacts: splitList(row["it_contacts"])}, nil
}

func positionFromRow(row map[string]string) (Position, error) {
	p := Position{Number: row["number"], Title: row["title"]}
	var err error
	p.Planned, err = parseBool("planned", row["planned"])
	return p, err
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, listSeparator) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseBool accepts yes/no in English and German and true/false/1/0.
func parseBool(column, s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "ja", "true", "1", "x":
		return true, nil
	case "no", "nein", "false", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("%s %q is invalid, want yes or no", column, s)
}
