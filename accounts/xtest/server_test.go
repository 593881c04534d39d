package xtest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/kaiku-app/kaiku/accounts/xtest"
)

func TestEncode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"r b", "r%20b"},
		{"~-._", "~-._"},
		{"=%3D", "%3D%253D"},
		{"c@", "c%40"},
		{"Ladies + Gentlemen", "Ladies%20%2B%20Gentlemen"},
		{"ä", "%C3%A4"},
		{"", ""},
	} {
		if got := xtest.Encode(tc.in); got != tc.want {
			t.Errorf("Encode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// X's "Creating a signature" page, with the values it documents.
func TestTwitterSignatureExample(t *testing.T) {
	params := []xtest.Param{
		{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
		{"include_entities", "true"},
		{"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
		{"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
		{"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", "1318622958"},
		{"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
		{"oauth_version", "1.0"},
	}
	wantParams := "include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1318622958&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb&oauth_version=1.0&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
	if got := xtest.NormalizeParams(params); got != wantParams {
		t.Errorf("parameter string\n got %s\nwant %s", got, wantParams)
	}
	base := xtest.BaseString("POST", "https://api.twitter.com/1.1/statuses/update.json", params)
	wantBase := "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	if base != wantBase {
		t.Errorf("base string\n got %s\nwant %s", base, wantBase)
	}
	sig := xtest.Sign(base, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")
	if sig != "hCtSmYh+iHYCEqBWrE7C7hYmtUk=" {
		t.Errorf("signature %s, want hCtSmYh+iHYCEqBWrE7C7hYmtUk=", sig)
	}
}

// RFC 5849 section 3.4.1: the request of 3.4.1.1, its parameters (3.4.1.3.1),
// their normalized form (3.4.1.3.2) and the base string (3.4.1.1), parsed
// from the request as sent. The signature is the one of erratum 2550: the
// oauth_signature the RFC prints in 3.1 (bYT5CMsGcbgUdFHObYMEfcx6bsw=) was
// computed wrongly; r6/TJjbCOr97/+UU0NsvSne7s5g= is HMAC-SHA1 of the RFC's own
// base string with the 3.1 secrets, which openssl confirms.
func TestRFC5849SignatureExample(t *testing.T) {
	header := `OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`
	oauth, err := xtest.ParseAuthorization(header)
	if err != nil {
		t.Fatal(err)
	}
	var params []xtest.Param
	for _, p := range oauth {
		if p.Name != "realm" && p.Name != "oauth_signature" {
			params = append(params, p)
		}
	}
	query, _ := url.ParseQuery("b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	body, _ := url.ParseQuery("c2&a3=2+q")
	for _, v := range []url.Values{query, body} {
		for name, values := range v {
			for _, value := range values {
				params = append(params, xtest.Param{Name: name, Value: value})
			}
		}
	}
	wantParams := "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7"
	if got := xtest.NormalizeParams(params); got != wantParams {
		t.Errorf("parameter string\n got %s\nwant %s", got, wantParams)
	}
	base := xtest.BaseString("POST", xtest.BaseURI("http", "example.com", "/request"), params)
	wantBase := "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if base != wantBase {
		t.Errorf("base string\n got %s\nwant %s", base, wantBase)
	}
	// Section 3.4.2's signing key is the two secrets, encoded, joined by "&".
	if got := xtest.Sign(base, "j49sk3j29djd", "dh893hdasih9"); got != "r6/TJjbCOr97/+UU0NsvSne7s5g=" {
		t.Errorf("signature %s, want r6/TJjbCOr97/+UU0NsvSne7s5g=", got)
	}
}

// RFC 5849 section 1.2: the photo request, whose printed signature is right.
func TestRFC5849PhotosExample(t *testing.T) {
	params := []xtest.Param{
		{"file", "vacation.jpg"}, {"size", "original"},
		{"oauth_consumer_key", "dpf43f3p2l4k3l03"}, {"oauth_token", "nnch734d00sl2jdk"},
		{"oauth_signature_method", "HMAC-SHA1"}, {"oauth_timestamp", "137131202"}, {"oauth_nonce", "chapoH"},
	}
	base := xtest.BaseString("GET", "http://photos.example.net/photos", params)
	if got := xtest.Sign(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"); got != "MdpQcU8iPSUjWoN/UDMsK2sui9I=" {
		t.Errorf("signature %s, want MdpQcU8iPSUjWoN/UDMsK2sui9I=", got)
	}
}

// RFC 5849 section 3.4.1.2's examples.
func TestBaseURI(t *testing.T) {
	for _, tc := range []struct{ scheme, host, path, want string }{
		{"http", "EXAMPLE.COM:80", "/r%20v/X", "http://example.com/r%20v/X"},
		{"https", "www.example.net:8080", "/", "https://www.example.net:8080/"},
		{"https", "api.x.com:443", "/2/tweets", "https://api.x.com/2/tweets"},
		{"http", "127.0.0.1:8080", "", "http://127.0.0.1:8080/"},
	} {
		if got := xtest.BaseURI(tc.scheme, tc.host, tc.path); got != tc.want {
			t.Errorf("BaseURI(%s, %s, %s) = %s, want %s", tc.scheme, tc.host, tc.path, got, tc.want)
		}
	}
}

func TestParseAuthorizationRejectsJunk(t *testing.T) {
	for _, h := range []string{"", "Bearer abc", `OAuth oauth_token=abc`, `OAuth oauth_token="a%ZZ"`} {
		if _, err := xtest.ParseAuthorization(h); err == nil {
			t.Errorf("ParseAuthorization(%q) took it", h)
		}
	}
}

func endpoint(base string) oauth1.Endpoint {
	return oauth1.Endpoint{
		RequestTokenURL: base + "/oauth/request_token",
		AuthorizeURL:    base + "/oauth/authorize",
		AccessTokenURL:  base + "/oauth/access_token",
	}
}

// The server and an independent client library agree on every step.
func TestPINFlowWithClientLibrary(t *testing.T) {
	srv := xtest.Start(t, xtest.Options{})
	cfg := &oauth1.Config{ConsumerKey: srv.ConsumerKey(), ConsumerSecret: srv.ConsumerSecret(), CallbackURL: "oob", Endpoint: endpoint(srv.URL)}
	reqTok, reqSecret, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := cfg.AuthorizationURL(reqTok)
	pin, err := srv.Authorize(u.String())
	if err != nil || len(pin) != 7 {
		t.Fatalf("PIN %q, %v", pin, err)
	}
	if _, _, err := cfg.AccessToken(reqTok, reqSecret, "0000000"); err == nil {
		t.Fatal("a wrong PIN was taken")
	}
	// A client that drops the request-token secret fails the signature check.
	before := srv.SignatureFailures()
	if _, _, err := cfg.AccessToken(reqTok, "", pin); err == nil {
		t.Fatal("an access token request signed without the request-token secret was taken")
	}
	if srv.SignatureFailures() != before+1 {
		t.Errorf("signature failures %d, want %d", srv.SignatureFailures(), before+1)
	}
	tok, secret, err := cfg.AccessToken(reqTok, reqSecret, pin)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cfg.AccessToken(reqTok, reqSecret, pin); err == nil {
		t.Fatal("a request token was used twice")
	}

	client := cfg.Client(oauth1.NoContext, oauth1.NewToken(tok, secret))
	resp, err := client.Get(srv.URL + "/2/users/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("users/me: %s", resp.Status)
	}
	resp, err = client.Post(srv.URL+"/2/tweets", "application/json", strings.NewReader(`{"text":"Hei maailma & muut <3"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("tweet: %s", resp.Status)
	}
	// Query parameters are signed too.
	resp, err = client.Get(srv.URL + "/2/users/" + srv.User().ID + "/tweets?max_results=5&tweet.fields=created_at,referenced_tweets")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("timeline: %s", resp.Status)
	}

	bad := (&oauth1.Config{ConsumerKey: srv.ConsumerKey(), ConsumerSecret: "wrong"}).Client(oauth1.NoContext, oauth1.NewToken(tok, secret))
	resp, err = bad.Get(srv.URL + "/2/users/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a wrong consumer secret got %s", resp.Status)
	}
	if got := len(srv.Tweets()); got != 1 {
		t.Fatalf("%d tweets, want 1", got)
	}
}

func TestFailuresAndDuplicates(t *testing.T) {
	srv := xtest.Start(t, xtest.Options{})
	cfg := &oauth1.Config{ConsumerKey: srv.ConsumerKey(), ConsumerSecret: srv.ConsumerSecret(), CallbackURL: "oob", Endpoint: endpoint(srv.URL)}
	reqTok, reqSecret, _ := cfg.RequestToken()
	u, _ := cfg.AuthorizationURL(reqTok)
	pin, _ := srv.Authorize(u.String())
	tok, secret, err := cfg.AccessToken(reqTok, reqSecret, pin)
	if err != nil {
		t.Fatal(err)
	}
	client := cfg.Client(oauth1.NoContext, oauth1.NewToken(tok, secret))
	post := func(text string) *http.Response {
		t.Helper()
		resp, err := client.Post(srv.URL+"/2/tweets", "application/json", strings.NewReader(`{"text":"`+text+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	srv.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 429})
	if resp := post("a"); resp.StatusCode != 429 || resp.Header.Get("x-rate-limit-remaining") != "0" || resp.Header.Get("x-rate-limit-reset") == "" {
		t.Fatalf("429: %s %v", resp.Status, resp.Header)
	}
	if resp := post("a"); resp.StatusCode != 201 {
		t.Fatalf("after the failure: %s", resp.Status)
	}
	if resp := post("a"); resp.StatusCode != 403 {
		t.Fatalf("duplicate: %s", resp.Status)
	}
	srv.Fail(xtest.Failure{Endpoint: xtest.CreateTweet, Status: 503, Created: true})
	if resp := post("b"); resp.StatusCode != 503 {
		t.Fatalf("503: %s", resp.Status)
	}
	srv.RevokeAll()
	if resp := post("c"); resp.StatusCode != 401 {
		t.Fatalf("revoked: %s", resp.Status)
	}
	if got := len(srv.Tweets()); got != 2 {
		t.Fatalf("%d tweets, want 2", got)
	}
}
