package jourfixe

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// storeEventKinds returns the value of every string constant named Event…
// in the store package, read from its source, so a kind added there
// without a German name fails the test below.
func storeEventKinds(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../store/*.go")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range spec.Names {
				if !strings.HasPrefix(name.Name, "Event") || i >= len(spec.Values) {
					continue
				}
				if lit, ok := spec.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					kinds[name.Name], _ = strconv.Unquote(lit.Value)
				}
			}
			return true
		})
	}
	if len(kinds) < 10 {
		t.Fatalf("found only %d event kinds in the store package: %v", len(kinds), kinds)
	}
	return kinds
}

func TestEventNamesCoverEveryKind(t *testing.T) {
	for name, kind := range storeEventKinds(t) {
		if eventNames[kind] == "" {
			t.Errorf("store.%s (%q) has no German name in eventNames", name, kind)
		}
	}
}

func TestLastStateNamesInGerman(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, kind := range storeEventKinds(t) {
		tk := &store.Ticket{Status: store.StatusNew, History: []store.Event{
			{At: at, Kind: kind, Actor: "it-support@stadt.example", Text: "#übernehmen: Zugewiesen."}}}
		got := LastState(tk, time.UTC)
		if strings.Contains(got, kind) && strings.Contains(kind, "_") {
			t.Errorf("LastState with a %q entry shows the raw kind: %q", kind, got)
		}
		if progressEvents[kind] && !strings.Contains(got, "zuletzt ") {
			t.Errorf("LastState with a %q entry = %q, want it to name the entry", kind, got)
		}
	}
}
