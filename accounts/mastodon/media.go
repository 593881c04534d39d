package mastodon

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// Attachment is a media attachment as the API shows it. URL is empty
// while the server still processes the file.
type Attachment struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	URL         string `json:"url"`
	Description string `json:"description"`
	Meta        struct {
		Original struct {
			Width  int `json:"width"`
			Height int `json:"height"`
		} `json:"original"`
	} `json:"meta"`
}

// Processing bounds the wait for an upload the server processes after
// answering (202 Accepted): it is polled after 1, 2, 3, … seconds, at most
// every 5 seconds, maxPolls times (some three minutes) before Kaiku gives
// up for now; the outbox tries the post again later.
const (
	maxPolls     = 40
	maxPollDelay = 5 * time.Second
)

// UploadImage uploads an image with its alt text (POST /api/v2/media,
// "description") and waits until the server has processed it, polling
// GET /api/v1/media/:id, so that a status can carry it at once. An upload
// publishes nothing: one repeated after a failure leaves an unused
// attachment, which the server removes after a day.
func (c *Client) UploadImage(ctx context.Context, data []byte, mimeType, alt string) (Attachment, error) {
	const op = "upload an image"
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if alt != "" {
		if err := w.WriteField("description", alt); err != nil {
			return Attachment{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Err: err}
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+fileName(mimeType)+`"`)
	h.Set("Content-Type", mimeType)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return Attachment{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.srv.base+"/api/v2/media", &body)
	if err != nil {
		return Attachment{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Err: err}
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	var a Attachment
	if err := c.srv.send(req, op, c.token, false, &a); err != nil {
		return Attachment{}, err
	}
	if a.ID == "" {
		return Attachment{}, remote.Unexpected(planner.NetworkMastodon, op, http.StatusOK, "the answer has no attachment ID", false)
	}
	for poll := 1; a.URL == ""; poll++ {
		if poll > maxPolls {
			return Attachment{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Kind: remote.KindServer,
				Detail: fmt.Sprintf("the server was still processing the image after %d looks", maxPolls)}
		}
		if err := c.srv.sleep(ctx, min(time.Duration(poll)*time.Second, maxPollDelay)); err != nil {
			return Attachment{}, &remote.Error{Network: planner.NetworkMastodon, Op: op, Kind: remote.KindNetwork, Err: err}
		}
		// 206 Partial Content while processing, 200 when done; both decode.
		if err := c.srv.get(ctx, "wait for an uploaded image", c.token, "/api/v1/media/"+url.PathEscape(a.ID), nil, &a); err != nil {
			return Attachment{}, err
		}
	}
	return a, nil
}

// fileName is the name an upload goes by: servers tell some types by it.
func fileName(mimeType string) string {
	switch mimeType {
	case planner.ImagePNG:
		return "image.png"
	case planner.ImageGIF:
		return "image.gif"
	}
	return "image.jpg"
}

// ImageRules are the instance's rules for images, from what it says of
// itself: how many a status takes, their bytes and pixels, and which of
// the types Kaiku sends it takes.
func (info Info) ImageRules() planner.ImageRules {
	var types []string
	for _, t := range info.MediaTypes {
		if planner.ValidImageType(strings.ToLower(t)) {
			types = append(types, strings.ToLower(t))
		}
	}
	return planner.MastodonImageRules(info.MaxMediaAttachments, info.ImageSizeLimit, info.ImageMatrixLimit, types)
}
