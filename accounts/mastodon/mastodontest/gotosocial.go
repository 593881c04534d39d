package mastodontest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// ConsentGoToSocial plays the user in the browser on a real GoToSocial: it
// opens the authorize URL, signs in with the account's email and password,
// and allows access, all within the 120 seconds GoToSocial's session
// cookie lives. For the out-of-band redirect it returns the code the
// server shows; for any other redirect it follows it (to Kaiku's loopback
// server) and returns "".
func ConsentGoToSocial(ctx context.Context, authorizeURL, email, password string) (string, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return "", err
	}
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	step := func(method, u string, form url.Values) (*http.Response, error) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequestWithContext(ctx, method, u, body)
		if err != nil {
			return nil, err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, nil
	}
	au, err := url.Parse(authorizeURL)
	if err != nil {
		return "", err
	}
	origin := au.Scheme + "://" + au.Host
	// 1. The authorize request goes into the session, then to signing in.
	resp, err := step(http.MethodGet, authorizeURL, nil)
	if err != nil {
		return "", fmt.Errorf("open the authorize page: %w", err)
	}
	if resp.StatusCode/100 != 3 {
		return "", fmt.Errorf("the authorize page answered %s", resp.Status)
	}
	// 2. Sign in: the form field for the email is called username.
	resp, err = step(http.MethodPost, origin+"/auth/sign_in", url.Values{"username": {email}, "password": {password}})
	if err != nil {
		return "", fmt.Errorf("sign in: %w", err)
	}
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "/oauth/authorize") {
		return "", fmt.Errorf("signing in went to %q (%s)", loc, resp.Status)
	}
	// 3. The consent page, then Allow.
	if _, err = step(http.MethodGet, origin+"/oauth/authorize", nil); err != nil {
		return "", fmt.Errorf("open the consent page: %w", err)
	}
	resp, err = step(http.MethodPost, origin+"/oauth/authorize", url.Values{})
	if err != nil {
		return "", fmt.Errorf("allow: %w", err)
	}
	loc, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("allowing answered %s without a redirect", resp.Status)
	}
	if loc.Path == "/oauth/oob" {
		if code := loc.Query().Get("code"); code != "" {
			return code, nil
		}
		return "", fmt.Errorf("the out-of-band page has no code")
	}
	// 4. The browser goes back to the application.
	cb, err := step(http.MethodGet, loc.String(), nil)
	if err != nil {
		return "", fmt.Errorf("return to the application: %w", err)
	}
	if cb.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the application's return address answered %s", cb.Status)
	}
	return "", nil
}
