package cmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	// Each secret must vanish from the line; the kept words must stay.
	tests := []struct {
		name   string
		in     string
		secret string
		keep   string
	}{
		{"auth header", `Authorization: OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D"`, "xvz1evFS4wEEPTGEFPHBog", "Authorization"},
		{"bearer", "sending Bearer AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid", "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0", "sending"},
		{"oauth token in query", "GET /oauth/authorize?oauth_token=NPcudxy0yU5T3tBzho7iCotZ3cnetKwcTIRlX0iwRl0", "NPcudxy0yU5T3tBzho7iCotZ3cnetKwcTIRlX0iwRl0", "/oauth/authorize"},
		{"form body", "oauth_token=abc&oauth_token_secret=veNRnAWe6inFuo8o2u8SLLZLjolYDmDP7SzL0YfYI&user_id=1", "veNRnAWe6inFuo8o2u8SLLZLjolYDmDP7SzL0YfYI", "user_id=1"},
		{"json", `{"access_token":"short-tok","id":"1"}`, "short-tok", `"id":"1"`},
		{"bare token", "linked with 370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "linked with"},
		{"pin", "pin=1234567", "1234567", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.in)
			if strings.Contains(got, tc.secret) {
				t.Errorf("Redact(%q) = %q still holds the secret", tc.in, got)
			}
			if !strings.Contains(got, tc.keep) {
				t.Errorf("Redact(%q) = %q lost %q", tc.in, got, tc.keep)
			}
		})
	}
}

func TestRedactKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"post 0j2k3m4n5p6q7r8s9t0v1w2x3y saved",
		"Kaiku is already open on /home/maija/.config/kaiku/db",
		"published https://x.com/i/web/status/1445880548472328192",
		"Hyvää huomenta! Tänään puhutaan tekoälystä.",
		"cannot open /tmp/TestKilledWriterLosesNothing2576593423/001",
	} {
		if got := Redact(s); got != s {
			t.Errorf("Redact(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestLoggerNeverWritesSecrets(t *testing.T) {
	var buf bytes.Buffer
	log, err := newLogger(&buf, "debug")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c, err := logToFile(log, dir)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Kx9fQ2mZpL7vR4tW8yB3nC6hJ1dG5sA0"
	log.WithField("token_secret", "s3").WithField("oauth_token", "tok").Info("linked")
	log.WithField("header", "Authorization: OAuth "+secret).Warn("request")
	log.WithError(errors.New("bad response for " + secret)).Error("publish failed")
	log.Infof("consumer_secret=%s", "plainsecret")
	c.Close()
	file, err := os.ReadFile(filepath.Join(dir, "kaiku.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{buf.String(), string(file)} {
		for _, s := range []string{secret, "s3", "tok\n", "plainsecret"} {
			if strings.Contains(out, s) {
				t.Errorf("log holds %q:\n%s", s, out)
			}
		}
		if !strings.Contains(out, "publish failed") {
			t.Errorf("log lost the message:\n%s", out)
		}
	}
}

func TestCappedFileRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiku.log")
	c, err := openCappedFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	line := bytes.Repeat([]byte("x"), 1024)
	for i := 0; i < 3*logFileCap/len(line); i++ {
		if _, err := c.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{path, path + ".1"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > logFileCap {
			t.Errorf("%s is %d bytes, over the cap %d", p, st.Size(), logFileCap)
		}
	}
}
