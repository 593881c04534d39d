package cmd

import (
	"bytes"
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	tests := []struct {
		network, text, want string
	}{
		{"x", "Hei maailma", `{"network":"x","length":11,"limit":280,"valid":true}`},
		{"x", "Hyvää yötä, äiti ja Åke!", `{"network":"x","length":24,"limit":280,"valid":true}`},
		{"x", "Kaiku 👋🏽", `{"network":"x","length":8,"limit":280,"valid":true}`},
		{"x", "👨‍👩‍👧‍👦🇫🇮", `{"network":"x","length":4,"limit":280,"valid":true}`},
		{"x", "Lue https://example.com/a/very/long/path/indeed/yes", `{"network":"x","length":27,"limit":280,"valid":true}`},
		{"x", "Lue kirjasto.fi tänään", `{"network":"x","length":34,"limit":280,"valid":true}`},
		{"x", "日本語", `{"network":"x","length":6,"limit":280,"valid":true}`},
		{"x", strings.Repeat("a", 281), `{"network":"x","length":281,"limit":280,"valid":false}`},
		{"x", "", `{"network":"x","length":0,"limit":280,"valid":false}`},
		{"bluesky", "Kaiku 👨‍👩‍👧‍👦", `{"network":"bluesky","length":7,"limit":300,"valid":true}`},
		{"mastodon", "Lue https://example.com/" + strings.Repeat("x", 100), `{"network":"mastodon","length":27,"limit":500,"valid":true}`},
		{"linkedin", "Hei", `{"network":"linkedin","length":3,"limit":3000,"valid":true}`},
	}
	for _, tc := range tests {
		t.Run(tc.network+" "+tc.text, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run([]string{"count", "--network", tc.network, "--json"}, strings.NewReader(tc.text+"\n"), &out, &errOut, noWindow(t))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if got := strings.TrimSpace(out.String()); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	code, _, errOut := kaiku(t, "--lang", "en", "count", "--network", "myspace")
	if code != 1 || !strings.Contains(errOut, "Unknown network") {
		t.Errorf("unknown network: exit %d %q", code, errOut)
	}
}
