package planner_test

import (
	"errors"
	"testing"

	"github.com/kaiku-app/kaiku/planner"
)

func TestAPIBase(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"https://api.x.com":         "https://api.x.com",
		" https://api.x.com/2/ ":    "https://api.x.com/2",
		"http://127.0.0.1:8080":     "http://127.0.0.1:8080",
		"http://localhost:47811/":   "http://localhost:47811",
		"http://[::1]:9000":         "http://[::1]:9000",
		"https://social.example.fi": "https://social.example.fi",
	} {
		got, err := planner.APIBase(in)
		if err != nil || got != want {
			t.Errorf("APIBase(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"http://evil.example.com", "http://10.0.0.1", "ftp://api.x.com", "api.x.com", "https://",
		"https://user:pw@api.x.com", "https://api.x.com/?a=1", "https://api.x.com/#x", "javascript:alert(1)",
		"http://localhost.evil.example.com",
	} {
		_, err := planner.APIBase(in)
		var ie *planner.InvalidError
		if !errors.As(err, &ie) || ie.Field != "api_base" || ie.Key != "error.account.api_base" {
			t.Errorf("APIBase(%q) = %v, want an invalid api_base", in, err)
		}
	}
}

func TestAccountValidateChecksAPIBase(t *testing.T) {
	a := planner.Account{ID: "acct1", Network: planner.NetworkX, Handle: "maija", Status: planner.AccountLinked, APIBase: "http://evil.example.com"}
	if err := a.Validate(); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("an account with a plain-http API elsewhere: %v", err)
	}
	a.APIBase = "https://api.x.com"
	if err := a.Validate(); err != nil {
		t.Errorf("https: %v", err)
	}
}
