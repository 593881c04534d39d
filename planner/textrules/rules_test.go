package textrules_test

import (
	"testing"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

func TestCountWithAnInstancesLinkWeight(t *testing.T) {
	text := "Katso https://kaiku.fi/a ja https://kaiku.fi/b"
	def := textrules.Count(textrules.Mastodon, text)
	for _, tc := range []struct {
		rules textrules.Rules
		want  int
	}{
		{textrules.Rules{}, def.Length},
		{textrules.Rules{URLWeight: 23}, def.Length},
		{textrules.Rules{URLWeight: 30}, def.Length + 14},
		{textrules.Rules{URLWeight: 5, Limit: 20}, def.Length - 36},
	} {
		got := textrules.CountWith(textrules.Mastodon, text, tc.rules)
		if got.Length != tc.want {
			t.Errorf("%+v: length %d, want %d", tc.rules, got.Length, tc.want)
		}
		if tc.rules.Limit > 0 && (got.Limit != tc.rules.Limit || got.Valid != (got.Length <= tc.rules.Limit)) {
			t.Errorf("%+v: %+v", tc.rules, got)
		}
	}
	// The weight is Mastodon's alone.
	if x, y := textrules.Count(textrules.X, text), textrules.CountWith(textrules.X, text, textrules.Rules{URLWeight: 5}); x != y {
		t.Errorf("X with a link weight: %+v, want %+v", y, x)
	}
}
