package linkedin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// Image is an uploaded image as a post carries it: its URN
// (urn:li:image:…) and alt text.
type Image struct {
	URN string
	Alt string
}

// MaxImages is how many images a post carries (content.multiImage takes
// 2 to 20; one goes as content.media).
const MaxImages = 20

// UploadImage uploads an image through the Images API: it asks for an
// upload address (POST /rest/images?action=initializeUpload, the image
// owned by owner, a member's URN) and puts the bytes there, returning the
// image's URN. An upload publishes nothing: one repeated after a failure
// leaves an image no post uses.
func (c *Client) UploadImage(ctx context.Context, owner string, data []byte, mimeType string) (string, error) {
	const op = "upload an image"
	if err := c.usable(op); err != nil {
		return "", err
	}
	body, err := json.Marshal(map[string]any{"initializeUploadRequest": map[string]string{"owner": owner}})
	if err != nil {
		return "", &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.srv.api+"/rest/images?action=initializeUpload", bytes.NewReader(body))
	if err != nil {
		return "", &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	c.restHeaders(req)
	req.Header.Set("Content-Type", "application/json")
	var r struct {
		Value struct {
			UploadURL string `json:"uploadUrl"`
			Image     string `json:"image"`
		} `json:"value"`
	}
	if err := c.srv.call.DoJSON(req, op, false, &r, c.srv.apiError); err != nil {
		return "", err
	}
	if !strings.HasPrefix(r.Value.Image, "urn:li:image:") || r.Value.UploadURL == "" {
		return "", remote.Unexpected(planner.NetworkLinkedIn, op, http.StatusOK, "the answer has no image or upload address", false)
	}
	if err := c.put(ctx, op, r.Value.UploadURL, data, mimeType); err != nil {
		return "", err
	}
	return r.Value.Image, nil
}

// ErrImageFailed is in the error, through errors.Is, when LinkedIn could
// not process an image of a post (PROCESSING_FAILED): the post was not
// sent, and sending the same image again fails again.
var ErrImageFailed = errors.New("LinkedIn could not process an image of the post; the post was not sent")

// ErrImageProcessing is in the error, through errors.Is, when LinkedIn was
// still processing an image of a post after MaxImageWait: the post was not
// sent, and may be tried again later.
var ErrImageProcessing = errors.New("LinkedIn was still processing an image of the post; the post was not sent")

// MaxImageWait bounds the waits between looks at a post's images before
// Publish gives up on them for now. LinkedIn processes a photo in seconds;
// a minute is far beyond that, yet short enough that the outbox, which
// waits on the publish, is not held from the other posts due for long.
// Nothing is sent while waiting, so trying again later is safe.
const MaxImageWait = 60 * time.Second

// The gaps between looks at an image LinkedIn still processes: short at
// first, as most are done at once, then doubling up to a few seconds.
const (
	firstImageLook = 500 * time.Millisecond
	maxImageLook   = 8 * time.Second
)

// The statuses of an image (GET /rest/images/{urn}) that end the wait;
// WAITING_UPLOAD and PROCESSING mean looking again.
const (
	imageAvailable = "AVAILABLE"
	imageFailed    = "PROCESSING_FAILED"
)

// waitForImages waits until LinkedIn has processed every image of a post
// (each AVAILABLE), looking at those not yet done with a growing gap
// between looks, the gaps adding up to at most MaxImageWait. op is the
// publish's: what fails here fails the publish, before its request.
func (c *Client) waitForImages(ctx context.Context, op string, ims []Image) error {
	pending := make([]string, 0, len(ims))
	for _, im := range ims {
		if !slices.Contains(pending, im.URN) {
			pending = append(pending, im.URN)
		}
	}
	gap, waited := firstImageLook, time.Duration(0)
	for {
		left := pending[:0]
		for _, urn := range pending {
			status, err := c.imageStatus(ctx, urn)
			if err != nil {
				return err
			}
			switch status {
			case imageAvailable:
			case imageFailed:
				return &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindRejected,
					Detail: "LinkedIn could not process image " + urn, Err: ErrImageFailed}
			default:
				left = append(left, urn)
			}
		}
		pending = left
		if len(pending) == 0 {
			return nil
		}
		if waited >= MaxImageWait {
			// Nothing was sent: KindServer, which the outbox tries again.
			return &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindServer,
				Detail: fmt.Sprintf("LinkedIn was still processing %d image(s) after %s", len(pending), MaxImageWait), Err: ErrImageProcessing}
		}
		d := min(gap, MaxImageWait-waited)
		if err := c.srv.sleep(ctx, d); err != nil {
			return &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindNetwork, Err: err}
		}
		waited += d
		gap = min(2*gap, maxImageLook)
	}
}

