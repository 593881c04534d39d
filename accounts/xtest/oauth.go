package xtest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// This file is the server's own OAuth 1.0a (RFC 5849) code. It shares nothing
// with the client library Kaiku uses, so that a test passing here means the
// two agree, not that one was checked against itself.

// Param is one request parameter; OAuth keeps repeated names.
type Param struct{ Name, Value string }

// Encode percent-encodes s as RFC 5849 section 3.6 asks: every byte but the
// unreserved characters, as %XX with upper-case hex.
func Encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// BaseURI is the base string URI of RFC 5849 section 3.4.1.2: scheme and host
// in lower case, the scheme's default port dropped, the path as sent.
func BaseURI(scheme, host, path string) string {
	scheme, host = strings.ToLower(scheme), strings.ToLower(host)
	if h, port, ok := strings.Cut(host, ":"); ok && !strings.Contains(port, ":") {
		if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
			host = h
		}
	}
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// NormalizeParams is the parameter string of RFC 5849 section 3.4.1.3.2:
// names and values encoded, sorted by name then value, joined with = and &.
func NormalizeParams(params []Param) string {
	enc := make([][2]string, 0, len(params))
	for _, p := range params {
		enc = append(enc, [2]string{Encode(p.Name), Encode(p.Value)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i][0] != enc[j][0] {
			return enc[i][0] < enc[j][0]
		}
		return enc[i][1] < enc[j][1]
	})
	parts := make([]string, len(enc))
	for i, p := range enc {
		parts[i] = p[0] + "=" + p[1]
	}
	return strings.Join(parts, "&")
}

// BaseString is the signature base string of RFC 5849 section 3.4.1.1.
func BaseString(method, baseURI string, params []Param) string {
	return strings.ToUpper(method) + "&" + Encode(baseURI) + "&" + Encode(NormalizeParams(params))
}

// Sign is the HMAC-SHA1 signature of RFC 5849 section 3.4.2, in base64.
func Sign(base, consumerSecret, tokenSecret string) string {
	mac := hmac.New(sha1.New, []byte(Encode(consumerSecret)+"&"+Encode(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ParseAuthorization reads an "Authorization: OAuth ..." header value
// (RFC 5849 section 3.5.1): comma-separated name="value" pairs, both
// percent-encoded.
func ParseAuthorization(h string) ([]Param, error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "OAuth") {
		return nil, errors.New("not an OAuth authorization header")
	}
	var out []Param
	for _, field := range strings.Split(rest, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		name, quoted, ok := strings.Cut(field, "=")
		if !ok || len(quoted) < 2 || quoted[0] != '"' || quoted[len(quoted)-1] != '"' {
			return nil, fmt.Errorf("malformed OAuth parameter %q", name)
		}
		n, err1 := url.PathUnescape(strings.TrimSpace(name))
		v, err2 := url.PathUnescape(quoted[1 : len(quoted)-1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("malformed encoding in OAuth parameter %q", name)
		}
		out = append(out, Param{n, v})
	}
	return out, nil
}

// formParams decodes a query string or form body as RFC 5849 section
// 3.4.1.3.1 asks: application/x-www-form-urlencoded, so "+" is a space.
func formParams(s string) ([]Param, error) {
	var out []Param
	for _, pair := range strings.Split(s, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		n, err1 := url.QueryUnescape(name)
		v, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("malformed parameter %q", pair)
		}
		out = append(out, Param{n, v})
	}
	return out, nil
}
