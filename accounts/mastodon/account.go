package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// Client acts for one signed-in account on an instance.
type Client struct {
	srv   *Server
	token string
}

// Client returns a client that acts with an access token.
func (s *Server) Client(token Token) *Client { return &Client{srv: s, token: token.AccessToken} }

// String keeps the token out of anything that prints a Client.
func (c *Client) String() string { return "mastodon.Client{" + c.srv.base + "}" }

// GoString does the same for %#v.
func (c *Client) GoString() string { return c.String() }

// Account is a Mastodon account as the API shows it.
type Account struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	Acct        string `json:"acct"` // "user" on its own instance, "user@domain" elsewhere
	DisplayName string `json:"display_name"`
	URL         string `json:"url"`
}

// Handle is the account's full address, "@user@domain", where domain is
// the instance's (Info.Domain) for a local account.
func (a Account) Handle(domain string) string {
	acct := strings.TrimPrefix(a.Acct, "@")
	if acct == "" {
		acct = a.Username
	}
	if !strings.Contains(acct, "@") && domain != "" {
		acct += "@" + domain
	}
	return "@" + acct
}

// ParseHandle splits "@user@instance" (or "user@instance") into the user
// name and the instance's host.
func ParseHandle(h string) (user, domain string, ok bool) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "@")
	user, domain, ok = strings.Cut(h, "@")
	if !ok || user == "" || domain == "" || strings.ContainsAny(user+domain, "@/ ") {
		return "", "", false
	}
	return user, domain, true
}

// VerifyCredentials reads who the token belongs to.
func (c *Client) VerifyCredentials(ctx context.Context) (Account, error) {
	const op = "read the signed-in account"
	var a Account
	if err := c.srv.get(ctx, op, c.token, "/api/v1/accounts/verify_credentials", nil, &a); err != nil {
		return Account{}, err
	}
	if a.ID == "" || a.Username == "" {
		return Account{}, remote.Unexpected(planner.NetworkMastodon, op, http.StatusOK, "the answer has no account", false)
	}
	return a, nil
}

// Status is a status as the API shows it.
type Status struct {
	ID          string    `json:"id"`
	URI         string    `json:"uri"`
	URL         string    `json:"url"`
	Content     string    `json:"content"` // HTML
	Text        string    `json:"text"`    // the plain source, where the server gives it
	InReplyToID string    `json:"in_reply_to_id"`
	Language    string    `json:"language"`
	Visibility  string    `json:"visibility"`
	CreatedAt   time.Time `json:"created_at"`
	// Media are the status's attachments, in order.
	Media []Attachment `json:"media_attachments"`
}

// PlainText is the status's text: its source where the server gave it,
// else its HTML content as text.
func (s Status) PlainText() string {
	if s.Text != "" {
		return s.Text
	}
	return HTMLText(s.Content)
}

// NewStatus is a status to publish.
type NewStatus struct {
	Text string
	// Language is the text's ISO 639-1 code, as "fi"; empty lets the
	// server guess.
	Language string
	// InReplyToID continues a thread: the ID of the status before.
	InReplyToID string
	// Visibility is "public" when empty: new accounts on some servers
	// default to unlisted.
	Visibility string
	// IdempotencyKey lets a server that honours it take a repeat as the
	// same status; some servers ignore it, so do not rely on it.
	IdempotencyKey string
	// MediaIDs are the attachments it carries (UploadImage), in order.
	MediaIDs []string
}

// Publish posts a status (POST /api/v1/statuses).
func (c *Client) Publish(ctx context.Context, ns NewStatus) (Status, error) {
	const op = "publish a status"
	if strings.TrimSpace(ns.Text) == "" {
		return Status{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Kind: remote.KindRejected, Detail: "the status is empty"}
	}
	vis := ns.Visibility
	if vis == "" {
		vis = "public"
	}
	form := url.Values{"status": {ns.Text}, "visibility": {vis}}
	if ns.Language != "" {
		form.Set("language", ns.Language)
	}
	if ns.InReplyToID != "" {
		form.Set("in_reply_to_id", ns.InReplyToID)
	}
	if len(ns.MediaIDs) > 0 {
		form["media_ids[]"] = ns.MediaIDs
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.srv.base+"/api/v1/statuses", strings.NewReader(form.Encode()))
	if err != nil {
		return Status{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if ns.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", ns.IdempotencyKey)
	}
	var st Status
	if err := c.srv.send(req, op, c.token, true, &st); err != nil {
		return Status{}, err
	}
	if st.ID == "" {
		// Taken, but not said as what: look before sending it again.
		return Status{}, remote.Unexpected(planner.NetworkMastodon, op, http.StatusOK, "the answer has no status ID", true)
	}
	return st, nil
}

// Recent lists the account's own statuses, newest first, up to limit (at
// most 40, the API's page), leaving out boosts.
func (c *Client) Recent(ctx context.Context, accountID string, limit int) ([]Status, error) {
	if accountID == "" {
		return nil, &remote.Error{Network: planner.NetworkMastodon, Op: "list the account's statuses", Kind: remote.KindAuth, Err: errors.New("the account's ID is not known")}
	}
	if limit <= 0 || limit > 40 {
		limit = 40
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}, "exclude_reblogs": {"true"}}
	var out []Status
	err := c.srv.get(ctx, "list the account's statuses", c.token, "/api/v1/accounts/"+url.PathEscape(accountID)+"/statuses", q, &out)
	return out, err
}

// Find looks among the account's recent statuses (since a time) for one
// with this text that replies to inReplyToID ("" for none): the status a
// request of unknown fate may have published. The oldest match wins, since
// a status found twice went out the first time.
func (c *Client) Find(ctx context.Context, accountID, text, inReplyToID string, since time.Time) (Status, bool, error) {
	recent, err := c.Recent(ctx, accountID, 40)
	if err != nil {
		return Status{}, false, err
	}
	want := normalize(text)
	for i := len(recent) - 1; i >= 0; i-- {
		st := recent[i]
		if st.InReplyToID != inReplyToID || (!since.IsZero() && st.CreatedAt.Before(since.Add(-time.Minute))) {
			continue
		}
		if normalize(st.PlainText()) == want {
			return st, true, nil
		}
	}
	return Status{}, false, nil
}