// imageStatus reads an image's status (GET /rest/images/{urn}, the URN
// URL-encoded as Rest.li 2.0 wants a key in the path).
func (c *Client) imageStatus(ctx context.Context, urn string) (string, error) {
	const op = "wait for an uploaded image"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.srv.api+"/rest/images/"+url.QueryEscape(urn), nil)
	if err != nil {
		return "", &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	c.restHeaders(req)
	var r struct {
		Status string `json:"status"`
	}
	if err := c.srv.call.DoJSON(req, op, false, &r, c.srv.apiError); err != nil {
		return "", err
	}
	if r.Status == "" {
		return "", remote.Unexpected(planner.NetworkLinkedIn, op, http.StatusOK, "the answer has no image status", false)
	}
	return r.Status, nil
}

// put sends the image's bytes to the upload address LinkedIn gave. The
// member's token goes only to LinkedIn's own hosts (or the API's, for a
// stand-in), over https.
func (c *Client) put(ctx context.Context, op, uploadURL string, data []byte, mimeType string) error {
	u, err := url.Parse(uploadURL)
	api, _ := url.Parse(c.srv.api)
	if err != nil || !ownHost(u, api) {
		return &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Kind: remote.KindOther,
			Err: errors.New("the upload address is not LinkedIn's")}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), bytes.NewReader(data))
	if err != nil {
		return &remote.Error{Network: planner.NetworkLinkedIn, Op: op, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.token.AccessToken)
	req.Header.Set("Content-Type", mimeType)
	resp, err := c.srv.call.Do(req, op, false)
	if err != nil {
		return err
	}
	if !resp.OK() {
		return c.srv.apiError(op, resp, false)
	}
	return nil
}

// ownHost reports whether an upload address is LinkedIn's: https on
// linkedin.com or its subdomains, or the API's own host.
func ownHost(u, api *url.URL) bool {
	if u.Host == api.Host && u.Scheme == api.Scheme {
		return true
	}
	h := u.Hostname()
	return u.Scheme == "https" && (h == "linkedin.com" || strings.HasSuffix(h, ".linkedin.com"))
}

// restHeaders are what every call to the versioned API carries.
func (c *Client) restHeaders(req *http.Request) {
	req.Header.Set("Authorization", "Bearer "+c.token.AccessToken)
	req.Header.Set("LinkedIn-Version", c.srv.version)
	req.Header.Set("X-Restli-Protocol-Version", restliProtocol)
}

// postContent is a post's images: one as media, several as multiImage.
type postContent struct {
	Media      *mediaContent `json:"media,omitempty"`
	MultiImage *multiImage   `json:"multiImage,omitempty"`
}

type mediaContent struct {
	ID      string `json:"id"`
	AltText string `json:"altText,omitempty"`
}

type multiImage struct {
	Images []mediaContent `json:"images"`
}

func contentOf(ims []Image) *postContent {
	var media []mediaContent
	for _, im := range ims {
		media = append(media, mediaContent{ID: im.URN, AltText: im.Alt})
	}
	switch len(media) {
	case 0:
		return nil
	case 1:
		return &postContent{Media: &media[0]}
	}
	return &postContent{MultiImage: &multiImage{Images: media}}
}
