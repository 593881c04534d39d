package ical_test

import (
	"testing"

	"github.com/kaiku-app/kaiku/planner/ical"
)

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
