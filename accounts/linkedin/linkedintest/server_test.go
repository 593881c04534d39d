package linkedintest_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/accounts/linkedin/linkedintest"
)

var now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// browser is an app's redirect URL that keeps what LinkedIn sent back.
type browser struct {
	*httptest.Server
	mu  sync.Mutex
	got url.Values
}

func newBrowser(t *testing.T) *browser {
	b := &browser{}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.got = r.URL.Query()
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *browser) answer() url.Values {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.got
}

func authURL(s *linkedintest.Server, clientID, redirect, scope, state string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "scope": {scope}}
	if state != "" {
		q.Set("state", state)
	}
	return s.URL + "/oauth/v2/authorization?" + q.Encode()
}

func exchange(t *testing.T, s *linkedintest.Server, code, redirect, secret string) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(s.URL+"/oauth/v2/accessToken", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirect}, "client_id": {s.ClientID()}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// token signs in with the scopes asked and gives the access token.
func token(t *testing.T, s *linkedintest.Server, scope string) string {
	t.Helper()
	b := newBrowser(t)
	s.RegisterRedirect(b.URL)
	if err := s.Authorize(authURL(s, s.ClientID(), b.URL, scope, "st")); err != nil {
		t.Fatal(err)
	}
	status, body := exchange(t, s, b.answer().Get("code"), b.URL, s.ClientSecret())
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, body)
	}
	return body["access_token"].(string)
}

func TestAuthorizationRequestIsChecked(t *testing.T) {
	s := linkedintest.Start(t, linkedintest.Options{Now: func() time.Time { return now }})
	b := newBrowser(t)
	s.RegisterRedirect(b.URL)
	for name, u := range map[string]string{
		"unknown client":        authURL(s, "someone-else", b.URL, "openid", "st"),
		"unregistered redirect": authURL(s, s.ClientID(), b.URL+"/other", "openid", "st"),
		"no state":              authURL(s, s.ClientID(), b.URL, "openid", ""),
	} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || strings.Contains(string(page), "<form") {
			t.Errorf("%s: %d %s", name, resp.StatusCode, page)
		}
	}
	if err := s.Authorize(authURL(s, s.ClientID(), b.URL, "openid profile r_everything", "st")); err != nil {
		t.Fatal(err)
	}
	if a := b.answer(); a.Get("error") != "unauthorized_scope_error" || a.Get("state") != "st" || a.Get("code") != "" {
		t.Errorf("an unknown scope: %v", a)
	}
	if err := s.Deny(authURL(s, s.ClientID(), b.URL, "openid", "st2")); err != nil {
		t.Fatal(err)
	}
	if a := b.answer(); a.Get("error") != "user_cancelled_authorize" || a.Get("state") != "st2" {
		t.Errorf("cancelled: %v", a)
	}
	if err := s.Authorize(authURL(s, s.ClientID(), b.URL, "openid profile w_member_social", "st3")); err != nil {
		t.Fatal(err)
	}
	a := b.answer()
	if a.Get("state") != "st3" || a.Get("code") == "" {
		t.Fatalf("allowed: %v", a)
	}
	code := a.Get("code")
	if status, body := exchange(t, s, code, b.URL, "wrong"); status != http.StatusUnauthorized || body["error"] != "invalid_client" {
		t.Errorf("a wrong secret: %d %v", status, body)
	}
	if status, body := exchange(t, s, code, b.URL+"/other", s.ClientSecret()); status != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("another redirect: %d %v", status, body)
	}
	status, body := exchange(t, s, code, b.URL, s.ClientSecret())
	if status != http.StatusOK || body["expires_in"] != float64(5183999) || body["scope"] != "openid,profile,w_member_social" || body["id_token"] == nil {
		t.Errorf("token: %d %v", status, body)
	}
	if status, _ := exchange(t, s, code, b.URL, s.ClientSecret()); status != http.StatusBadRequest {
		t.Errorf("a used code: %d", status)
	}

	noShare := linkedintest.Start(t, linkedintest.Options{NoShareProduct: true, RedirectURIs: []string{b.URL}})
	if err := noShare.Authorize(authURL(noShare, noShare.ClientID(), b.URL, "openid profile w_member_social", "s")); err != nil {
		t.Fatal(err)
	}
	if a := b.answer(); a.Get("error") != "unauthorized_scope_error" {
		t.Errorf("an app without Share on LinkedIn: %v", a)
	}
}

