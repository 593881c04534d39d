package bluesky

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// PostCollection is the collection of a repository's posts.
const PostCollection = "app.bsky.feed.post"

// The post record's limits (app.bsky.feed.post's lexicon).
const (
	MaxGraphemes = 300
	MaxBytes     = 3000
)

// Ref points at one version of a record (com.atproto.repo.strongRef).
type Ref struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// RKey is the record key, the last part of the URI.
func (r Ref) RKey() string {
	i := strings.LastIndexByte(r.URI, '/')
	return r.URI[i+1:]
}

// ReplyRef places a post in a thread: Root is the thread's first post,
// Parent the post it answers.
type ReplyRef struct {
	Root   Ref `json:"root"`
	Parent Ref `json:"parent"`
}

// Post is an app.bsky.feed.post record.
type Post struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Langs     []string  `json:"langs,omitempty"`
	Facets    []Facet   `json:"facets,omitempty"`
	Reply     *ReplyRef `json:"reply,omitempty"`
	Embed     *Embed    `json:"embed,omitempty"`
}

// Embed is a post's embed; Kaiku writes link cards (app.bsky.embed.external)
// and images (app.bsky.embed.images).
type Embed struct {
	Type     string       `json:"$type"`
	External *External    `json:"external,omitempty"`
	Images   []EmbedImage `json:"images,omitempty"`
}

// The embeds' types.
const (
	EmbedExternal = "app.bsky.embed.external"
	EmbedImages   = "app.bsky.embed.images"
)

// MaxImages is how many images a post embeds (app.bsky.embed.images).
const MaxImages = 4

// EmbedImage is one image of an app.bsky.embed.images: the uploaded blob,
// its alt text (required, "" for none) and its aspect ratio, by which apps
// lay the post out before the image loads.
type EmbedImage struct {
	Image       Blob         `json:"image"`
	Alt         string       `json:"alt"`
	AspectRatio *AspectRatio `json:"aspectRatio,omitempty"`
}

// AspectRatio is an image's width to height, in any unit (pixels here).
type AspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Image is an image for a draft, ready to upload (at most MaxThumbBytes).
type Image struct {
	Data          []byte
	Type          string // its MIME type
	Alt           string
	Width, Height int
}

