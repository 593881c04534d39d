package linkedin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/textrules"
)

// Client acts for one linked member.
type Client struct {
	srv   *Server
	token Token
}

// Client returns a client that acts with a member's token.
func (s *Server) Client(token Token) *Client { return &Client{srv: s, token: token} }

// String keeps the token out of anything that prints a Client.
func (c *Client) String() string { return "linkedin.Client{" + c.srv.api + "}" }

// GoString does the same for %#v.
func (c *Client) GoString() string { return c.String() }

// Member is who a token belongs to, from OpenID Connect's userinfo.
type Member struct {
	Sub        string // the member's ID for this app
	Name       string
	GivenName  string
	FamilyName string
	Picture    string // a URL, if the member has a picture
}

// URN is the member as a post's author: urn:li:person:{sub}.
func (m Member) URN() string { return "urn:li:person:" + m.Sub }

// UserInfo reads who the token belongs to (GET /v2/userinfo).
func (c *Client) UserInfo(ctx context.Context) (Member, error) {
	const op = "read the signed-in member"
	if err := c.usable(op); err != nil {
		return Member{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.srv.api+"/v2/userinfo", nil)
	if err != nil {
		return Member{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.token.AccessToken)
	var r struct {
		Sub        string `json:"sub"`
		Name       string `json:"name"`
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
		Picture    string `json:"picture"`
	}
	if err := c.srv.call.DoJSON(req, op, false, &r, c.srv.apiError); err != nil {
		return Member{}, err
	}
	if r.Sub == "" {
		return Member{}, remote.Unexpected(planner.NetworkLinkedIn, op, http.StatusOK, "the answer has no member ID (sub)", false)
	}
	m := Member{Sub: r.Sub, Name: strings.TrimSpace(r.Name), GivenName: r.GivenName, FamilyName: r.FamilyName, Picture: r.Picture}
	if m.Name == "" {
		m.Name = strings.TrimSpace(r.GivenName + " " + r.FamilyName)
	}
	return m, nil
}

// usable refuses, without asking LinkedIn, a token known to have ended.
func (c *Client) usable(op string) error {
	if !c.token.Expires.IsZero() && !c.srv.now().Before(c.token.Expires) {
		return &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindAuth, Err: ErrExpired}
	}
	return nil
}

// MaxLength is the longest post LinkedIn takes, in its characters (UTF-16
// code units), as textrules counts for the composer.
const MaxLength = 3000

// Post is a published post.
type Post struct {
	URN string // as urn:li:share:7141138937766391808
	URL string
}

// PostURL is where a post is seen on LinkedIn.
func PostURL(urn string) string { return "https://www.linkedin.com/feed/update/" + urn }

// DuplicateError is LinkedIn's refusal of a post it already has from the
// member (422 DUPLICATE_POST). After a try of unknown fate it means the
// try went through: Post is the post it made, as LinkedIn names it (URN
// and URL empty when it does not). Without such a try it is the refusal
// it says: the member posted the same text recently.
type DuplicateError struct {
	Post Post
	err  *remote.Error
}

func (e *DuplicateError) Error() string { return e.err.Error() }

// Unwrap gives the *remote.Error, of KindRejected.
func (e *DuplicateError) Unwrap() error { return e.err }

// AsDuplicate finds a *DuplicateError in err.
func AsDuplicate(err error) (*DuplicateError, bool) {
	var d *DuplicateError
	ok := errors.As(err, &d)
	return d, ok
}

// postBody is a text post as /rest/posts takes it.
type postBody struct {
	Author                    string       `json:"author"`
	Commentary                string       `json:"commentary"`
	Visibility                string       `json:"visibility"`
	Distribution              distribution `json:"distribution"`
	LifecycleState            string       `json:"lifecycleState"`
	IsReshareDisabledByAuthor bool         `json:"isReshareDisabledByAuthor"`
	Content                   *postContent `json:"content,omitempty"`
}

type distribution struct {
	FeedDistribution               string   `json:"feedDistribution"`
	TargetEntities                 []string `json:"targetEntities"`
	ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
}

var authorURN = regexp.MustCompile(`^urn:li:(person|organization):[^\s]+$`)

// Publish posts text (plain text, as the user wrote it) as author, a
// member's URN (Member.URN), publicly in the main feed. A thread goes as
// one post: planner.JoinParts. The text is sent as little text (Commentary), so
// that LinkedIn shows it exactly as written.
//
// The post carries the images (UploadImage), in order. Publish first
// waits, up to MaxImageWait, until LinkedIn has processed them all: an
// image it cannot process is a KindRejected error with ErrImageFailed, one
// still processing after the wait a KindServer error with
// ErrImageProcessing, both before anything is sent.
//
// A refusal as a duplicate is a *DuplicateError (AsDuplicate).
func (c *Client) Publish(ctx context.Context, author, text string, images ...Image) (Post, error) {
	const op = "publish a post"
	if strings.TrimSpace(text) == "" {
		return Post{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindRejected, Detail: "the post is empty"}
	}
	if n := textrules.Count(textrules.LinkedIn, text).Length; n > MaxLength {
		return Post{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindRejected,
			Detail: fmt.Sprintf("the post has %d characters; LinkedIn takes at most %d", n, MaxLength)}
	}
	if len(images) > MaxImages {
		return Post{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindRejected,
			Detail: fmt.Sprintf("the post has %d images; LinkedIn takes at most %d", len(images), MaxImages)}
	}
	if !authorURN.MatchString(author) {
		// The member was never read: linking again reads it.
		return Post{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindAuth,
			Err: errors.New("the LinkedIn member to post as is not known")}
	}
	if err := c.usable(op); err != nil {
		return Post{}, err
	}
	// LinkedIn processes an uploaded image after the upload, and a post
	// naming one not yet AVAILABLE fails or goes out without it. The wait
	// comes before the request that makes the post, so a failure here
	// leaves nothing on LinkedIn, and a try of unknown fate sent again
	// (Find) waits for its new uploads the same way.
	if err := c.waitForImages(ctx, op, images); err != nil {
		return Post{}, err
	}
	body := postBody{
		Author: author, Commentary: Commentary(text), Visibility: "PUBLIC",
		Distribution:   distribution{FeedDistribution: "MAIN_FEED", TargetEntities: []string{}, ThirdPartyDistributionChannels: []string{}},
		LifecycleState: "PUBLISHED", Content: contentOf(images),
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return Post{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.srv.api+"/rest/posts", &buf)
	if err != nil {
		return Post{}, &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	c.restHeaders(req)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.srv.call.Do(req, op, true)
	if err != nil {
		return Post{}, err
	}
	if !resp.OK() {
		e := c.srv.apiError(op, resp, true)
		if d, ok := duplicate(e, resp); ok {
			return Post{}, d
		}
		return Post{}, e
	}
	urn := strings.TrimSpace(resp.Header.Get("X-Restli-Id"))
	if !strings.HasPrefix(urn, "urn:li:") {
		// Taken, but not said as what.
		return Post{}, remote.Unexpected(planner.NetworkLinkedIn, op, resp.Status, "the answer does not name the post (x-restli-id)", true)
	}
	return Post{URN: urn, URL: PostURL(urn)}, nil
}

// postURN finds the earlier post in a duplicate's message: "Content is a
// duplicate of urn:li:share:7141138937766391808".
var postURN = regexp.MustCompile(`urn:li:(?:share|ugcPost|activity):[0-9]+`)

// duplicate reads a refusal as a duplicate, if it is one.
func duplicate(e *remote.Error, resp *remote.Response) (*DuplicateError, bool) {
	if e.Kind != remote.KindRejected {
		return nil, false
	}
	var body errorBody
	if json.Unmarshal(resp.Body, &body) != nil || !slices.Contains(body.codes(), "DUPLICATE_POST") {
		return nil, false
	}
	d := &DuplicateError{err: e}
	if urn := postURN.FindString(body.Message); urn != "" {
		d.Post = Post{URN: urn, URL: PostURL(urn)}
	}
	return d, true
}