// goodPost is a text post as LinkedIn documents it.
func goodPost(author, commentary string) map[string]any {
	return map[string]any{"author": author, "commentary": commentary, "visibility": "PUBLIC",
		"distribution":   map[string]any{"feedDistribution": "MAIN_FEED", "targetEntities": []any{}, "thirdPartyDistributionChannels": []any{}},
		"lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": false}
}

func post(t *testing.T, s *linkedintest.Server, header http.Header, body any) (*http.Response, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/rest/posts", strings.NewReader(string(raw)))
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]any
	json.NewDecoder(resp.Body).Decode(&answer)
	return resp, answer
}

func TestPostsAreCheckedAsLinkedInChecksThem(t *testing.T) {
	var mu sync.Mutex
	clock := now
	advance := func(d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(d)
	}
	s := linkedintest.Start(t, linkedintest.Options{Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}})
	tok := token(t, s, "openid profile w_member_social")
	headers := func(change func(http.Header)) http.Header {
		h := http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"},
			"Linkedin-Version": {"202611"}, "X-Restli-Protocol-Version": {"2.0.0"}}
		if change != nil {
			change(h)
		}
		return h
	}
	with := func(change func(map[string]any)) map[string]any {
		b := goodPost(s.AuthorURN(), "Hei")
		change(b)
		return b
	}
	for _, tc := range []struct {
		name   string
		header http.Header
		body   any
		status int
		code   string
	}{
		{"no token", headers(func(h http.Header) { h.Del("Authorization") }), goodPost(s.AuthorURN(), "x"), 401, "INVALID_ACCESS_TOKEN"},
		{"no version", headers(func(h http.Header) { h.Del("Linkedin-Version") }), goodPost(s.AuthorURN(), "x"), 400, "VERSION_MISSING"},
		{"a version badly written", headers(func(h http.Header) { h.Set("Linkedin-Version", "2026-11") }), goodPost(s.AuthorURN(), "x"), 400, "INVALID_VERSION"},
		{"a version no longer served", headers(func(h http.Header) { h.Set("Linkedin-Version", "202511") }), goodPost(s.AuthorURN(), "x"), 426, "NONEXISTENT_VERSION"},
		{"a version not yet out", headers(func(h http.Header) { h.Set("Linkedin-Version", "202701") }), goodPost(s.AuthorURN(), "x"), 426, "NONEXISTENT_VERSION"},
		{"no Rest.li protocol", headers(func(h http.Header) { h.Del("X-Restli-Protocol-Version") }), goodPost(s.AuthorURN(), "x"), 400, ""},
		{"not JSON", headers(func(h http.Header) { h.Set("Content-Type", "text/plain") }), goodPost(s.AuthorURN(), "x"), 415, ""},
		{"another author", headers(nil), goodPost("urn:li:person:someone", "x"), 403, "ACCESS_DENIED"},
		{"no lifecycle state", headers(nil), with(func(b map[string]any) { delete(b, "lifecycleState") }), 422, "FIELD_VALUE_MISSING"},
		{"no reshare flag", headers(nil), with(func(b map[string]any) { delete(b, "isReshareDisabledByAuthor") }), 422, "FIELD_VALUE_MISSING"},
		{"an unknown field", headers(nil), with(func(b map[string]any) { b["text"] = "x" }), 422, "UNRECOGNIZED_FIELD"},
		{"a wrong visibility", headers(nil), with(func(b map[string]any) { b["visibility"] = "public" }), 422, "INVALID_VALUE"},
		{"no target entities", headers(nil), with(func(b map[string]any) {
			b["distribution"] = map[string]any{"feedDistribution": "MAIN_FEED", "thirdPartyDistributionChannels": []any{}}
		}), 422, "INVALID_VALUE"},
		{"a wrong feed", headers(nil), with(func(b map[string]any) {
			b["distribution"] = map[string]any{"feedDistribution": "FEED", "targetEntities": []any{}, "thirdPartyDistributionChannels": []any{}}
		}), 422, "INVALID_VALUE"},
		{"too long", headers(nil), goodPost(s.AuthorURN(), strings.Repeat("ä", 2999)+"🇫🇮"), 400, "FIELD_LENGTH_TOO_LONG"},
	} {
		resp, answer := post(t, s, tc.header, tc.body)
		code, _ := answer["code"].(string)
		if details, ok := answer["errorDetails"].(map[string]any); ok {
			code = details["inputErrors"].([]any)[0].(map[string]any)["code"].(string)
		}
		if resp.StatusCode != tc.status || code != tc.code {
			t.Errorf("%s: %d %q, want %d %q (%v)", tc.name, resp.StatusCode, code, tc.status, tc.code, answer)
		}
	}
	if n := len(s.Posts()); n != 0 {
		t.Fatalf("%d refused posts were taken", n)
	}

	// 3000 characters exactly, counted as LinkedIn shows them.
	resp, _ := post(t, s, headers(nil), goodPost(s.AuthorURN(), strings.Repeat(`\(`, 3000)))
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(resp.Header.Get("X-Restli-Id"), "urn:li:share:") {
		t.Fatalf("3000 characters: %d", resp.StatusCode)
	}

	// Unescaped, a reserved character cuts the post, and LinkedIn still says
	// it took it.
	resp, _ = post(t, s, headers(nil), goodPost(s.AuthorURN(), "Työpaja (ke) on täynnä {hashtag|\\#|kaiku}"))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("cut: %d", resp.StatusCode)
	}
	cut := s.Posts()[1]
	if !cut.Cut || cut.Text != "Työpaja " || cut.CutAt != len("Työpaja ") || len(cut.Hashtags) != 0 {
		t.Errorf("cut post %+v", cut)
	}
	resp, _ = post(t, s, headers(nil), goodPost(s.AuthorURN(), "Ehjä \\(ke\\) {hashtag|\\#|kaiku} {hashtag|＃|Säätö}"))
	whole := s.Posts()[2]
	if resp.StatusCode != http.StatusCreated || whole.Cut || whole.Text != "Ehjä (ke) #kaiku #Säätö" || len(whole.Hashtags) != 2 {
		t.Errorf("whole post %+v", whole)
	}

	// The same text again is a duplicate of the first, until a day has passed.
	resp, answer := post(t, s, headers(nil), goodPost(s.AuthorURN(), "Ehjä \\(ke\\) {hashtag|\\#|kaiku} {hashtag|＃|Säätö}"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.HasSuffix(answer["message"].(string), "Content is a duplicate of "+whole.URN) {
		t.Errorf("duplicate: %d %v", resp.StatusCode, answer)
	}
	advance(25 * time.Hour)
	if resp, _ := post(t, s, headers(nil), goodPost(s.AuthorURN(), "Ehjä \\(ke\\) {hashtag|\\#|kaiku} {hashtag|＃|Säätö}")); resp.StatusCode != http.StatusCreated {
		t.Errorf("a day later: %d", resp.StatusCode)
	}

	// A token without w_member_social may not post; one past its end may
	// do nothing.
	readOnly := token(t, s, "openid profile")
	if resp, answer := post(t, s, headers(func(h http.Header) { h.Set("Authorization", "Bearer "+readOnly) }), goodPost(s.AuthorURN(), "x")); resp.StatusCode != 403 || answer["code"] != "ACCESS_DENIED" {
		t.Errorf("without the scope: %d %v", resp.StatusCode, answer)
	}
	advance(60 * 24 * time.Hour)
	if resp, answer := post(t, s, headers(nil), goodPost(s.AuthorURN(), "x")); resp.StatusCode != 401 || answer["code"] != "EXPIRED_ACCESS_TOKEN" {
		t.Errorf("expired: %d %v", resp.StatusCode, answer)
	}
}

func TestParseLittle(t *testing.T) {
	for _, tc := range []struct {
		in, text string
		cut      bool
		tags     int
	}{
		{`a\\b\|c`, `a\b|c`, false, 0},
		{`a\b`, "a", true, 0}, // a backslash before an ordinary character
		{`a\`, "a", true, 0},  // a backslash at the end
		{`x_y`, "x", true, 0}, // an unescaped reserved character
		{`{hashtag|\#|}`, "", true, 0},
		{`{hashtag|#|x}`, "", true, 0}, // the # in the template must be escaped
		{`{mention|x}`, "", true, 0},
		{`{hashtag|\#|a\_b} ok`, "#a_b ok", false, 1},
		{`{hashtag|\#|a b`, "", true, 0},
	} {
		got := linkedintest.ParseLittle(tc.in)
		if got.Text != tc.text || got.Cut != tc.cut || len(got.Hashtags) != tc.tags {
			t.Errorf("ParseLittle(%q) = %+v", tc.in, got)
		}
	}
}

// upload initializes an image and puts a small PNG at its address,
// giving its URN.
func upload(t *testing.T, s *linkedintest.Server, h http.Header) string {
	t.Helper()
	raw, _ := json.Marshal(map[string]any{"initializeUploadRequest": map[string]string{"owner": s.AuthorURN()}})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/rest/images?action=initializeUpload", bytes.NewReader(raw))
	req.Header = h.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var init struct {
		Value struct{ UploadURL, Image string }
	}
	json.NewDecoder(resp.Body).Decode(&init)
	resp.Body.Close()
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 3)))
	req, _ = http.NewRequest(http.MethodPut, init.Value.UploadURL, &img)
	req.Header = http.Header{"Authorization": h["Authorization"], "Content-Type": {"image/png"}}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %s", resp.Status)
	}
	return init.Value.Image
}

