package accounts_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/accounts"
)

func readKeys(t *testing.T, lang string) map[string]string {
	t.Helper()
	// The app's translation files, read by path (accounts does not import assets).
	b, err := os.ReadFile("../assets/translations/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	return m
}

var placeholderRE = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Every key the package hands out is in both languages, with the same
// placeholders, and the English file is the package's own fallback text.
func TestTranslations(t *testing.T) {
	en, fi := readKeys(t, "en"), readKeys(t, "fi")
	keys := accounts.TranslationKeys()
	for _, k := range keys {
		if en[k] != accounts.Message(k) {
			t.Errorf("%s: en is %q, the package says %q", k, en[k], accounts.Message(k))
		}
		f, ok := fi[k]
		if !ok || strings.TrimSpace(f) == "" {
			t.Errorf("%s: no Finnish", k)
			continue
		}
		if !slices.Equal(placeholders(en[k]), placeholders(f)) {
			t.Errorf("%s: placeholders en %v, fi %v", k, placeholders(en[k]), placeholders(f))
		}
	}
}

// Every key-shaped string in the package's code is a listed key.
func TestCodeUsesListedKeys(t *testing.T) {
	keys := accounts.TranslationKeys()
	shape := regexp.MustCompile(`^(link|accounts|outbox|hand)\.[a-z_.-]+[a-z]$`)
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if shape.MatchString(s) && !slices.Contains(keys, s) {
				t.Errorf("%s: %q is not a listed key", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
}