// External is a link card.
type External struct {
	URI         string `json:"uri"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Thumb       *Blob  `json:"thumb,omitempty"`
}

// Blob is an uploaded file as a record refers to it.
type Blob struct {
	Type     string `json:"$type"`
	Ref      Link   `json:"ref"`
	MimeType string `json:"mimeType"`
	Size     int64  `json:"size"`
}

// Link is a CID link in the JSON form of a record.
type Link struct {
	CID string `json:"$link"`
}

// CheckText refuses a text the post record cannot hold: empty, over
// MaxGraphemes grapheme clusters or over MaxBytes bytes of UTF-8.
func CheckText(text string) error {
	const op = "check the post"
	if strings.TrimSpace(text) == "" {
		return &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindRejected, Detail: "the post is empty"}
	}
	if n := uniseg.GraphemeClusterCount(text); n > MaxGraphemes {
		return &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindRejected, Code: "TooLong",
			Detail: "the post has " + strconv.Itoa(n) + " characters; Bluesky takes " + strconv.Itoa(MaxGraphemes)}
	}
	if len(text) > MaxBytes {
		return &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindRejected, Code: "TooLong",
			Detail: "the post has " + strconv.Itoa(len(text)) + " bytes; Bluesky takes " + strconv.Itoa(MaxBytes)}
	}
	return nil
}

// Draft is what a post says, before facets and a card are worked out.
type Draft struct {
	Text  string
	Langs []string  // ISO 639-1 codes, as "fi"
	Reply *ReplyRef // nil for a thread's first part
	// Card adds a link card for the text's first link, when its page can be had.
	Card bool
	// Images are uploaded and embedded, in order; they take the place of
	// a link card, since a post has one embed.
	Images []Image
}

// Compose makes the post record of a draft at a time: the text checked,
// facets found (mentions resolved to DIDs; one that does not resolve stays
// plain text), and a link card when asked for. Publish the same Post again
// (same CreatedAt) and putRecord leaves the record as it was.
func (c *Client) Compose(ctx context.Context, d Draft, at time.Time) (Post, error) {
	// JSON would replace broken bytes anyway, moving every offset after them.
	d.Text = strings.ToValidUTF8(d.Text, "\uFFFD")
	if err := CheckText(d.Text); err != nil {
		return Post{}, err
	}
	facets, err := c.Facets(ctx, d.Text)
	if err != nil {
		return Post{}, err
	}
	p := Post{Type: PostCollection, Text: d.Text, CreatedAt: FormatTime(at), Langs: d.Langs, Facets: facets, Reply: d.Reply}
	if len(d.Images) > 0 {
		p.Embed, err = c.imagesEmbed(ctx, d.Images)
		return p, err
	}
	if d.Card {
		if link := FirstLink(d.Text); link != "" {
			p.Embed = c.LinkCard(ctx, link)
		}
	}
	return p, nil
}

// FormatTime writes a time as the AT Protocol's datetime: UTC, milliseconds.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// NewTID is a record key for a post to come: store it with the post before
// publishing, so that after a failure GetPost can tell whether it went out.
func (c *Client) NewTID() string { return c.tids.Next() }

// PutPost writes a post under a record key chosen with NewTID
// (com.atproto.repo.putRecord). Writing the same post under the same key
// again changes nothing, so a repeat is safe.
func (c *Client) PutPost(ctx context.Context, rkey string, p Post) (Ref, error) {
	const op = "publish a post"
	if !ValidTID(rkey) {
		return Ref{}, &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindOther, Detail: "the record key is not a TID"}
	}
	if err := CheckText(p.Text); err != nil {
		return Ref{}, err
	}
	if p.Type == "" {
		p.Type = PostCollection
	}
	var ref Ref
	err := c.authed(ctx, func(s Session) error {
		body := map[string]any{"repo": s.DID, "collection": PostCollection, "rkey": rkey, "record": p}
		return c.x.procedure(ctx, s.Service, "com.atproto.repo.putRecord", s.AccessJWT, body, "", op, true, &ref)
	})
	if err != nil {
		return Ref{}, err
	}
	if ref.URI == "" || ref.CID == "" {
		return Ref{}, remote.Unexpected(planner.NetworkBluesky, op, http.StatusOK, "the answer has no URI or CID", true)
	}
	return ref, nil
}

// GetPost reads the post under a record key in the account's repository;
// found is false when there is none (the write did not go through).
func (c *Client) GetPost(ctx context.Context, rkey string) (ref Ref, p Post, found bool, err error) {
	const op = "look for a post"
	var r struct {
		URI   string `json:"uri"`
		CID   string `json:"cid"`
		Value Post   `json:"value"`
	}
	err = c.authed(ctx, func(s Session) error {
		q := url.Values{"repo": {s.DID}, "collection": {PostCollection}, "rkey": {rkey}}
		return c.x.query(ctx, s.Service, "com.atproto.repo.getRecord", s.AccessJWT, q, op, &r)
	})
	if e, ok := remote.As(err); ok && (e.Code == CodeRecordNotFound || e.Status == http.StatusNotFound) {
		return Ref{}, Post{}, false, nil
	}
	if err != nil {
		return Ref{}, Post{}, false, err
	}
	return Ref{URI: r.URI, CID: r.CID}, r.Value, true, nil
}

// UploadBlob uploads a file (com.atproto.repo.uploadBlob) for a record to
// refer to; it is kept only once a record does.
func (c *Client) UploadBlob(ctx context.Context, data []byte, mimeType string) (Blob, error) {
	const op = "upload an image"
	var r struct {
		Blob Blob `json:"blob"`
	}
	err := c.authed(ctx, func(s Session) error {
		return c.x.procedure(ctx, s.Service, "com.atproto.repo.uploadBlob", s.AccessJWT, bytes.NewReader(data), mimeType, op, false, &r)
	})
	if err != nil {
		return Blob{}, err
	}
	if r.Blob.Ref.CID == "" {
		return Blob{}, remote.Unexpected(planner.NetworkBluesky, op, http.StatusOK, "the answer has no blob", false)
	}
	if r.Blob.Type == "" {
		r.Blob.Type = "blob"
	}
	return r.Blob, nil
}

// imagesEmbed uploads the images and embeds them with their alt text and
// aspect ratio.
func (c *Client) imagesEmbed(ctx context.Context, ims []Image) (*Embed, error) {
	if len(ims) > MaxImages {
		return nil, &remote.Error{Network: planner.NetworkBluesky, Op: "check the post", Kind: remote.KindRejected,
			Detail: "the post has " + strconv.Itoa(len(ims)) + " images; Bluesky takes " + strconv.Itoa(MaxImages)}
	}
	e := &Embed{Type: EmbedImages}
	for _, im := range ims {
		blob, err := c.UploadBlob(ctx, im.Data, im.Type)
		if err != nil {
			return nil, err
		}
		ei := EmbedImage{Image: blob, Alt: im.Alt}
		if im.Width > 0 && im.Height > 0 {
			ei.AspectRatio = &AspectRatio{Width: im.Width, Height: im.Height}
		}
		e.Images = append(e.Images, ei)
	}
	return e, nil
}

// ResolveHandle finds the DID of a handle (com.atproto.identity.resolveHandle).
func (c *Client) ResolveHandle(ctx context.Context, handle string) (string, error) {
	const op = "find a mentioned account"
	var r struct {
		DID string `json:"did"`
	}
	err := c.authed(ctx, func(s Session) error {
		return c.x.query(ctx, s.Service, "com.atproto.identity.resolveHandle", s.AccessJWT, url.Values{"handle": {strings.TrimPrefix(handle, "@")}}, op, &r)
	})
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(r.DID, "did:") {
		return "", remote.Unexpected(planner.NetworkBluesky, op, http.StatusOK, "the answer has no DID", false)
	}
	return r.DID, nil
}

// PostURL is where people see a post: https://bsky.app/profile/HANDLE/post/RKEY
// (the DID stands in when the handle is not known).
func PostURL(handleOrDID string, ref Ref) string {
	return "https://bsky.app/profile/" + handleOrDID + "/post/" + ref.RKey()
}