// look reads an image's status by the path given.
func look(t *testing.T, s *linkedintest.Server, h http.Header, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	req.Header = h.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// An uploaded image is PROCESSING for the looks the test asks for, then
// AVAILABLE; a post naming it before that is refused, as LinkedIn can.
// Its status is read only with the versioned headers and the URN encoded.
func TestImagesAreProcessedBeforeAPostMayCarryThem(t *testing.T) {
	s := linkedintest.Start(t, linkedintest.Options{Now: func() time.Time { return now }, ProcessingLooks: 2})
	tok := token(t, s, "openid profile w_member_social")
	h := http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"},
		"Linkedin-Version": {"202611"}, "X-Restli-Protocol-Version": {"2.0.0"}}
	urn := upload(t, s, h)
	path := "/rest/images/" + url.QueryEscape(urn)
	if !strings.HasPrefix(path, "/rest/images/urn%3Ali%3Aimage%3A") {
		t.Fatalf("path %s", path)
	}
	withImage := goodPost(s.AuthorURN(), "Kuvan kanssa")
	withImage["content"] = map[string]any{"media": map[string]any{"id": urn, "altText": "kuva"}}

	if status, _ := look(t, s, h, "/rest/images/"+urn); status != http.StatusBadRequest {
		t.Errorf("a URN not encoded: %d", status)
	}
	noVersion := h.Clone()
	noVersion.Del("Linkedin-Version")
	if status, body := look(t, s, noVersion, path); status != http.StatusBadRequest || body["code"] != "VERSION_MISSING" {
		t.Errorf("no version: %d %v", status, body)
	}
	if status, _ := look(t, s, http.Header{"Linkedin-Version": {"202611"}, "X-Restli-Protocol-Version": {"2.0.0"}}, path); status != http.StatusUnauthorized {
		t.Errorf("no token: %d", status)
	}
	if status, _ := look(t, s, h, "/rest/images/"+url.QueryEscape("urn:li:image:D4E10AQmissing")); status != http.StatusNotFound {
		t.Errorf("an unknown image: %d", status)
	}
	for i := 1; i <= 2; i++ {
		if status, body := look(t, s, h, path); status != http.StatusOK || body["status"] != linkedintest.StatusProcessing || body["id"] != urn {
			t.Fatalf("look %d: %d %v", i, status, body)
		}
		if resp, body := post(t, s, h, withImage); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body["message"].(string), "not AVAILABLE") {
			t.Fatalf("a post with a PROCESSING image after look %d: %d %v", i, resp.StatusCode, body)
		}
	}
	if status, body := look(t, s, h, path); status != http.StatusOK || body["status"] != linkedintest.StatusAvailable || body["downloadUrl"] == nil {
		t.Fatalf("third look: %d %v", status, body)
	}
	if resp, body := post(t, s, h, withImage); resp.StatusCode != http.StatusCreated {
		t.Fatalf("a post with an AVAILABLE image: %d %v", resp.StatusCode, body)
	}
	if ims := s.Images(); len(ims) != 1 || ims[0].Looks != 3 || ims[0].Status != linkedintest.StatusAvailable {
		t.Errorf("images %+v", ims)
	}
	if n := s.Count(linkedintest.ImageStatus); n != 7 {
		t.Errorf("%d status requests", n)
	}

	// An image LinkedIn cannot process never becomes AVAILABLE.
	s.FailProcessing(2)
	bad := upload(t, s, h)
	for _, want := range []string{linkedintest.StatusProcessing, linkedintest.StatusProcessing, linkedintest.StatusProcessingFailed, linkedintest.StatusProcessingFailed} {
		if _, body := look(t, s, h, "/rest/images/"+url.QueryEscape(bad)); body["status"] != want {
			t.Fatalf("the failing image is %v, want %s", body["status"], want)
		}
	}
	withBad := goodPost(s.AuthorURN(), "Rikkinäinen kuva")
	withBad["content"] = map[string]any{"media": map[string]any{"id": bad}}
	if resp, _ := post(t, s, h, withBad); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a post with a failed image: %d", resp.StatusCode)
	}
	if len(s.Posts()) != 1 {
		t.Errorf("%d posts", len(s.Posts()))
	}
}
