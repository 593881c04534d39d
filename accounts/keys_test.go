package accounts_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/planner"
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
	// The accounts package and the packages beneath it, whose keys it hands on.
	var files []string
	filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return err
	})
	if len(files) < 30 {
		t.Fatalf("only %d files read", len(files))
	}
	fset := token.NewFileSet()
	for _, name := range files {
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
			// A message said per network may be named by its base (explain.For).
			perNetwork := slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, s+".") })
			if shape.MatchString(s) && !slices.Contains(keys, s) && !perNetwork {
				t.Errorf("%s: %q is not a listed key", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
}

// Every message said of a network exists for each network it is said of.
func TestEveryNetworkHasItsWords(t *testing.T) {
	keys := accounts.TranslationKeys()
	for _, base := range []string{explain.Relink, explain.Rejected, explain.TooLong, explain.RateLimited, explain.Server, explain.Offline,
		explain.Interrupted, explain.LinkNetwork, explain.LinkServer} {
		for _, n := range planner.Networks() {
			if !slices.Contains(keys, explain.For(base, n)) {
				t.Errorf("no %s", explain.For(base, n))
			}
		}
	}
	for _, n := range []planner.Network{planner.NetworkX, planner.NetworkMastodon, planner.NetworkLinkedIn} {
		if !slices.Contains(keys, explain.For(explain.LoopbackDone, n)) || !slices.Contains(keys, explain.For(explain.Port, n)) {
			t.Errorf("no loopback words for %s", n)
		}
	}
}
