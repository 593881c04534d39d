package ical_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/kaiku-app/kaiku/planner/ical"
)

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// The template data each new key is rendered with.
var keyData = map[string][]string{
	ical.KeySummary:           {"Purpose", "Role"},
	ical.KeySummaryNoRole:     {"Purpose"},
	ical.KeySummaryPost:       {"Post", "Purpose", "Role"},
	ical.KeySummaryPostNoRole: {"Post", "Purpose"},
	ical.KeyDescPrompts:       {"Role"},
}

func TestTranslationKeys(t *testing.T) {
	all := loadTranslations(t)
	for _, k := range ical.TranslationKeys() {
		for lang, m := range all {
			if m[k] == "" {
				t.Errorf("%s: no translation for %s", lang, k)
			}
		}
	}
}
